package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.checksum;
import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.introspect;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static io.zerodown.postgres.PgTestSupport.queryString;
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
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
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

/** Renaming a column: the direct rename, and the online expand-contract with a synced copy, on 12 and 18. */
class PostgresRenameColumnTest {

    static final String DDL = "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL DEFAULT 'unknown@example.com', "
            + "name text, age int, nickname text, CONSTRAINT customers_email_key UNIQUE (email), CONSTRAINT email_has_at CHECK (length(email) > 3));\n"
            + "CREATE INDEX customers_email_age_idx ON customers (email, age);\n"
            + "CREATE INDEX customers_lower_email_idx ON customers (lower(email)) WHERE name IS NOT NULL;\n"
            + "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);\n";

    static void setup(Connection c, int rows) throws SQLException {
        execute(c, DDL, "INSERT INTO customers SELECT g, 'u' || g || '@example.com', CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' || g END, "
                        + "g % 90, 'nick' || g FROM generate_series(1, " + rows + ") g",
                "INSERT INTO orders SELECT g, g FROM generate_series(1, least(" + rows + ", 100)) g");
    }

    static MigrationContext context(int major, DowntimeTolerance downtime) {
        return MigrationContext.builder().name("rename_email").date(LocalDate.of(2026, 12, 7)).target(Target.postgres(major))
                .profile("customers", TableProfile.of(2_000_000, 50, ReadPattern.MIXED))
                .downtime(downtime).rollback(RollbackRequirement.reversibleFor(Duration.ofDays(7))).build();
    }

    static MigrationPackage compile(String column, String to, int major, DowntimeTolerance downtime) {
        return Zerodown.compile(Migration.on("customers").renameColumn(column).to(to).plan(), DDL, context(major, downtime));
    }

    /** The email column: NOT NULL, a default, a unique constraint, a check, a composite and a partial expression index. */
    static MigrationPackage email(int major, DowntimeTolerance downtime) {
        return compile("email", "contact_email", major, downtime);
    }

    @Test
    void goldenDirect() {
        MigrationPackage pkg = email(15, DowntimeTolerance.devOnly());
        assertThat(pkg.contract().steps()).isEmpty();
        GoldenFiles.assertMatches("rename_column/direct.up.sql", pkg.up().sql());
        GoldenFiles.assertMatches("rename_column/direct.down.sql", pkg.down().script().sql());
        GoldenFiles.assertMatches("rename_column/direct.verify.sql", PostgresRenameTableTest.render(pkg.verification()));
    }

    @Test
    void goldenOnline() {
        MigrationPackage pkg = compile("nickname", "alias", 15, DowntimeTolerance.none());
        GoldenFiles.assertMatches("rename_column/online.up.sql", pkg.up().sql());
        GoldenFiles.assertMatches("rename_column/online.contract.sql", pkg.contract().sql());
        GoldenFiles.assertMatches("rename_column/online.down.sql", pkg.down().script().sql());
        GoldenFiles.assertMatches("rename_column/online.verify.sql", PostgresRenameTableTest.render(pkg.verification()));
    }

    @Test
    void goldenOnlineWithIndexesAndNotNull() {
        for (int major : List.of(15, 18)) {
            MigrationPackage pkg = email(major, DowntimeTolerance.none());
            String prefix = "rename_column/online_indexed_" + major;
            GoldenFiles.assertMatches(prefix + ".up.sql", pkg.up().sql());
            GoldenFiles.assertMatches(prefix + ".contract.sql", pkg.contract().sql());
            GoldenFiles.assertMatches(prefix + ".down.sql", pkg.down().script().sql());
            GoldenFiles.assertMatches(prefix + ".verify.sql", PostgresRenameTableTest.render(pkg.verification()));
        }
    }

    @Test
    void strategyFollowsTheDowntimeTolerance() {
        assertThat(email(15, DowntimeTolerance.devOnly()).strategy().techniques()).containsExactly(Technique.DIRECT);
        assertThat(email(15, DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(5))).strategy().techniques())
                .containsExactly(Technique.DIRECT, Technique.MAINTENANCE_WINDOW);
        assertThat(email(15, DowntimeTolerance.none()).strategy().techniques()).containsExactly(Technique.EXPAND_CONTRACT,
                Technique.SYNC_TRIGGER, Technique.BATCHED_DML, Technique.NOT_VALID_THEN_VALIDATE, Technique.CONCURRENT_INDEX);
        assertThat(compile("nickname", "alias", 15, DowntimeTolerance.none()).strategy().techniques())
                .containsExactly(Technique.EXPAND_CONTRACT, Technique.SYNC_TRIGGER, Technique.BATCHED_DML);
        assertThat(compile("name", "full_name", 15, DowntimeTolerance.none()).strategy().techniques())
                .as("name is read by the predicate of an index").contains(Technique.CONCURRENT_INDEX);
    }

    @Test
    void downUndoesUpInMemory() {
        for (DowntimeTolerance downtime : List.of(DowntimeTolerance.devOnly(), DowntimeTolerance.none())) {
            for (int major : List.of(12, 15, 18)) {
                for (String column : List.of("email", "name", "age", "nickname")) {
                    MigrationPackage pkg = compile(column, "renamed", major, downtime);
                    Schema up = PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps());
                    assertThat(PackageChecks.simulate(up, pkg.down().script().steps())).as("%s %s %s", column, major, downtime)
                            .isEqualTo(pkg.schemaBefore());
                }
            }
        }
    }

    @Test
    void locksAndRoundTripOnline() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 500), email(server.major(), DowntimeTolerance.none()));
        }
    }

    /**
     * The direct rename of email (every kind of index and constraint reads it) and of id (the primary key, referenced by a
     * foreign key of orders): the catalog after the rename equals the simulated schema, names of indexes and constraints
     * kept, and the down script renames back exactly.
     */
    @Test
    void locksAndRoundTripDirect() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 500), email(server.major(), DowntimeTolerance.devOnly()));
            PackageChecks.locksAndRoundTrip(server, c -> setup(c, 500),
                    compile("id", "customer_id", server.major(), DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(1))));
        }
    }

    /** A foreign key column (orders.customer_id, with an index): the foreign key is copied NOT VALID and validated. */
    @Test
    void locksAndRoundTripOnlineForeignKey() throws Exception {
        String ddl = DDL + "CREATE INDEX orders_customer_idx ON orders (customer_id);\n";
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = Zerodown.compile(Migration.on("orders").renameColumn("customer_id").to("buyer_id").plan(), ddl,
                    context(server.major(), DowntimeTolerance.none()));
            PackageChecks.locksAndRoundTrip(server, c -> {
                setup(c, 300);
                execute(c, "CREATE INDEX orders_customer_idx ON orders (customer_id)");
            }, pkg);
            if (server.major() == 18) {
                GoldenFiles.assertMatches("rename_column/online_foreign_key_18.up.sql", pkg.up().sql());
                GoldenFiles.assertMatches("rename_column/online_foreign_key_18.contract.sql", pkg.contract().sql());
            }
        }
    }

    @Test
    void durationClasses() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), n -> c -> setup(c, n), 1_500, 30_000, email(18, DowntimeTolerance.none()));
        PackageChecks.durationClasses(PostgresServers.newest(), n -> c -> setup(c, n), 1_500, 30_000, email(18, DowntimeTolerance.devOnly()));
    }

    /**
     * Old code (email) and new code (contact_email) side by side after the up script: inserts with either name or neither
     * (the default), updates of either, the unique constraint on the copy; re-runs after an interruption; down; contract.
     */
    @Test
    void bothNamesWorkSideBySideAndRerunsAreSafe() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            MigrationPackage pkg = email(server.major(), DowntimeTolerance.none());
            try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
                setup(c, 200);
                Schema before = introspect(c);
                String data = checksum(c, "customers", "id", "email", "name", "age", "nickname");
                List<Step> up = pkg.up().steps();
                StepRunner runner = new StepRunner(c);
                // Interrupted after the backfill: the next run skips what is done.
                runner.run(up.subList(0, 2));
                runner.run(up);
                runner.run(up);
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();

                execute(c, "INSERT INTO customers (id, name) VALUES (1001, 'old code, default')",
                        "INSERT INTO customers (id, email) VALUES (1002, 'old@example.com')",
                        "INSERT INTO customers (id, contact_email) VALUES (1003, 'new@example.com')",
                        "UPDATE customers SET email = 'changed.old@example.com' WHERE id = 1",
                        "UPDATE customers SET contact_email = 'changed.new@example.com' WHERE id = 2",
                        "UPDATE customers SET age = 7 WHERE id = 3");
                assertThat(PgTestSupport.rows(c, "SELECT id, email, contact_email FROM customers WHERE id IN (1, 2, 3, 1001, 1002, 1003) ORDER BY id"))
                        .containsExactly(List.of("1", "changed.old@example.com", "changed.old@example.com"),
                                List.of("2", "changed.new@example.com", "changed.new@example.com"),
                                List.of("3", "u3@example.com", "u3@example.com"),
                                List.of("1001", "unknown@example.com", "unknown@example.com"),
                                List.of("1002", "old@example.com", "old@example.com"),
                                List.of("1003", "new@example.com", "new@example.com"));
                assertThatThrownBy(() -> execute(c, "INSERT INTO customers (id, contact_email) VALUES (1004, 'u5@example.com')"))
                        .as("the unique constraint holds under either name").hasMessageContaining("customers_email_key");
                assertThatThrownBy(() -> execute(c, "UPDATE customers SET contact_email = 'x' WHERE id = 4"))
                        .as("the check holds under the new name").hasMessageContaining("email_has_at");
                assertThatThrownBy(() -> execute(c, "UPDATE customers SET contact_email = NULL WHERE id = 4"))
                        .as("NOT NULL holds under the new name").hasMessageContaining("null value");
                assertThat(queryLong(c, "SELECT count(*) FROM customers WHERE contact_email IS DISTINCT FROM email")).isZero();

                new StepRunner(c).run(pkg.down().script().steps());
                new StepRunner(c).run(pkg.down().script().steps());
                assertThat(introspect(c)).as("catalog after down").isEqualTo(before);
                assertThat(queryString(c, "SELECT email FROM customers WHERE id = 2")).as("new code's writes are kept by down")
                        .isEqualTo("changed.new@example.com");
                execute(c, "DELETE FROM customers WHERE id > 1000",
                        "UPDATE customers SET email = 'u' || id || '@example.com', age = id % 90 WHERE id IN (1, 2, 3)");
                assertThat(checksum(c, "customers", "id", "email", "name", "age", "nickname")).isEqualTo(data);

                new StepRunner(c).run(up);
                new StepRunner(c).run(pkg.contract().steps());
                new StepRunner(c).run(pkg.contract().steps());
                assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
                assertThat(checksum(c, "customers", "id", "contact_email", "name", "age", "nickname")).isEqualTo(data);
                execute(c, "INSERT INTO customers (id) VALUES (2000)");
                assertThat(queryString(c, "SELECT contact_email FROM customers WHERE id = 2000")).as("the default moved to the new name")
                        .isEqualTo("unknown@example.com");
                assertThat(queryString(c, "SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text) "
                        + "FROM pg_index WHERE indrelid = 'customers'::regclass"))
                        .as("original index names").isEqualTo("customers_email_age_idx,customers_email_key,customers_lower_email_idx,customers_pkey");
            }
        }
    }

    /** The pre-checks stop the online rename where the copy would not behave as the column: a view, a collation, column grants. */
    @Test
    void preChecksFindWhatTheCopyWouldMiss() throws Exception {
        MigrationPackage pkg = email(18, DowntimeTolerance.none());
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            setup(c, 10);
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            execute(c, "ALTER TABLE customers ALTER COLUMN email TYPE text COLLATE \"C\"",
                    "CREATE VIEW customer_emails AS SELECT id, email FROM customers",
                    "GRANT SELECT (email) ON customers TO PUBLIC");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .anyMatch(f -> f.contains("Nothing but customers's own indexes and constraints depends on email"))
                    .anyMatch(f -> f.contains("email has its type's default collation"))
                    .anyMatch(f -> f.contains("No column-level grants on email"))
                    .hasSize(3);
        }
    }

    /** Writers on both names during and after the backfill: no row where the two names differ. */
    @Test
    void concurrentWritersOnBothNamesLeaveNoDifference() throws Exception {
        MigrationPackage pkg = compile("name", "full_name", 18, DowntimeTolerance.none());
        int rows = 25_000;
        ExecutorService executor = Executors.newFixedThreadPool(2);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean expanded = new AtomicBoolean();
        AtomicBoolean backfilling = new AtomicBoolean();
        AtomicLong during = new AtomicLong();
        AtomicLong after = new AtomicLong();
        try (TestDatabase db = PostgresServers.newest().createDatabase(); Connection c = db.connect()) {
            setup(c, rows);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(executor.submit(() -> {
                    try (Connection wc = db.connect()) {
                        write(wc, rows, stop, expanded, backfilling, during, after);
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
            runner.run(pkg.up().steps().subList(2, pkg.up().steps().size()));
            Thread.sleep(500);
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertThat(during.get()).as("writes overlapped the backfill").isGreaterThan(20);
            assertThat(after.get()).as("writes after the backfill").isGreaterThan(20);
            assertThat(queryLong(c, "SELECT count(*) FROM customers WHERE full_name IS DISTINCT FROM name")).isZero();
            assertThat(queryLong(c, "SELECT count(*) FROM customers WHERE name LIKE 'new%'")).as("new code's writes").isPositive();
            assertThat(CheckRunner.run(c, pkg.verification())).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
        } finally {
            stop.set(true);
            executor.shutdownNow();
        }
    }

    /** Old code writes name or other columns and inserts; once full_name exists, new code writes and inserts with it. */
    private static void write(Connection wc, int rows, AtomicBoolean stop, AtomicBoolean expanded, AtomicBoolean backfilling,
                              AtomicLong during, AtomicLong after) throws Exception {
        try (PreparedStatement oldName = wc.prepareStatement("UPDATE customers SET name = ? WHERE id = ?");
             PreparedStatement other = wc.prepareStatement("UPDATE customers SET age = age + 1 WHERE id = ?");
             PreparedStatement oldInsert = wc.prepareStatement("INSERT INTO customers (id, email, name) VALUES (?, 'w' || ? || '@x.org', ?)");
             PreparedStatement newName = wc.prepareStatement("UPDATE customers SET full_name = ? WHERE id = ?");
             PreparedStatement newInsert = wc.prepareStatement("INSERT INTO customers (id, email, full_name) VALUES (?, 'w' || ? || '@x.org', ?)")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                boolean isExpanded = expanded.get();
                boolean wasBackfilling = backfilling.get();
                long id = random.nextLong(1, rows + 1);
                int n = random.nextInt(1_000_000);
                String value = random.nextInt(5) == 0 ? null : "v" + n;
                switch (random.nextInt(isExpanded ? 5 : 3)) {
                    case 0 -> {
                        oldName.setString(1, value == null ? null : "old" + value);
                        oldName.setLong(2, id);
                        oldName.executeUpdate();
                    }
                    case 1 -> {
                        other.setLong(1, id);
                        other.executeUpdate();
                    }
                    case 2 -> {
                        long key = 1_000_000 + random.nextLong(1_000_000_000);
                        oldInsert.setLong(1, key);
                        oldInsert.setLong(2, key);
                        oldInsert.setString(3, value == null ? null : "oldins" + value);
                        oldInsert.executeUpdate();
                    }
                    case 3 -> {
                        newName.setString(1, value == null ? null : "new" + value);
                        newName.setLong(2, id);
                        newName.executeUpdate();
                    }
                    default -> {
                        long key = 1_000_000 + random.nextLong(1_000_000_000);
                        newInsert.setLong(1, key);
                        newInsert.setLong(2, key);
                        newInsert.setString(3, value == null ? null : "newins" + value);
                        newInsert.executeUpdate();
                    }
                }
                if (wasBackfilling && backfilling.get()) {
                    during.incrementAndGet();
                } else if (isExpanded && !backfilling.get()) {
                    after.incrementAndGet();
                }
            }
        }
    }

    @Test
    void misuseIsReportedTogether() {
        String ddl = DDL + "CREATE TABLE things (id bigint PRIMARY KEY, code int GENERATED ALWAYS AS IDENTITY, n serial, "
                + "label text, shout text GENERATED ALWAYS AS (upper(label)) STORED, parent_id bigint REFERENCES customers);\n"
                + "CREATE TABLE loose (v text);\n";
        MigrationContext online = MigrationContext.builder().name("bad").target(Target.postgres(15)).downtime(DowntimeTolerance.none()).build();
        assertThatThrownBy(() -> Zerodown.compile(Migration.on("customers").renameColumn("id").to("customer_id")
                        .on("customers").renameColumn("nope").to("x")
                        .on("customers").renameColumn("name").to("age")
                        .on("customers").renameColumn("age").to("a".repeat(64))
                        .on("things").renameColumn("code").to("code2")
                        .on("things").renameColumn("n").to("n2")
                        .on("things").renameColumn("label").to("label2")
                        .on("things").renameColumn("shout").to("shout2")
                        .on("things").renameColumn("parent_id").to("customer_id")
                        .on("loose").renameColumn("v").to("w").plan(), ddl, online))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "column \"id\" is part of the primary key \"customers_pkey\": an online rename would need a second "
                                        + "primary key on the copy and to move every foreign key that references it; rename it "
                                        + "directly in a maintenance window instead (downtime maintenanceWindow: ALTER TABLE … RENAME "
                                        + "COLUMN, milliseconds, with the application stopped)",
                                "column \"id\" is referenced by the foreign key \"orders_customer_id_fkey\" of \"orders\": a foreign key "
                                        + "cannot follow a column to its copy without being recreated and validated again; rename it "
                                        + "directly in a maintenance window instead (downtime maintenanceWindow: ALTER TABLE … RENAME "
                                        + "COLUMN, milliseconds, with the application stopped)",
                                "column \"id\" is referenced by the foreign key \"things_parent_id_fkey\" of \"things\": a foreign key "
                                        + "cannot follow a column to its copy without being recreated and validated again; rename it "
                                        + "directly in a maintenance window instead (downtime maintenanceWindow: ALTER TABLE … RENAME "
                                        + "COLUMN, milliseconds, with the application stopped)",
                                "unknown column \"nope\" in table \"customers\" (did you mean \"name\"?)",
                                "column \"age\" already exists in table \"customers\"",
                                "column name \"" + "a".repeat(64) + "\" is longer than 63 bytes; PostgreSQL would silently cut it",
                                "column \"code\" is an identity column: a copy cannot share its sequence; rename it directly in a "
                                        + "maintenance window instead (downtime maintenanceWindow: ALTER TABLE … RENAME COLUMN, "
                                        + "milliseconds, with the application stopped)",
                                "column \"n\" is a serial column: its sequence is owned by it and would be dropped with it; rename it "
                                        + "directly in a maintenance window instead (downtime maintenanceWindow: ALTER TABLE … RENAME "
                                        + "COLUMN, milliseconds, with the application stopped)",
                                "the generated column \"shout\" is computed from \"label\": dropping the old column in the contract "
                                        + "phase would drop it too; rename it directly in a maintenance window instead (downtime "
                                        + "maintenanceWindow: ALTER TABLE … RENAME COLUMN, milliseconds, with the application stopped)",
                                "column \"shout\" is a generated column: it cannot be written, so no synced copy of it can be made; "
                                        + "rename it directly in a maintenance window instead (downtime maintenanceWindow: ALTER TABLE … "
                                        + "RENAME COLUMN, milliseconds, with the application stopped)",
                                "table \"loose\" has no primary key; the online rename's batched backfill walks the primary key. Add "
                                        + "one first, or rename directly in a maintenance window (downtime maintenanceWindow)"));
        MigrationContext direct = MigrationContext.builder().name("ok").target(Target.postgres(15)).downtime(DowntimeTolerance.devOnly()).build();
        assertThat(Zerodown.compile(Migration.on("customers").renameColumn("id").to("customer_id")
                .on("things").renameColumn("code").to("code2").on("loose").renameColumn("v").to("w").plan(), ddl, direct).up().steps())
                .as("the direct rename takes them all").hasSize(3);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of("a\"b", "x y", "$zerodown$", "Ünï", "select", "semi;colon", "it's", "n".repeat(63), "Email"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10).map(s -> "c_" + s));
    }

    /**
     * Generated names (hostile ones included) for the table, the column and its new name, with an index and a check on the
     * column, online or direct, on 12 or 18: up, verification, catalog, data, contract, down, and down(up) in memory.
     */
    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void renamesAnyColumnAndBackAgain(@ForAll("names") String table, @ForAll("names") String from, @ForAll("names") String to,
                                      @ForAll boolean newest, @ForAll boolean online) throws Exception {
        if (from.equals(to) || from.equals("id") || to.equals("id")) {
            return;
        }
        PostgresServer server = newest ? PostgresServers.newest() : PostgresServers.oldest();
        String t = PgSql.quote(table);
        String f = PgSql.quote(from);
        String ddl = "CREATE TABLE " + t + " (id bigint PRIMARY KEY, " + f + " text NOT NULL DEFAULT 'd', CHECK (" + f + " <> ''));\n"
                + "CREATE INDEX " + PgSql.quote(PgNames.derived("i", table)) + " ON " + t + " (lower(" + f + "), " + f + ");";
        MigrationContext context = MigrationContext.builder().name("p").target(Target.postgres(server.major()))
                .downtime(online ? DowntimeTolerance.none() : DowntimeTolerance.devOnly()).build();
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + t + " SELECT g, 'v' || g FROM generate_series(1, 30) g");
            Schema before = introspect(c);
            MigrationPackage pkg = Zerodown.compile(Migration.on(table).renameColumn(from).to(to).plan(), before, context);
            assertThat(PackageChecks.simulate(PackageChecks.simulate(before, pkg.up().steps()), pkg.down().script().steps()))
                    .as("down(up) in memory").isEqualTo(before);
            String data = checksum(c, table, "id", from);
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(ComparableSchema.of(introspect(c)))
                    .isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps())));
            assertThat(checksum(c, table, "id", to)).isEqualTo(data);
            if (online) {
                execute(c, "INSERT INTO " + t + " (id) VALUES (31)", "UPDATE " + t + " SET " + PgSql.quote(to) + " = 'new' WHERE id = 1");
                assertThat(PgTestSupport.rows(c, "SELECT " + f + ", " + PgSql.quote(to) + " FROM " + t + " WHERE id IN (1, 31) ORDER BY id"))
                        .containsExactly(List.of("new", "new"), List.of("d", "d"));
                execute(c, "DELETE FROM " + t + " WHERE id = 31", "UPDATE " + t + " SET " + f + " = 'v1' WHERE id = 1");
            }
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, table, "id", from)).isEqualTo(data);
            new StepRunner(c).run(pkg.up().steps());
            new StepRunner(c).run(pkg.contract().steps());
            assertThat(ComparableSchema.of(introspect(c))).isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            assertThat(checksum(c, table, "id", to)).isEqualTo(data);
        }
    }
}
