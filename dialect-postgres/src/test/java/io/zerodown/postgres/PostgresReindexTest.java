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
import io.zerodown.model.IndexName;
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
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
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

/** reindex on real servers: REINDEX CONCURRENTLY, the clean-up of its leftovers, and the plain REINDEX's reach. */
class PostgresReindexTest {

    static final String DDL = """
            CREATE TABLE notes (id bigint PRIMARY KEY, body text, tag text);
            CREATE INDEX notes_body_idx ON notes (body);
            """;

    static PackageChecks.Setup rows(int n) {
        return c -> execute(c, DDL, "INSERT INTO notes SELECT g, md5(g::text) || md5((g * 7)::text), 't' || (g % 13) "
                + "FROM generate_series(1, " + n + ") g");
    }

    static MigrationPackage compile(String index, int major, DowntimeTolerance downtime) {
        return KeysFixtures.compile(Migration.on("notes").reindex(index).plan(), DDL, major, downtime, "notes", 4_000_000);
    }

    static MigrationPackage online(int major) {
        return compile("notes_body_idx", major, DowntimeTolerance.none());
    }

    static MigrationPackage direct(int major) {
        return compile("notes_body_idx", major, DowntimeTolerance.devOnly());
    }

    @Test
    void goldenFiles() {
        KeysFixtures.assertGolden("reindex", "online", online(15));
        KeysFixtures.assertGolden("reindex", "direct", direct(15));
    }

    @Test
    void onlineRebuildsConcurrentlyAfterCleaningUpLeftovers() {
        MigrationPackage pkg = online(15);
        assertThat(pkg.strategy().techniques()).containsExactly(Technique.CONCURRENT_INDEX);
        assertThat(pkg.up().steps()).extracting(Step::kind).containsExactly(Step.Kind.REPAIR, Step.Kind.REPAIR, Step.Kind.INDEX_BUILD);
        assertThat(pkg.up().steps()).allSatisfy(s -> assertThat(s.locks()).singleElement()
                .satisfies(l -> assertThat(l.mode()).isEqualTo(PgLock.SHARE_UPDATE_EXCLUSIVE)));
        assertThat(pkg.down().script().steps()).as("nothing to undo").isEmpty();
        assertThat(direct(15).up().steps()).singleElement().satisfies(s -> assertThat(s.locks()).singleElement()
                .satisfies(l -> assertThat(l.mode()).isEqualTo(PgLock.SHARE)));
        assertThat(compile("notes_body_idx", 15, DowntimeTolerance.maintenanceWindow(Duration.ofMinutes(1))).strategy().techniques())
                .as("about 8 s blocking fits a 1 min window").containsExactly(Technique.DIRECT, Technique.MAINTENANCE_WINDOW);
    }

    @Test
    void leftoverNamesAreCutAsPostgresCutsThem() {
        assertThat(PostgresReindex.leftoverName(IndexName.of("notes_body_idx"), "ccnew").value()).isEqualTo("notes_body_idx_ccnew");
        assertThat(PostgresReindex.leftoverName(IndexName.of("i".repeat(63)), "ccold").value()).isEqualTo("i".repeat(57) + "_ccold");
        assertThat(PostgresReindex.leftoverName(IndexName.of("ü".repeat(31)), "ccnew").value()).as("never half a character")
                .isEqualTo("ü".repeat(28) + "_ccnew");
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
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresReindexTest::rows, 4_000, 100_000, online(18));
        PackageChecks.durationClasses(PostgresServers.newest(), PostgresReindexTest::rows, 4_000, 100_000, direct(18));
    }

    @Test
    void theIndexIsRebuiltAndTheDataUntouched() throws Exception {
        MigrationPackage pkg = compile("notes_pkey", 15, DowntimeTolerance.none());
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect()) {
            rows(5_000).apply(c);
            Schema before = introspect(c);
            String data = checksum(c, "notes", "id", "body", "tag");
            long filenode = queryLong(c, "SELECT pg_relation_filenode('notes_pkey')");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            assertThat(new StepRunner(c).run(pkg.up().steps())).as("no leftovers to repair").hasSize(1);
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(queryLong(c, "SELECT pg_relation_filenode('notes_pkey')")).as("the primary key's index is new").isNotEqualTo(filenode);
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, "notes", "id", "body", "tag")).isEqualTo(data);
        }
    }

    /**
     * A REINDEX CONCURRENTLY cancelled while it waits for an old snapshot leaves {@code _ccnew}; one
     * cancelled while it waits for readers after the swap leaves {@code _ccold}. Both are INVALID and
     * maintained by writes; the next run drops them first and rebuilds.
     */
    @Test
    void leftoversOfCancelledRebuildsAreDroppedByTheNextRun() throws Exception {
        for (PostgresServer server : PostgresServers.oldestAndNewest()) {
            String name = "ü".repeat(31);
            String ddl = DDL + "CREATE INDEX " + PgSql.quote(name) + " ON notes (tag);";
            MigrationPackage pkg = KeysFixtures.compile(Migration.on("notes").reindex(name).plan(), ddl, server.major(),
                    DowntimeTolerance.none(), "notes", 10);
            TestDatabase db = KeysFixtures.emptyDatabase(server);
            try (Connection c = db.connect()) {
                rows(2_000).apply(c);
                execute(c, "CREATE INDEX " + PgSql.quote(name) + " ON notes (tag)");
                Schema before = introspect(c);
                cancelReindex(db, name, "waiting for old snapshots", false);
                cancelReindex(db, name, "waiting for readers before marking dead", true);
                assertThat(PgTestSupport.rows(c, "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                        + "WHERE NOT i.indisvalid ORDER BY 1")).as("PostgreSQL %s", server.major()).containsExactly(
                        List.of(PostgresReindex.leftoverName(IndexName.of(name), "ccnew").value(), "f"),
                        List.of(PostgresReindex.leftoverName(IndexName.of(name), "ccold").value(), "f"));

                List<String> ran = new StepRunner(c).run(pkg.up().steps());
                assertThat(ran).as("both repairs and the rebuild run").hasSize(3);
                assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
                assertThat(introspect(c)).isEqualTo(before);
            }
        }
    }

    /** Starts REINDEX CONCURRENTLY, holds it in {@code phase} with a blocking transaction, then cancels it. */
    private static void cancelReindex(TestDatabase db, String index, String phase, boolean lockTheTableLater) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Connection reindex = db.connect(); Connection snapshot = db.connect(); Connection reader = db.connect();
             Connection observer = db.connect()) {
            snapshot.setAutoCommit(false);
            execute(snapshot, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            execute(snapshot, "SELECT count(*) FROM pg_class");
            int pid = LockObserver.backendPid(reindex);
            Future<?> run = executor.submit(() -> {
                execute(reindex, "REINDEX INDEX CONCURRENTLY " + PgSql.quote(index));
                return null;
            });
            awaitPhase(observer, pid, "waiting for old snapshots");
            if (lockTheTableLater) {
                reader.setAutoCommit(false);
                execute(reader, "SELECT count(*) FROM notes");
                snapshot.commit();
                awaitPhase(observer, pid, phase);
            }
            execute(observer, "SELECT pg_cancel_backend(" + pid + ")");
            assertThatThrownBy(() -> run.get(1, TimeUnit.MINUTES)).hasMessageContaining("canceling statement");
            snapshot.rollback();
            if (lockTheTableLater) {
                reader.rollback();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static void awaitPhase(Connection observer, int pid, String phase) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!phase.equals(queryString(observer, "SELECT phase FROM pg_stat_progress_create_index WHERE pid = " + pid))) {
            assertThat(System.nanoTime()).as("REINDEX reaches '%s'", phase).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** The hazard of the direct variant, on a real server: while it holds its locks, even a read by primary key waits. */
    @Test
    void aPlainReindexBlocksReadsThatDoNotUseTheIndex() throws Exception {
        Step step = direct(15).up().steps().get(0);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.reference());
        try (Connection c = db.connect(); Connection reader = db.connect()) {
            rows(1_000).apply(c);
            c.setAutoCommit(false);
            for (String sql : step.statements()) {
                execute(c, sql);
            }
            execute(reader, "SET lock_timeout = '300ms'");
            assertThatThrownBy(() -> execute(reader, "SELECT body FROM notes WHERE id = 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
            c.rollback();
            assertThat(queryString(reader, "SELECT tag FROM notes WHERE id = 1")).isEqualTo("t1");
        }
    }

    @Test
    void misuseIsReportedTogether() {
        MigrationPlan plan = Migration.on("notes").reindex("notes_bdy_idx").on("nots").reindex("notes_pkey").plan();
        assertThatThrownBy(() -> KeysFixtures.compile(plan, DDL, 15, DowntimeTolerance.none(), "notes", 10))
                .isInstanceOfSatisfying(MigrationValidationException.class, e -> assertThat(e.problems()).extracting(Problem::message)
                        .containsExactly("no index \"notes_bdy_idx\" on table \"notes\"", "unknown table \"nots\" (did you mean \"notes\"?)"));
    }

    // ---- generated variants ----

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("a\"b", "x y", "$zerodown$", "Mixed Case", "ü".repeat(31), "i".repeat(63), "i;--");
    }

    @Property(tries = 5, shrinking = ShrinkingMode.BOUNDED)
    void generatedVariantsRoundTrip(@ForAll("names") String table, @ForAll("names") String index, @ForAll boolean unique,
                                    @ForAll boolean dev) throws Exception {
        net.jqwik.api.Assume.that(!index.equals(table));
        String ddl = "CREATE TABLE " + PgSql.quote(table) + " (id bigint PRIMARY KEY, v text, kept text);\nCREATE "
                + (unique ? "UNIQUE " : "") + "INDEX " + PgSql.quote(index) + " ON " + PgSql.quote(table) + " (v);";
        MigrationPackage pkg = KeysFixtures.compile(Migration.on(table).reindex(index).plan(), ddl, 18,
                dev ? DowntimeTolerance.devOnly() : DowntimeTolerance.none(), table, 300);
        KeysFixtures.assertDownUndoesUpInMemory(pkg);
        TestDatabase db = KeysFixtures.emptyDatabase(PostgresServers.newest());
        try (Connection c = db.connect()) {
            execute(c, ddl, "INSERT INTO " + PgSql.quote(table) + " SELECT g, 'v' || g, 'k' || g FROM generate_series(1, 300) g");
            Schema before = introspect(c);
            String data = checksum(c, table, "id", "v", "kept");
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).isEmpty();
            new StepRunner(c).run(pkg.up().steps());
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).isEmpty();
            assertThat(introspect(c)).isEqualTo(before);
            assertThat(checksum(c, table, "id", "v", "kept")).isEqualTo(data);
            new StepRunner(c).run(pkg.down().script().steps());
            assertThat(introspect(c)).isEqualTo(before);
        }
    }
}
