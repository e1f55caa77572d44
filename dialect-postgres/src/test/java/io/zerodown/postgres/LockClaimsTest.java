package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.execute;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.plan.Execution;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.TableWork;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement of the reference package, run on the oldest and the newest server: the lock
 * each step takes on each table, read from {@code pg_locks}, is exactly the one its claim states,
 * and no step that claims no rewrite changes the table's relfilenode.
 */
class LockClaimsTest {

    static List<PostgresServer> servers() {
        return PostgresServers.oldestAndNewest();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("servers")
    void everyUpAndContractStepTakesTheLocksItClaims(PostgresServer server) throws Exception {
        MigrationPackage pkg = ReferenceCase.compile(server.major());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect(); Connection observer = db.connect()) {
            ReferenceCaseOnServerTest.createUsers(c);
            for (Step step : pkg.up().steps()) {
                checkAndRun(db, c, observer, step);
            }
            for (Step step : pkg.contract().steps()) {
                checkAndRun(db, c, observer, step);
            }
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("servers")
    void everyDownStepTakesTheLocksItClaims(PostgresServer server) throws Exception {
        MigrationPackage pkg = ReferenceCase.compile(server.major());
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect(); Connection observer = db.connect()) {
            ReferenceCaseOnServerTest.createUsers(c);
            new StepRunner(c).run(pkg.up().steps());
            for (Step step : pkg.down().script().steps()) {
                checkAndRun(db, c, observer, step);
            }
        }
    }

    private static void checkAndRun(TestDatabase db, Connection c, Connection observer, Step step) throws Exception {
        if (step.guard().isPresent()) {
            forceGuard(c, step);
        }
        Map<String, Long> filenodes = filenodes(c, step);
        Map<String, PgLock> observed = step.execution() == Execution.IN_TRANSACTION
                ? inTransaction(c, step)
                : whileBlocked(db, c, observer, step);
        assertThat(observed).as("locks of step %s", step.id()).isEqualTo(claimed(step));
        for (LockClaim claim : step.locks()) {
            if (claim.work() != TableWork.REWRITE) {
                assertThat(LockObserver.relfilenode(c, claim.relation())).as("step %s must not rewrite %s", step.id(), claim.relation())
                        .isEqualTo(filenodes.get(claim.relation()));
            }
        }
    }

    private static Map<String, PgLock> claimed(Step step) {
        Map<String, PgLock> claimed = new TreeMap<>();
        for (LockClaim claim : step.locks()) {
            claimed.put(claim.relation(), (PgLock) claim.mode());
        }
        return claimed;
    }

    private static Map<String, Long> filenodes(Connection c, Step step) throws Exception {
        Map<String, Long> nodes = new TreeMap<>();
        for (LockClaim claim : step.locks()) {
            nodes.put(claim.relation(), LockObserver.relfilenode(c, claim.relation()));
        }
        return nodes;
    }

    /** Runs the step's statements in a transaction, reads its own locks before commit, then commits. */
    private static Map<String, PgLock> inTransaction(Connection c, Step step) throws Exception {
        c.setAutoCommit(false);
        try {
            for (String sql : step.statements()) {
                execute(c, sql);
            }
            Map<String, PgLock> locks = LockObserver.strongestTableLocks(c, LockObserver.backendPid(c));
            c.commit();
            return locks;
        } catch (Exception e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Runs a step that cannot run in a transaction on another thread, makes it wait on a blocker,
     * reads its locks while it waits, then releases the blocker and lets it finish.
     */
    private static Map<String, PgLock> whileBlocked(TestDatabase db, Connection c, Connection observer, Step step) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            if (step.kind() == Step.Kind.BACKFILL) {
                // Hold the last row: the backfill waits in its last batch, holding the locks of a batch.
                execute(blocker, "SELECT 1 FROM users WHERE id = (SELECT max(id) FROM users) FOR UPDATE");
            } else {
                // An open transaction that read the table: concurrent index builds and drops wait for it.
                execute(blocker, "SELECT count(*) FROM users");
            }
            int pid = LockObserver.backendPid(c);
            Future<?> run = executor.submit(() -> {
                new StepRunner(c).run(step);
                return null;
            });
            LockObserver.awaitWaiting(observer, pid, Duration.ofSeconds(30));
            Map<String, PgLock> locks = LockObserver.strongestTableLocks(observer, pid);
            blocker.commit();
            run.get(2, TimeUnit.MINUTES);
            return locks;
        } finally {
            executor.shutdownNow();
        }
    }

    /** Makes a guard true: the only guarded step repairs an index left INVALID, so build it and mark it invalid. */
    private static void forceGuard(Connection c, Step step) throws Exception {
        assertThat(step.kind()).as("only index repairs are guarded").isEqualTo(Step.Kind.REPAIR);
        String index = step.statements().get(0).replace("DROP INDEX CONCURRENTLY IF EXISTS ", "");
        execute(c, "CREATE INDEX " + index + " ON users (last_name)",
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = '" + index.replace("'", "''") + "'::regclass");
    }
}
