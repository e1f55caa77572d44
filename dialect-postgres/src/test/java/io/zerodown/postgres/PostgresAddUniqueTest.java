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
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepFailedException;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/** addUnique on real servers: the concurrent build and the attach, their locks, duplicates during the build, the round trip. */
class PostgresAddUniqueTest {

    static final String DDL = "CREATE TABLE accounts (id bigint PRIMARY KEY, email text, tenant integer NOT NULL, note text);";
    static final String NAME = "accounts_email_tenant_key";

    /** Unique (email, tenant) pairs; every tenth email is NULL (NULLs never collide). */
    static PackageChecks.Setup rows(int n) {
        return c -> execute(c, DDL, "INSERT INTO accounts SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'user' || g || '@example.com' END, "
                + "g % 7, 'note ' || g FROM generate_series(1, " + n + ") g");
    }

    static MigrationPlan plan() {
        return Migration.on("accounts").addUnique("email", "tenant").named(NAME).plan();
    }

    static MigrationPackage online(int major) {
        return KeysFixtures.compile(plan(), DDL, major, DowntimeTolerance.none(), "accounts", 2_000_000);
    }

    static MigrationPackage direct(int major) {
        return KeysFixtures.compile(plan(), DDL, major, DowntimeTolerance.devOnly(), "accounts", 2_000_000);
    }

    @Test
    void goldenFiles() {
        KeysFixtures.assertGolden("add_unique", "online", online(15));
        KeysFixtures.assertGolden("add_unique", "direct", direct(15));
    }

    @Test
    void onlineBuildsConcurrentlyAndLocksExclusivelyOnlyToAttach() {
        MigrationPackage pkg = online(15);
        assertThat(pkg.strategy().techniques()).containsExactly(Technique.CONCURRENT_INDEX);
        assertThat(pkg.up().steps()).extracting(Step::kind).containsExactly(Step.Kind.REPAIR, Step.Kind.INDEX_BUILD, Step.Kind.SCHEMA);
        assertThat(pkg.up().steps()).extracting(s -> s.locks().get(0).mode())
                .containsExactly(PgLock.SHARE_UPDATE_EXCLUSIVE, PgLock.SHARE_UPDATE_EXCLUSIVE, PgLock.ACCESS_EXCLUSIVE);
        assertThat(pkg.up().blockingLockTime()).as("only the attach blocks, for a catalog change").isZero();
        assertThat(pkg.up().sql()).contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"" + NAME + "\" ON \"accounts\" USING btree "
                + "(\"email\", \"tenant\")").contains("ADD CONSTRAINT \"" + NAME + "\" UNIQUE USING INDEX \"" + NAME + "\"");

        MigrationPackage direct = direct(15);
        assertThat(direct.strategy().techniques()).containsExactly(Technique.DIRECT);
        assertThat(direct.up().sql()).doesNotContain("CONCURRENTLY").contains("UNIQUE (\"email\", \"tenant\")");
        MigrationPackage window = KeysFixtures.compile(plan(), DDL, 15, DowntimeTolerance.maintenanceWindow(Duration.ofSeconds(10)),
                "accounts", 2_000_000);
        assertThat(window.strategy().techniques()).as("about 4 s under ACCESS EXCLUSIVE fits 10 s")
                .containsExactly(Technique.DIRECT, Technique.MAINTENANCE_WINDOW);
        MigrationPackage tooShort = KeysFixtures.compile(plan(), DDL, 15, DowntimeTolerance.maintenanceWindow(Duration.ofSeconds(1)),
                "accounts", 2_000_000);
        assertThat(tooShort.strategy().techniques()).containsExactly(Technique.CONCURRENT_INDEX);
    }

    @Test
    void locksAndRoundTripOnOldestAndNewest() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            PackageChecks.locksAndRoundTrip(server, rows(1_000), online(server.major()));
            PackageChecks.locksAndRoundTrip(server, rows(1_000), direct(server.major()));
        }
    }

    @Test
    void durationClassesOnNewest() throws Exception {
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresAddUniqueTest::rows, 4_000, 200_000, online(18));
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresAddUniqueTest::rows, 4_000, 200_000, direct(18));
    }

    @Test
    void upEnforcesUniquenessKeepsDataAndDownRestores() throws Exception {
        MigrationPackage pkg = online(15);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect()) {
            rows(5_000).apply(c);
            Schema before = introspect(c);
            String data = checksum(c, "accounts", "id", "email", "tenant", "note");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();

            List<String> ran = new StepRunner(c).run(pkg.up().steps());
            assertThat(ran).as("nothing to repair").hasSize(2);
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(checksum(c, "accounts", "id", "email", "tenant", "note")).isEqualTo(data);
            assertThatThrownBy(() -> execute(c, "INSERT INTO accounts VALUES (-1, 'user1@example.com', 1, 'dup')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"))
                    .hasMessageContaining(NAME);
            execute(c, "INSERT INTO accounts VALUES (-1, NULL, 3, 'null'), (-2, NULL, 3, 'null again')");
            execute(c, "DELETE FROM accounts WHERE id < 0");

            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).as("a second run changes nothing").isEmpty();

            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, "accounts", "id", "email", "tenant", "note")).isEqualTo(data);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).as("the down script can run twice").isEqualTo(before);
        }
    }

    @Test
    void aDuplicateCommittedDuringTheBuildFailsItAndTheNextRunRepairs() throws Exception {
        MigrationPackage pkg = online(15);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect();
             Connection writer = db.connect(); Connection observer = db.connect()) {
            rows(20_000).apply(c);
            writer.setAutoCommit(false);
            execute(writer, "INSERT INTO accounts VALUES (-1, 'user5@example.com', 5, 'written during the build')");
            int pid = LockObserver.backendPid(c);
            Future<List<String>> run = executor.submit(() -> new StepRunner(c).run(pkg.up().steps()));
            LockObserver.awaitWaiting(observer, pid, Duration.ofSeconds(30));
            assertThat(queryString(observer, "SELECT phase FROM pg_stat_progress_create_index WHERE pid = " + pid))
                    .isEqualTo("waiting for writers before build");
            writer.commit();

            assertThatThrownBy(() -> run.get(2, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StepFailedException.class).hasMessageContaining("could not create unique index");
            assertThat(queryString(c, "SELECT indisvalid FROM pg_index WHERE indexrelid = '" + NAME + "'::regclass"))
                    .as("the failed build leaves the index INVALID").isEqualTo("f");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks())))
                    .as("the duplicate pre-check now finds it").anyMatch(f -> f.contains("No two rows share a key") && f.contains("got 1"));

            execute(c, "DELETE FROM accounts WHERE id = -1");
            List<String> ran = new StepRunner(c).run(pkg.up().steps());
            assertThat(ran).as("the repair step runs").anyMatch(id -> id.endsWith(".repair")).hasSize(3);
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void anIndexThatIsReadyRejectsDuplicateWritesBeforeItIsValid() throws Exception {
        MigrationPackage pkg = online(15);
        Step build = KeysFixtures.step(pkg, ".build");
        ExecutorService executor = Executors.newSingleThreadExecutor();
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect();
             Connection snapshot = db.connect(); Connection writer = db.connect(); Connection observer = db.connect()) {
            rows(5_000).apply(c);
            snapshot.setAutoCommit(false);
            execute(snapshot, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            execute(snapshot, "SELECT count(*) FROM pg_class");
            int pid = LockObserver.backendPid(c);
            Future<Boolean> run = executor.submit(() -> new StepRunner(c).run(build));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"waiting for old snapshots".equals(queryString(observer, "SELECT phase FROM pg_stat_progress_create_index WHERE pid = " + pid))) {
                assertThat(System.nanoTime()).as("the build reaches 'waiting for old snapshots'").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(queryString(observer, "SELECT indisvalid::text || indisready::text FROM pg_index WHERE indexrelid = '" + NAME
                    + "'::regclass")).isEqualTo("falsetrue");
            assertThatThrownBy(() -> execute(writer, "INSERT INTO accounts VALUES (-1, 'user7@example.com', 0, 'dup')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"))
                    .hasMessageContaining(NAME);
            snapshot.commit();
            assertThat(run.get(2, TimeUnit.MINUTES)).isTrue();
            assertThat(queryLong(c, "SELECT count(*) FROM accounts WHERE id < 0")).isZero();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void misuseIsReportedTogether() {
        String ddl = DDL + "\nCREATE TABLE settings (id bigint PRIMARY KEY, doc json, taken text);\nCREATE INDEX taken_idx ON settings (taken);";
        MigrationPlan plan = Migration.on("settings")
                .addUnique("doc", "doc", "missing")
                .addUnique("doc").named("x".repeat(64))
                .addUnique("taken").named("taken_idx")
                .addUnique("taken").named("accounts")
                .addUnique("id").named("settings_pkey")
                .plan();
        assertThatThrownBy(() -> KeysFixtures.compile(plan, ddl, 15, DowntimeTolerance.none(), "settings", 10))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly(
                                "column \"doc\" is listed twice in the unique constraint",
                                "unknown column \"missing\" in table \"settings\"",
                                "unique constraint name \"" + "x".repeat(64) + "\" is longer than 63 bytes; PostgreSQL would silently "
                                        + "cut it. Choose a shorter one with named(…)",
                                "column \"doc\" is json, which has no btree operator class: PostgreSQL cannot build the unique index a "
                                        + "unique constraint needs on it (use jsonb instead of json, or a unique index on an expression)",
                                "an index named \"taken_idx\" already exists on \"settings\"; the unique constraint's index takes the "
                                        + "constraint's name: choose another with named(…)",
                                "a table named \"accounts\" exists; the unique constraint's index takes the constraint's name and cannot "
                                        + "share it with a table: choose another with named(…)",
                                "a constraint named \"settings_pkey\" already exists on \"settings\""));
    }

    // ---- generated variants ----

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("a\"b", "x y", "$zerodown$", "Mixed Case", "ü_ñ", "select", "col;drop");
    }

    @Property(tries = 5, shrinking = ShrinkingMode.BOUNDED)
    void generatedVariantsRoundTrip(@ForAll("names") String table, @ForAll("names") String column, @ForAll boolean twoColumns,
                                    @ForAll boolean dev, @ForAll("rowCounts") int rows) throws Exception {
        String other = column + "2";
        String ddl = "CREATE TABLE " + PgSql.quote(table) + " (id bigint PRIMARY KEY, " + PgSql.quote(column) + " text, "
                + PgSql.quote(other) + " integer, kept text DEFAULT 'k');";
        MigrationPlan plan = twoColumns ? Migration.on(table).addUnique(column, other).plan() : Migration.on(table).addUnique(column).plan();
        MigrationPackage pkg = KeysFixtures.compile(plan, ddl, 18, dev ? DowntimeTolerance.devOnly() : DowntimeTolerance.none(), table, rows);
        KeysFixtures.assertDownUndoesUpInMemory(pkg);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.newest());
        try (Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(table) + " SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE 'v' || g END, g % 3, 'k' || g "
                    + "FROM generate_series(1, " + rows + ") g");
            Schema before = introspect(c);
            String data = checksum(c, table, "id", column, other, "kept");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(io.zerodown.postgres.testing.ComparableSchema.of(introspect(c)))
                    .isEqualTo(io.zerodown.postgres.testing.ComparableSchema.of(pkg.schemaAfter()));
            assertThat(checksum(c, table, "id", column, other, "kept")).isEqualTo(data);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, table, "id", column, other, "kept")).isEqualTo(data);
        }
    }

    @Provide
    Arbitrary<Integer> rowCounts() {
        return Arbitraries.of(0, 1, 300);
    }
}
