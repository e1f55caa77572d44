package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static io.zerodown.postgres.PgTestSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerodown.Migration;
import io.zerodown.MigrationValidationException;
import io.zerodown.Problem;
import io.zerodown.Zerodown;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.model.context.ReadPattern;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.context.TableProfile;
import io.zerodown.model.context.Target;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.Step;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** Merging columns: two-way with two sources, one-way otherwise; online and direct; on 12 and 18. */
class PostgresMergeColumnsTest {

    static final String DDL = "CREATE TABLE people (id bigserial PRIMARY KEY, title text, first_name varchar(100), "
            + "last_name varchar(100), email text NOT NULL);";

    /** The documented cases first, then bulk rows over several batches, the last one needing a fill. */
    static void setup(Connection c, int rows) throws SQLException {
        execute(c, DDL, "INSERT INTO people (title, first_name, last_name, email) VALUES "
                + "(NULL, 'John', 'Smith', 'a'), (NULL, '  John ', NULL, 'b'), ('', NULL, '', 'c'), (NULL, NULL, NULL, 'd'), "
                + "(' ', '   ', 'Cher', 'e'), ('Dr', 'Anne Marie', 'van der Berg', 'f'), (NULL, 'Zoë', 'Ñúñez', 'g'), "
                + "(NULL, 'O''Brien', 'x', 'h')",
                "INSERT INTO people (title, first_name, last_name, email) SELECT CASE WHEN g % 7 = 0 THEN 'Ms' END, "
                        + "CASE WHEN g % 5 <> 1 THEN 'First' || g END, CASE WHEN g % 3 <> 1 THEN ' Last' || g END, 'e' || g "
                        + "FROM generate_series(1, " + rows + ") g",
                "INSERT INTO people (first_name, last_name, email) VALUES ('Last', 'Row', 'z')");
    }

    static MigrationContext context(int major, DowntimeTolerance downtime) {
        return MigrationContext.builder().name("merge_names").date(LocalDate.of(2026, 11, 24)).target(Target.postgres(major))
                .profile("people", TableProfile.of(3_000_000, 100, ReadPattern.MIXED)).downtime(downtime)
                .rollback(RollbackRequirement.reversibleFor(Duration.ofDays(30))).build();
    }

    static MigrationPackage twoSources(int major, DowntimeTolerance downtime) {
        return Zerodown.compile(Migration.on("people").mergeColumns("first_name", "last_name").with(" ").into("full_name")
                .batched(1_000).plan(), DDL, context(major, downtime));
    }

    static MigrationPackage threeSources(int major) {
        return Zerodown.compile(Migration.on("people").mergeColumns("title", "first_name", "last_name").with(" ")
                .into("display_name").type("varchar(250)").keepSources().batched(700).plan(), DDL, context(major, DowntimeTolerance.none()));
    }

    @Test
    void goldenTwoWayOnline() {
        MigrationPackage pkg = twoSources(15, DowntimeTolerance.none());
        assertThat(pkg.strategy().techniques()).containsExactly(Technique.EXPAND_CONTRACT, Technique.SYNC_TRIGGER, Technique.BATCHED_DML);
        GoldenFiles.assertMatches("merge_columns/two_way.up.sql", pkg.up().sql());
        GoldenFiles.assertMatches("merge_columns/two_way.contract.sql", pkg.contract().sql());
        GoldenFiles.assertMatches("merge_columns/two_way.down.sql", pkg.down().script().sql());
        GoldenFiles.assertMatches("merge_columns/two_way.verify.sql", PostgresRenameTableTest.render(pkg.verification()));
    }

    @Test
    void goldenDirectAndOneWay() {
        MigrationPackage direct = twoSources(15, DowntimeTolerance.devOnly());
        assertThat(direct.strategy().techniques()).containsExactly(Technique.DIRECT, Technique.SYNC_TRIGGER);
        assertThat(direct.up().steps()).extracting(Step::kind).containsExactly(Step.Kind.SCHEMA, Step.Kind.DATA);
        GoldenFiles.assertMatches("merge_columns/direct.up.sql", direct.up().sql());

        MigrationPackage oneWay = threeSources(15);
        assertThat(oneWay.up().steps().get(0).inverse()).isInstanceOfSatisfying(Inverse.Steps.class,
                inverse -> assertThat(inverse.dataLoss()).get().asString().contains("the sync is one-way"));
        assertThat(oneWay.risk().hazards()).anyMatch(h -> h.level() == RiskLevel.MEDIUM && h.title().startsWith("One-way sync"));
        assertThat(oneWay.contract().sql()).doesNotContain("DROP COLUMN");
        GoldenFiles.assertMatches("merge_columns/one_way.up.sql", oneWay.up().sql());
        GoldenFiles.assertMatches("merge_columns/one_way.contract.sql", oneWay.contract().sql());
    }

    @Test
    void locksAndRoundTrip() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 800), twoSources(server.major(), DowntimeTolerance.none()));
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 800), twoSources(server.major(), DowntimeTolerance.devOnly()));
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 800), threeSources(server.major()));
        }
    }

    @Test
    void durationClasses() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), n -> c -> setup(c, n), 3_000, 60_000,
                twoSources(18, DowntimeTolerance.devOnly()));
    }

    @Test
    void mergesEveryDocumentedCaseSyncsBothWaysAndDownLeavesTheSourcesAsTheyWere() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage two = twoSources(server.major(), DowntimeTolerance.none());
            MigrationPackage three = threeSources(server.major());
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                setup(c, 3_000);
                Schema before = introspect(c);
                String data = checksum(c, "people", "id", "title", "first_name", "last_name", "email");

                assertThat(PackageChecks.failures(CheckRunner.run(c, two.execution().preChecks()))).isEmpty();
                new StepRunner(c).run(two.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, two.verification()))).isEmpty();
                assertThat(rows(c, "SELECT full_name FROM people WHERE id <= 8 ORDER BY id")).containsExactly(
                        row("John Smith"), row("John"), row((String) null), row((String) null), row("Cher"),
                        row("Anne Marie van der Berg"), row("Zoë Ñúñez"), row("O'Brien x"));
                assertThat(queryLong(c, "SELECT count(*) FROM people WHERE full_name IS NULL"))
                        .as("ids 3 and 4, and the bulk rows with neither name (g %% 15 = 1)").isEqualTo(2 + 200);
                assertThat(checksum(c, "people", "id", "title", "first_name", "last_name", "email")).as("sources untouched").isEqualTo(data);
                // old code writes the sources; new code writes the merged column, split back at the first ' '
                execute(c, "UPDATE people SET last_name = 'Jones' WHERE id = 1",
                        "INSERT INTO people (first_name, last_name, email) VALUES ('Grace', 'Hopper', 'old')",
                        "UPDATE people SET full_name = 'Mary Ann Evans' WHERE id = 2",
                        "INSERT INTO people (full_name, email) VALUES ('  Prince ', 'new')");
                assertThat(rows(c, "SELECT first_name, last_name, full_name FROM people WHERE id IN (1, 2) "
                        + "OR email IN ('old', 'new') ORDER BY id")).containsExactly(
                        row("John", "Jones", "John Jones"), row("Mary", "Ann Evans", "Mary Ann Evans"),
                        row("Grace", "Hopper", "Grace Hopper"), row("Prince", null, "  Prince "));
                execute(c, "DELETE FROM people WHERE email IN ('old', 'new')",
                        "UPDATE people SET first_name = 'John', last_name = 'Smith' WHERE id = 1",
                        "UPDATE people SET first_name = '  John ', last_name = NULL WHERE id = 2");
                new StepRunner(c).run(two.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(checksum(c, "people", "id", "title", "first_name", "last_name", "email")).isEqualTo(data);

                new StepRunner(c).run(three.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, three.verification()))).isEmpty();
                assertThat(rows(c, "SELECT display_name FROM people WHERE id IN (1, 3, 5, 6) ORDER BY id")).containsExactly(
                        row("John Smith"), row((String) null), row("Cher"), row("Dr Anne Marie van der Berg"));
                // one-way: old code's writes are merged; new code's write of display_name is kept, the sources left alone
                execute(c, "UPDATE people SET title = 'Sir' WHERE id = 1", "UPDATE people SET display_name = 'The Artist' WHERE id = 5");
                assertThat(rows(c, "SELECT title, last_name, display_name FROM people WHERE id IN (1, 5) ORDER BY id"))
                        .containsExactly(row("Sir", "Smith", "Sir John Smith"), row(" ", "Cher", "The Artist"));
                execute(c, "UPDATE people SET title = NULL WHERE id = 1");
                new StepRunner(c).run(three.down().script().steps());
                assertThat(introspect(c)).isEqualTo(before);
                assertThat(checksum(c, "people", "id", "title", "first_name", "last_name", "email")).isEqualTo(data);

                new StepRunner(c).run(two.up().steps());
                assertThat(PackageChecks.failures(CheckRunner.run(c, two.verification()))).as("up after down fills again").isEmpty();
                new StepRunner(c).run(two.contract().steps());
                new StepRunner(c).run(two.contract().steps());
                assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(two.schemaAfter()));
            }
        }
    }

    @Test
    void concurrentOldAndNewCodeWritesLeaveNoStaleRow() throws Exception {
        MigrationPackage pkg = Zerodown.compile(Migration.on("people").mergeColumns("first_name", "last_name").with(" ")
                .into("full_name").batched(400).plan(), DDL, context(18, DowntimeTolerance.none()));
        int rows = 15_000;
        ExecutorService executor = Executors.newFixedThreadPool(2);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean expanded = new AtomicBoolean();
        AtomicBoolean backfilling = new AtomicBoolean();
        AtomicLong during = new AtomicLong();
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            setup(c, rows);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(executor.submit(() -> {
                    try (Connection wc = db.connect()) {
                        write(wc, rows, stop, expanded, backfilling, during);
                    }
                    return null;
                }));
            }
            StepRunner runner = new StepRunner(c);
            Thread.sleep(200);
            runner.run(pkg.up().steps().get(0));
            expanded.set(true);
            backfilling.set(true);
            runner.run(pkg.up().steps().get(1));
            backfilling.set(false);
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertThat(during.get()).as("writes overlapped the backfill").isGreaterThan(50);
            assertThat(CheckRunner.run(c, pkg.verification())).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
        } finally {
            stop.set(true);
            executor.shutdownNow();
        }
    }

    /** Old code writes the sources or other columns; once the merged column exists, new code writes merged values. */
    private static void write(Connection wc, int rows, AtomicBoolean stop, AtomicBoolean expanded, AtomicBoolean backfilling,
                              AtomicLong during) throws Exception {
        try (PreparedStatement oldNames = wc.prepareStatement("UPDATE people SET first_name = ?, last_name = ? WHERE id = ?");
             PreparedStatement other = wc.prepareStatement("UPDATE people SET email = email || '.' WHERE id = ?");
             PreparedStatement insert = wc.prepareStatement("INSERT INTO people (first_name, last_name, email) VALUES (?, ?, 'w')");
             PreparedStatement merged = wc.prepareStatement("UPDATE people SET full_name = ? WHERE id = ?")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                long id = random.nextLong(1, rows + 1);
                int n = random.nextInt(1_000_000);
                switch (random.nextInt(expanded.get() ? 4 : 3)) {
                    case 0 -> {
                        oldNames.setString(1, random.nextBoolean() ? " Renamed" + n : null);
                        oldNames.setString(2, "Person" + n + " ");
                        oldNames.setLong(3, id);
                        oldNames.executeUpdate();
                    }
                    case 1 -> {
                        other.setLong(1, id);
                        other.executeUpdate();
                    }
                    case 2 -> {
                        insert.setString(1, "Inserted" + n);
                        insert.setString(2, random.nextBoolean() ? null : "Later" + n);
                        insert.executeUpdate();
                    }
                    default -> {
                        merged.setString(1, random.nextBoolean() ? "Part" + n : "Part" + n + " Family" + n);
                        merged.setLong(2, id);
                        merged.executeUpdate();
                    }
                }
                if (backfilling.get()) {
                    during.incrementAndGet();
                }
            }
        }
    }

    @Test
    void misuseIsReportedTogether() {
        String ddl = DDL + "\nCREATE TABLE logs (line text, level int);";
        MigrationPlan plan = Migration.on("people")
                .mergeColumns("first_name", "first_name", "nickname").with("\0").into("full_name").batched(0).keepSources()
                .on("people").mergeColumns("id", "email").with(" ").into("x".repeat(64)).type("integer").keepSources()
                .on("logs").mergeColumns("line", "level").with(":").into("both")
                .on("people").mergeColumns("first_name").with(" ").into("email")
                .plan();
        String op1 = "operation 1 (merge people.first_name, first_name, nickname into full_name): ";
        String op2 = "operation 2 (merge people.id, email into " + "x".repeat(64) + "): ";
        String op3 = "operation 3 (merge logs.line, level into both): ";
        String op4 = "operation 4 (merge people.first_name into email): ";
        assertThatThrownBy(() -> Zerodown.compile(plan, ddl, MigrationContext.builder().name("bad").target(Target.postgres(15)).build()))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly(
                                op1 + "the separator contains a NUL character, which no text column can hold",
                                op1 + "column \"first_name\" is listed twice among the columns to merge",
                                op1 + "batch size must be at least 1, got 0",
                                op1 + "unknown column \"nickname\" in table \"people\"",
                                op2 + "column \"id\" is bigint; only text columns (text, character varying, character) can be merged",
                                op2 + "the merged column must have a text type; got integer",
                                op2 + "column name \"" + "x".repeat(64) + "\" is longer than 63 bytes; PostgreSQL would silently cut it",
                                op3 + "column \"level\" is integer; only text columns (text, character varying, character) can be merged",
                                op3 + "table \"logs\" has no primary key; the batched backfill walks the primary key. Add one first (a "
                                        + "unique index built concurrently, then ADD PRIMARY KEY USING INDEX)",
                                op4 + "merging needs at least two source columns, got 1",
                                op4 + "column \"email\" already exists in table \"people\"; choose another name, or drop it first"));
    }

    private static List<String> row(String... values) {
        return Arrays.asList(values);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of("a\"b", "x y", "$zerodown$", "Ünï", "select", "it's", "$function$"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).map(s -> "c_" + s));
    }

    /** Generated names, separators, source counts, types, tolerances, batch sizes, servers: up, verification, data, down. */
    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void mergesAndRoundTrips(@ForAll("names") String a, @ForAll("names") String b, @ForAll("names") String target,
                             @ForAll boolean three, @ForAll("separators") String separator, @ForAll boolean newest,
                             @ForAll("tolerances") DowntimeTolerance downtime, @ForAll("batches") int batch,
                             @ForAll boolean varchar) throws Exception {
        List<String> sources = new ArrayList<>(List.of(a + "_1", b + "_2"));
        if (three) {
            sources.add("third");
        }
        PostgresServer server = newest ? PostgresServers.newest() : PostgresServers.oldest();
        String ddl = "CREATE TABLE " + PgSql.quote(target + "_t") + " (" + PgSql.quote("k \"ey") + " integer PRIMARY KEY, "
                + sources.stream().map(s -> PgSql.quote(s) + " text").reduce((x, y) -> x + ", " + y).orElseThrow() + ", other int);";
        var merge = Migration.on(target + "_t").mergeColumns(sources.toArray(String[]::new)).with(separator).into(target).batched(batch);
        MigrationPlan plan = (varchar ? merge.type("varchar(200)") : merge).plan();
        MigrationPackage pkg = Zerodown.compile(plan, ddl, MigrationContext.builder().name("p").target(Target.postgres(server.major()))
                .profile(target + "_t", TableProfile.of(100, 1, ReadPattern.MIXED)).downtime(downtime).build());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + PgSql.quote(target + "_t") + " VALUES (?, ?, ?"
                    + (three ? ", ?" : "") + ", ?)")) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String[] words = {"Ann", " Bo ", "", " ", "x;y", "O'Neil", "$zerodown$", "a  b", "Zoë"};
                for (int i = 1; i <= 60; i++) {
                    insert.setInt(1, i);
                    for (int s = 0; s < sources.size(); s++) {
                        insert.setString(2 + s, random.nextInt(5) == 0 ? null : words[random.nextInt(words.length)]);
                    }
                    insert.setInt(2 + sources.size(), i);
                    insert.executeUpdate();
                }
            }
            String[] columns = new ArrayList<>(List.of("k \"ey")) {{ addAll(sources); add("other"); }}.toArray(String[]::new);
            Schema before = introspect(c);
            String data = checksum(c, target + "_t", columns);
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c)))
                    .isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps())));
            assertThat(checksum(c, target + "_t", columns)).isEqualTo(data);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, target + "_t", columns)).isEqualTo(data);
        }
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of(" ", ", ", "", "--", "'", "$zerodown$", "ö");
    }

    @Provide
    Arbitrary<DowntimeTolerance> tolerances() {
        return Arbitraries.of(DowntimeTolerance.none(), DowntimeTolerance.devOnly(), DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(1)));
    }

    @Provide
    Arbitrary<Integer> batches() {
        return Arbitraries.integers().between(1, 50);
    }
}
