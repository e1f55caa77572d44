package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.execute;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Execution;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.TableWork;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link PackageChecks#locksAndRoundTrip} for packages that create, rename or drop tables, whose
 * locks one session alone cannot see: inside the step's open transaction, the step's own session
 * sees a table it created but no longer sees one it dropped, while another session sees the
 * dropped one (its removal is not committed) but not the created one. Both views are read and
 * merged by relation. A relation both sessions see is named as the other session sees it, that is
 * by its name when the step started (a rename is not committed yet): claims name relations as
 * they are named while the step waits for its locks, which is what an operator sees in
 * {@code pg_locks} then, and what the table's profile is given for. And a relation is checked for a rewrite only when the name
 * still denotes the same relation after the step (a rename swaps a view and a table of one name).
 * Steps that run outside a transaction are checked exactly as {@link PackageChecks} does.
 */
final class TableOpChecks {

    static final PackageChecks.GuardForcer NO_GUARDS = (c, step) -> { };

    private TableOpChecks() {
    }

    static void locksAndRoundTrip(PostgresServer server, PackageChecks.Setup setup, MigrationPackage pkg) throws Exception {
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect(); Connection observer = db.connect()) {
            setup.apply(c);
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.execution().preChecks()))).as("pre-checks").isEmpty();
            for (Step step : pkg.up().steps()) {
                PackageChecks.checksBefore(c, pkg, step);
                runChecking(db, c, observer, step);
            }
            assertThat(PackageChecks.failures(CheckRunner.run(c, pkg.verification()))).as("verification after up").isEmpty();
            assertThat(ComparableSchema.of(PgTestSupport.introspect(c))).as("catalog after up")
                    .isEqualTo(ComparableSchema.of(PackageChecks.simulate(pkg.schemaBefore(), pkg.up().steps())));
            for (Step step : pkg.contract().steps()) {
                PackageChecks.checksBefore(c, pkg, step);
                runChecking(db, c, observer, step);
            }
            assertThat(ComparableSchema.of(PgTestSupport.introspect(c))).as("catalog after contract")
                    .isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
        }
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect(); Connection observer = db.connect()) {
            setup.apply(c);
            Schema before = PgTestSupport.introspect(c);
            new StepRunner(c).run(pkg.up().steps());
            for (Step step : pkg.down().script().steps()) {
                runChecking(db, c, observer, step);
            }
            assertThat(PgTestSupport.introspect(c)).as("catalog after down").isEqualTo(before);
        }
    }

    static void runChecking(TestDatabase db, Connection c, Connection observer, Step step) throws Exception {
        if (step.execution() != Execution.IN_TRANSACTION) {
            PackageChecks.runChecking(db, c, observer, step, NO_GUARDS);
            return;
        }
        if (step.guard().isPresent() && !"t".equals(PgTestSupport.queryString(c, step.guard().get()))) {
            return;
        }
        Map<String, long[]> before = relations(c, step);
        Map<String, PgLock> observed = new TreeMap<>();
        c.setAutoCommit(false);
        try {
            for (String sql : step.statements()) {
                execute(c, sql);
            }
            int pid = LockObserver.backendPid(c);
            Map<Long, String[]> others = locksByOid(observer, pid);
            Map<Long, String[]> own = locksByOid(c, pid);
            own.keySet().removeAll(others.keySet());
            others.putAll(own);
            others.values().forEach(lock -> observed.merge(lock[0], PgLock.fromPgLocks(lock[1]), (x, y) -> x.compareTo(y) >= 0 ? x : y));
            c.commit();
        } catch (Exception e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        assertThat(observed).as("locks of step %s (%s)", step.id(), step.summary()).isEqualTo(claimed(step));
        Map<String, long[]> after = relations(c, step);
        for (LockClaim claim : step.locks()) {
            long[] b = before.get(claim.relation());
            long[] a = after.get(claim.relation());
            if (claim.work() != TableWork.REWRITE && b != null && a != null && a[0] == b[0]) {
                assertThat(a[1]).as("step %s must not rewrite %s", step.id(), claim.relation()).isEqualTo(b[1]);
            }
        }
    }

    /**
     * The granted locks of the backend on tables of schema public, by relation oid: name as this session sees it, and mode.
     * A relation renamed in the open transaction has its new name for the step's own session and its old one for others.
     */
    private static Map<Long, String[]> locksByOid(Connection connection, int pid) throws Exception {
        Map<Long, String[]> locks = new java.util.HashMap<>();
        for (List<String> row : PgTestSupport.rows(connection, "SELECT c.oid, c.relname, l.mode FROM pg_locks l "
                + "JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE l.pid = " + pid + " AND l.locktype = 'relation' AND l.granted AND n.nspname = 'public' "
                + "AND c.relkind IN ('r', 'p')")) {
            locks.merge(Long.parseLong(row.get(0)), new String[] {row.get(1), row.get(2)},
                    (a, b) -> PgLock.fromPgLocks(a[1]).compareTo(PgLock.fromPgLocks(b[1])) >= 0 ? a : b);
        }
        return locks;
    }

    private static Map<String, PgLock> claimed(Step step) {
        Map<String, PgLock> claimed = new TreeMap<>();
        for (LockClaim claim : step.locks()) {
            claimed.merge(claim.relation(), (PgLock) claim.mode(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return claimed;
    }

    /** For each claimed relation that exists as a table: its oid and its relfilenode. */
    private static Map<String, long[]> relations(Connection c, Step step) throws Exception {
        Map<String, long[]> found = new TreeMap<>();
        for (LockClaim claim : step.locks()) {
            List<List<String>> rows = PgTestSupport.rows(c, "SELECT oid, relfilenode FROM pg_class WHERE oid = "
                    + PgSql.toRegclass(TableName.of(claim.relation())) + " AND relkind IN ('r', 'p')");
            if (!rows.isEmpty()) {
                found.put(claim.relation(), new long[] {Long.parseLong(rows.get(0).get(0)), Long.parseLong(rows.get(0).get(1))});
            }
        }
        return found;
    }
}
