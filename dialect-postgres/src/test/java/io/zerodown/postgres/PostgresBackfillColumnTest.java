package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static io.zerodown.postgres.PgTestSupport.queryString;
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
import io.zerodown.plan.Check;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
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

/** Filling a column from an expression: batched or direct, keeping the old values or not; on 12 and 18. */
class PostgresBackfillColumnTest {

    static final String DDL = "CREATE TABLE products (id bigserial PRIMARY KEY, name text NOT NULL, slug text, status text, "
            + "price numeric(10,2), sku varchar(20) UNIQUE);";
    static final String SLUG = "lower(replace(name, ' ', '-'))";
    static final String[] OTHER_COLUMNS = {"id", "name", "status", "price", "sku"};
    static final String[] ALL_COLUMNS = {"id", "name", "slug", "status", "price", "sku"};

    /** Slugs: a quarter right already, a quarter wrong, the rest NULL; the last row's is wrong, so that it needs a fill. */
    static void setup(Connection c, int rows) throws SQLException {
        execute(c, DDL, "INSERT INTO products (name, slug, status, price, sku) SELECT 'Product ' || g, "
                        + "CASE g % 4 WHEN 0 THEN 'legacy-' || g WHEN 1 THEN 'product-' || g END, "
                        + "CASE WHEN g % 3 = 0 THEN 'sold' END, g / 10.0, 'SKU' || g FROM generate_series(1, " + rows + ") g",
                "INSERT INTO products (name, slug) VALUES ('Last One', 'stale')");
    }

    @Test
    void thePreCheckFindsAnotherTriggerThatNamesTheColumnAndIgnoresOthers() throws Exception {
        MigrationPackage pkg = compile(18, DowntimeTolerance.none(), true);
        List<io.zerodown.plan.Check> triggerCheck = pkg.execution().preChecks().stream()
                .filter(c -> c.description().startsWith("No other trigger on products")).toList();
        assertThat(triggerCheck).hasSize(1);
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            setup(c, 10);
            execute(c, "CREATE FUNCTION touch_price() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE myslug text; BEGIN myslug := 'a'; "
                            + "NEW.price := NEW.price; RETURN NEW; END $$",
                    "CREATE TRIGGER touch_price BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION touch_price()");
            assertThat(PackageChecks.failures(CheckRunner.run(c, triggerCheck))).as("a trigger on other columns is harmless, even with a word that contains slug").isEmpty();
            execute(c, "CREATE FUNCTION set_slug() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.slug := 'x'; RETURN NEW; END $$",
                    "CREATE TRIGGER set_slug BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION set_slug()");
            assertThat(PackageChecks.failures(CheckRunner.run(c, triggerCheck))).as("a trigger that writes slug is found").hasSize(1);
        }
    }

    static MigrationContext context(int major, DowntimeTolerance downtime, boolean reversible) {
        return MigrationContext.builder().name("fill_slugs").date(LocalDate.of(2026, 11, 24)).target(Target.postgres(major))
                .profile("products", TableProfile.of(5_000_000, 300, ReadPattern.MIXED)).downtime(downtime)
                .rollback(reversible ? RollbackRequirement.reversibleFor(Duration.ofDays(7)) : RollbackRequirement.oneWay()).build();
    }

    static MigrationPackage compile(int major, DowntimeTolerance downtime, boolean reversible) {
        return compile(Migration.on("products").backfill("slug").with(SLUG).batched(500).plan(), major, downtime, reversible);
    }

    static MigrationPackage compile(MigrationPlan plan, int major, DowntimeTolerance downtime, boolean reversible) {
        return Zerodown.compile(plan, DDL, context(major, downtime, reversible));
    }

    @Test
    void goldenOnlineKeepingOldValues() {
        MigrationPackage pkg = compile(15, DowntimeTolerance.none(), true);
        assertThat(pkg.down().dataLoss()).isEmpty();
        assertThat(pkg.down().script().steps()).extracting(Step::kind)
                .containsExactly(Step.Kind.SCHEMA, Step.Kind.SCHEMA, Step.Kind.BACKFILL, Step.Kind.SCHEMA);
        GoldenFiles.assertMatches("backfill_column/online_kept.up.sql", pkg.up().sql());
        GoldenFiles.assertMatches("backfill_column/online_kept.contract.sql", pkg.contract().sql());
        GoldenFiles.assertMatches("backfill_column/online_kept.down.sql", pkg.down().script().sql());
        GoldenFiles.assertMatches("backfill_column/online_kept.verify.sql", PostgresRenameTableTest.render(pkg.verification()));
        GoldenFiles.assertMatches("backfill_column/online_kept.prechecks.sql", PostgresRenameTableTest.render(pkg.execution().preChecks()
                .stream().filter(c -> c.description().contains("slug") || c.description().contains("expression")).toList()));
    }

    @Test
    void goldenOneWayAndDirect() {
        MigrationPackage oneWay = compile(15, DowntimeTolerance.none(), false);
        assertThat(oneWay.down().dataLoss()).singleElement().asString().contains("the values of slug that the backfill and the trigger "
                + "replaced are lost");
        assertThat(oneWay.up().sql()).doesNotContain("SECURITY DEFINER").doesNotContain("zd_old");
        GoldenFiles.assertMatches("backfill_column/online_one_way.up.sql", oneWay.up().sql());
        GoldenFiles.assertMatches("backfill_column/online_one_way.down.sql", oneWay.down().script().sql());

        MigrationPackage direct = compile(15, DowntimeTolerance.devOnly(), true);
        assertThat(direct.up().steps()).extracting(Step::kind).containsExactly(Step.Kind.SCHEMA, Step.Kind.DATA);
        GoldenFiles.assertMatches("backfill_column/direct_kept.up.sql", direct.up().sql());
        GoldenFiles.assertMatches("backfill_column/direct_kept.down.sql", direct.down().script().sql());
    }

    /**
     * The variants that keep old values emit every statement of the one-way ones plus the side table, the keeping function
     * and the restore: they run on both servers; the one-way ones on the newest.
     */
    @Test
    void locksAndRoundTrip() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            for (DowntimeTolerance downtime : List.of(DowntimeTolerance.none(), DowntimeTolerance.devOnly())) {
                PackageChecks.locksAndRoundTrip(server, c -> setup(c, 800), compile(server.major(), downtime, true), TableOpChecks.NO_GUARDS);
                if (server.major() == PostgresServers.NEWEST) {
                    PackageChecks.locksAndRoundTrip(server, c -> setup(c, 800), compile(server.major(), downtime, false),
                            TableOpChecks.NO_GUARDS);
                }
            }
        }
    }

    @Test
    void durationClasses() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), n -> c -> setup(c, n), 3_000, 60_000,
                compile(18, DowntimeTolerance.devOnly(), true));
    }

    @Test
    void fillsEveryRowAndDownPutsBackTheOldValuesOnlyWhenKept() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            for (boolean reversible : new boolean[] {true, false}) {
                MigrationPackage pkg = compile(server.major(), DowntimeTolerance.none(), reversible);
                try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                    setup(c, 2_000);
                    Schema before = introspect(c);
                    String others = checksum(c, "products", OTHER_COLUMNS);
                    String all = checksum(c, "products", ALL_COLUMNS);
                    assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
                    List<String> notices = new ArrayList<>();
                    new StepRunner(c, notices::add).run(pkg.up().steps());
                    assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                    assertThat(notices).as("only the rows whose slug differs are written: 3 of every 4, and the last")
                            .anyMatch(n -> n.contains("finished: 1501 rows written"));
                    assertThat(queryString(c, "SELECT slug FROM products WHERE name = 'Last One'")).isEqualTo("last-one");
                    assertThat(checksum(c, "products", OTHER_COLUMNS)).as("the other columns are untouched").isEqualTo(others);
                    if (reversible) {
                        assertThat(queryLong(c, "SELECT count(*) FROM zerodown.\"zd_old_fill_slugs_products_slug\""))
                                .as("one kept value per row changed").isEqualTo(1_501);
                    }
                    new StepRunner(c).run(pkg.down().script().steps());
                    assertThat(introspect(c)).isEqualTo(before);
                    assertThat(checksum(c, "products", OTHER_COLUMNS)).isEqualTo(others);
                    if (reversible) {
                        assertThat(checksum(c, "products", ALL_COLUMNS)).as("the old slugs are back").isEqualTo(all);
                        assertThat(queryString(c, "SELECT to_regclass('zerodown.\"zd_old_fill_slugs_products_slug\"')")).isNull();
                    } else {
                        assertThat(queryLong(c, "SELECT count(*) FROM products WHERE slug IS DISTINCT FROM " + SLUG))
                                .as("one-way: the computed values stay, as the package says").isZero();
                    }
                    new StepRunner(c).run(pkg.up().steps());
                    assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).as("up after down").isEmpty();
                    new StepRunner(c).run(pkg.contract().steps());
                    assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
                    execute(c, "UPDATE products SET name = 'Renamed', slug = 'custom' WHERE id = 1");
                    assertThat(queryString(c, "SELECT slug FROM products WHERE id = 1")).as("after the contract the column is free")
                            .isEqualTo("custom");
                }
            }
        }
    }

    /** The application's role needs no grant on the zerodown schema: the trigger keeps old values with its owner's rights. */
    @Test
    void anApplicationRoleWritesWhileOldValuesAreKept() throws Exception {
        PostgresServer server = PostgresServers.oldest();
        String role = "zd_app_" + UUID.randomUUID().toString().substring(0, 8);
        MigrationPackage pkg = compile(server.major(), DowntimeTolerance.none(), true);
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            setup(c, 100);
            execute(c, "CREATE ROLE " + role, "GRANT SELECT, INSERT, UPDATE ON products TO " + role,
                    "GRANT USAGE ON SEQUENCE products_id_seq TO " + role);
            new StepRunner(c).run(pkg.up().steps().subList(0, 1));
            execute(c, "SET ROLE " + role);
            execute(c, "UPDATE products SET name = 'New Name' WHERE id = 4", "INSERT INTO products (name) VALUES ('Fresh Item')",
                    "UPDATE products SET slug = 'hand-made' WHERE id = 8");
            execute(c, "RESET ROLE");
            assertThat(rows(c, "SELECT id::text, slug FROM products WHERE id IN (4, 8) OR name = 'Fresh Item' ORDER BY products.id"))
                    .containsExactly(List.of("4", "new-name"), List.of("8", "product-8"), List.of("102", "fresh-item"));
            assertThat(rows(c, "SELECT id::text, zd_old_value FROM zerodown.\"zd_old_fill_slugs_products_slug\" ORDER BY id"))
                    .containsExactly(List.of("4", "legacy-4"), List.of("8", "legacy-8"));
        } finally {
            try (TestDatabase admin = server.createDatabase(); Connection c = admin.connect()) {
                execute(c, "DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    void anExpressionReadingItsOwnColumnMustGiveTheSameValueTwice() throws Exception {
        MigrationPackage fill = compile(Migration.on("products").backfill("status").with("coalesce(status, 'active')").plan(), 18,
                DowntimeTolerance.none(), true);
        MigrationPackage transform = compile(Migration.on("products").backfill("price").with("price * 2").plan(), 18,
                DowntimeTolerance.none(), true);
        assertThat(transform.execution().preChecks()).extracting(Check::description).anyMatch(d -> d.startsWith("Applied twice"));
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            setup(c, 300);
            assertThat(PackageChecks.failures(CheckRunner.run(c, fill.execution().preChecks()))).isEmpty();
            assertThat(PackageChecks.failures(CheckRunner.run(c, transform.execution().preChecks())))
                    .singleElement().asString().contains("Applied twice, the expression gives what it gives once");
            String all = checksum(c, "products", ALL_COLUMNS);
            new StepRunner(c).run(fill.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, fill.verification()))).isEmpty();
            assertThat(rows(c, "SELECT status, count(*)::text FROM products GROUP BY status ORDER BY status"))
                    .containsExactly(List.of("active", "201"), List.of("sold", "100"));
            execute(c, "INSERT INTO products (name) VALUES ('New')", "UPDATE products SET status = NULL WHERE id = 3");
            assertThat(queryLong(c, "SELECT count(*) FROM products WHERE status IS NULL")).as("writes pass through the expression").isZero();
            execute(c, "DELETE FROM products WHERE name = 'New'");
            new StepRunner(c).run(fill.down().script().steps());
            assertThat(checksum(c, "products", ALL_COLUMNS)).isEqualTo(all);
        }
    }

    @Test
    void anExpressionThatFailsOnTheDataStopsThePreChecks() throws Exception {
        MigrationPackage pkg = compile(Migration.on("products").backfill("status").with("(price / (id - 5))::text").plan(), 12,
                DowntimeTolerance.none(), true);
        try (TestDatabase db = PostgresServers.oldest().createDatabase(); Connection c = db.connect()) {
            setup(c, 20);
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .singleElement().asString().contains("The expression evaluates on products's rows").contains("division by zero");
        }
    }

    @Test
    void aNonDeterministicExpressionIsVerifiedForPresenceOnly() throws Exception {
        MigrationPackage pkg = compile(Migration.on("products").backfill("status").with("'batch ' || clock_timestamp()").batched(50)
                .plan(), 12, DowntimeTolerance.none(), false);
        assertThat(pkg.verification()).extracting(Check::description).anyMatch(d -> d.startsWith("No row's status is NULL"));
        assertThat(pkg.notes()).anyMatch(n -> n.contains("not deterministic"));
        try (TestDatabase db = PostgresServers.oldest().createDatabase(); Connection c = db.connect()) {
            setup(c, 200);
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(queryLong(c, "SELECT count(DISTINCT status) FROM products")).as("one value per row or batch").isGreaterThan(1);
        }
    }

    @Test
    void concurrentWritersLeaveNoStaleRowAndDownRestoresEveryPreExistingRow() throws Exception {
        MigrationPackage pkg = compile(Migration.on("products").backfill("slug").with(SLUG).batched(300).plan(), 18,
                DowntimeTolerance.none(), true);
        int rows = 12_000;
        ExecutorService executor = Executors.newFixedThreadPool(2);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean expanded = new AtomicBoolean();
        AtomicBoolean backfilling = new AtomicBoolean();
        AtomicLong during = new AtomicLong();
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            setup(c, rows);
            Map<String, String> slugsBefore = new TreeMap<>();
            for (List<String> row : PgTestSupport.rows(c, "SELECT id::text, slug FROM products")) {
                slugsBefore.put(row.get(0), row.get(1));
            }
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
            Thread.sleep(100);
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertThat(during.get()).as("writes overlapped the backfill").isGreaterThan(50);
            assertThat(CheckRunner.run(c, pkg.verification())).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());

            new StepRunner(c).run(pkg.down().script().steps());
            Map<String, String> slugsAfter = new TreeMap<>();
            for (List<String> row : PgTestSupport.rows(c, "SELECT id::text, slug FROM products WHERE id <= " + (rows + 1))) {
                slugsAfter.put(row.get(0), row.get(1));
            }
            assertThat(slugsAfter).as("every pre-existing row has its slug from before the migration back, whatever was written "
                    + "meanwhile").isEqualTo(slugsBefore);
        } finally {
            stop.set(true);
            executor.shutdownNow();
        }
    }

    /**
     * Code that does not know slug renames products, inserts, changes other columns, from before the trigger exists; once it
     * does, newer code also writes slug itself (which the trigger replaces with the computed value).
     */
    private static void write(Connection wc, int rows, AtomicBoolean stop, AtomicBoolean expanded, AtomicBoolean backfilling,
                              AtomicLong during) throws Exception {
        try (PreparedStatement rename = wc.prepareStatement("UPDATE products SET name = ? WHERE id = ?");
             PreparedStatement other = wc.prepareStatement("UPDATE products SET price = price + 1 WHERE id = ?");
             PreparedStatement insert = wc.prepareStatement("INSERT INTO products (name) VALUES (?)");
             PreparedStatement slug = wc.prepareStatement("UPDATE products SET slug = ? WHERE id = ?")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                long id = random.nextLong(1, rows + 1);
                int n = random.nextInt(1_000_000);
                switch (random.nextInt(expanded.get() ? 4 : 3)) {
                    case 0 -> {
                        rename.setString(1, "Renamed Item " + n);
                        rename.setLong(2, id);
                        rename.executeUpdate();
                    }
                    case 1 -> {
                        other.setLong(1, id);
                        other.executeUpdate();
                    }
                    case 2 -> {
                        insert.setString(1, "Inserted Item " + n);
                        insert.executeUpdate();
                    }
                    default -> {
                        slug.setString(1, "hand-written-" + n);
                        slug.setLong(2, id);
                        slug.executeUpdate();
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
        String ddl = DDL + "\nCREATE TABLE logs (line text, ts timestamptz);"
                + "\nCREATE TABLE calc (id int PRIMARY KEY, a int, twice int GENERATED ALWAYS AS (a * 2) STORED, "
                + "n int GENERATED ALWAYS AS IDENTITY);";
        MigrationPlan plan = Migration.on("products").backfill("slug").with("lower(nmae)").batched(0)
                .on("products").backfill("slug").with("(SELECT max(name) FROM products)")
                .on("products").backfill("slug").with("products.name || $1")
                .on("products").backfill("id").with("id + 1")
                .on("products").backfill("colour").with("'red'")
                .on("logs").backfill("line").with("'x' || ts")
                .on("calc").backfill("twice").with("a * 3")
                .on("calc").backfill("n").with("a")
                .on("products").backfill("slug").with("name +")
                .plan();
        assertThatThrownBy(() -> Zerodown.compile(plan, ddl, MigrationContext.builder().name("bad").target(Target.postgres(15)).build()))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "batch size must be at least 1, got 0",
                                "value lower(nmae): unknown column \"nmae\" in table \"products\" (did you mean \"name\"?); the expression "
                                        + "can read only columns of the row being filled",
                                "value (SELECT max(name) FROM products): a subquery reads other rows or tables, whose later changes the "
                                        + "backfill could not follow; use an expression over the row's own columns (copy the data in "
                                        + "with a separate job if it comes from elsewhere)",
                                "value products.name || $1: write columns without a table name (name, not products.name); the "
                                        + "expression is evaluated over the row being filled",
                                "value products.name || $1: parameters ($1, ?) cannot be used; write the value into the expression",
                                "column \"id\" is part of the primary key, which the batched backfill walks: changing keys while "
                                        + "walking them is not supported. Add a new column, backfill it, and swap the keys instead",
                                "unknown column \"colour\" in table \"products\"",
                                "table \"logs\" has no primary key; the batched backfill walks the primary key. Add one first (a unique "
                                        + "index built concurrently, then ADD PRIMARY KEY USING INDEX)",
                                "column \"twice\" is generated (GENERATED ALWAYS AS … STORED): the database computes it and it cannot "
                                        + "be written",
                                "column \"n\" is GENERATED ALWAYS AS IDENTITY: it cannot be written",
                                "value: not a single SQL expression: 'name +'"));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of("a\"b", "x y", "$zerodown$", "Ünï", "select", "it's", "$function$", "zd_value", "v_rows"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).map(s -> "c_" + s));
    }

    @Provide
    Arbitrary<String> expressions() {
        return Arbitraries.of("upper(%s)", "coalesce(%s, 'none')", "%s || '-' || k", "length(%s)::text", "'constant'",
                "CASE WHEN %s IS NULL THEN NULL ELSE reverse(%s) END");
    }

    /** Generated names (hostile ones included), expressions, tolerances, rollback, batch sizes, servers: up, verification, down. */
    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void fillsAndRoundTrips(@ForAll("names") String source, @ForAll("names") String target, @ForAll("expressions") String expression,
                            @ForAll boolean reversible, @ForAll boolean online, @ForAll boolean newest,
                            @ForAll("batches") int batch, @ForAll boolean intoVarchar) throws Exception {
        if (source.equals(target)) {
            return;
        }
        PostgresServer server = newest ? PostgresServers.newest() : PostgresServers.oldest();
        String table = target + " t";
        String ddl = "CREATE TABLE " + PgSql.quote(table) + " (k integer PRIMARY KEY, " + PgSql.quote(source) + " text, "
                + PgSql.quote(target) + (intoVarchar ? " varchar(40)" : " text") + ");";
        String value = expression.replace("%s", PgSql.quote(source));
        MigrationPackage pkg = Zerodown.compile(Migration.on(table).backfill(target).with(value).batched(batch).plan(), ddl,
                MigrationContext.builder().name("p").target(Target.postgres(server.major()))
                        .profile(table, TableProfile.of(100, 1, ReadPattern.MIXED))
                        .downtime(online ? DowntimeTolerance.none() : DowntimeTolerance.devOnly())
                        .rollback(reversible ? RollbackRequirement.reversibleFor(Duration.ofDays(1)) : RollbackRequirement.oneWay()).build());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(table) + " SELECT g, CASE WHEN g % 4 <> 0 THEN 'v' || g || ' $x$' END, "
                    + "CASE WHEN g % 3 = 0 THEN 'old' || g END FROM generate_series(1, 70) g");
            Schema before = introspect(c);
            String others = checksum(c, table, "k", source);
            String all = checksum(c, table, "k", source, target);
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c)))
                    .isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps())));
            assertThat(checksum(c, table, "k", source)).isEqualTo(others);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, table, "k", source)).isEqualTo(others);
            if (reversible) {
                assertThat(checksum(c, table, "k", source, target)).isEqualTo(all);
            }
        }
    }

    @Provide
    Arbitrary<Integer> batches() {
        return Arbitraries.integers().between(1, 40);
    }
}
