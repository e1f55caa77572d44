package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.execute;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.model.schema.Schema;
import io.zerodown.plan.Execution;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.plan.TableWork;
import io.zerodown.postgres.testing.ComparableSchema;
import io.zerodown.postgres.testing.PostgresServer;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckResult;
import io.zerodown.run.CheckRunner;
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

/**
 * Checks a whole package on a real server, the way every operation's tests use it:
 * <ul>
 *   <li>{@link #locksAndRoundTrip}: every step of up, contract and down runs while its locks are
 *       read from {@code pg_locks} (inside its transaction, or while it waits on a blocker when it
 *       must run alone); the strongest lock on each table must equal its claim, no relation may be
 *       rewritten unless a rewrite is claimed; pre-checks pass before up and verification after
 *       it; the catalog matches the simulated schema after up and after contract; down restores
 *       the catalog exactly; the contract-down script (when there is one) runs after the contract
 *       the same way, and the catalog matches its simulated effect on the schema after contract;</li>
 *   <li>{@link #durationClasses}: each step is timed on a small and a large table: a step claimed
 *       instant must not grow with the table, one claimed proportional to rows must.</li>
 * </ul>
 */
final class PackageChecks {

    /** Creates the schema and rows a package starts from. */
    @FunctionalInterface
    interface Setup {
        void apply(Connection connection) throws Exception;
    }

    /** Makes a guarded step's guard true, so that its locks can be read (e.g. leave an INVALID index behind). */
    @FunctionalInterface
    interface GuardForcer {
        void force(Connection connection, Step step) throws Exception;
    }

    /** Leaves an INVALID index behind for the steps that repair one; other guarded steps run with their guard as it is. */
    static final GuardForcer INVALID_INDEX = (c, step) -> {
        if (!step.statements().get(0).startsWith("DROP INDEX CONCURRENTLY IF EXISTS ")) {
            return;
        }
        String index = step.statements().get(0).replace("DROP INDEX CONCURRENTLY IF EXISTS ", "");
        String table = step.locks().get(0).relation();
        execute(c, "CREATE INDEX " + index + " ON " + PgSql.quote(table) + " ((1))",
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = " + PgSql.literal(index) + "::regclass");
    };

    private PackageChecks() {
    }

    static void locksAndRoundTrip(PostgresServer server, Setup setup, MigrationPackage pkg) throws Exception {
        locksAndRoundTrip(server, setup, pkg, INVALID_INDEX);
    }

    static void locksAndRoundTrip(PostgresServer server, Setup setup, MigrationPackage pkg, GuardForcer guards) throws Exception {
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect(); Connection observer = db.connect()) {
            setup.apply(c);
            assertThat(failures(CheckRunner.run(c, pkg.execution().preChecks()))).as("pre-checks").isEmpty();
            for (Step step : pkg.up().steps()) {
                checksBefore(c, pkg, step);
                runChecking(db, c, observer, step, guards);
            }
            assertThat(failures(CheckRunner.run(c, pkg.verification()))).as("verification after up").isEmpty();
            assertThat(ComparableSchema.of(PgTestSupport.introspect(c))).as("catalog after up")
                    .isEqualTo(ComparableSchema.of(simulate(pkg.schemaBefore(), pkg.up().steps())));
            for (Step step : pkg.contract().steps()) {
                checksBefore(c, pkg, step);
                runChecking(db, c, observer, step, guards);
            }
            assertThat(ComparableSchema.of(PgTestSupport.introspect(c))).as("catalog after contract")
                    .isEqualTo(ComparableSchema.of(pkg.schemaAfter()));
            List<Step> contractDown = pkg.down().contractDown().script().steps();
            for (Step step : contractDown) {
                runChecking(db, c, observer, step, guards);
            }
            if (!contractDown.isEmpty()) {
                assertThat(ComparableSchema.of(PgTestSupport.introspect(c))).as("catalog after contract-down")
                        .isEqualTo(ComparableSchema.of(simulate(pkg.schemaAfter(), contractDown)));
            }
        }
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect(); Connection observer = db.connect()) {
            setup.apply(c);
            Schema before = PgTestSupport.introspect(c);
            new StepRunner(c).run(pkg.up().steps());
            for (Step step : pkg.down().script().steps()) {
                runChecking(db, c, observer, step, guards);
            }
            assertThat(PgTestSupport.introspect(c)).as("catalog after down").isEqualTo(before);
        }
    }

    /**
     * Times every up and contract step on a table set up with {@code smallRows}, then with
     * {@code largeRows} (at least 20 times more): a step whose blocking claim is instant must take
     * less than three times as long on the large table (or under 50 ms); one claimed proportional to
     * rows must take at least five times as long. Up to three attempts are made.
     */
    static void durationClasses(PostgresServer server, java.util.function.IntFunction<Setup> setup, int smallRows, int largeRows,
                                MigrationPackage pkg) throws Exception {
        // Two single timings can be distorted by a busy machine (a 2,000-row step once took 25 ms
        // instead of 2 ms); a claim that is wrong fails every attempt, so up to three are made.
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                durationClassesOnce(server, setup, smallRows, largeRows, pkg);
                return;
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }

    private static void durationClassesOnce(PostgresServer server, java.util.function.IntFunction<Setup> setup, int smallRows,
                                            int largeRows, MigrationPackage pkg) throws Exception {
        assertThat(largeRows).isGreaterThanOrEqualTo(20 * smallRows);
        List<Step> steps = new java.util.ArrayList<>(pkg.up().steps());
        steps.addAll(pkg.contract().steps());
        Map<String, Duration> small = timings(server, setup.apply(smallRows), steps);
        Map<String, Duration> large = timings(server, setup.apply(largeRows), steps);
        for (Step step : steps) {
            Duration s = small.get(step.id());
            Duration l = large.get(step.id());
            if (s == null || l == null) {
                continue; // a guarded step that was not needed
            }
            boolean proportional = step.locks().stream().anyMatch(lock -> lock.duration() instanceof LockDuration.ProportionalToRows);
            if (proportional) {
                assertThat(l.toNanos()).as("step %s is claimed proportional to rows: %s rows took %s, %s rows took %s",
                        step.id(), smallRows, s, largeRows, l).isGreaterThanOrEqualTo(5 * Math.max(s.toNanos(), 1));
            } else if (step.locks().stream().allMatch(lock -> lock.duration() instanceof LockDuration.Instant)) {
                assertThat(l.toMillis() < 50 || l.toNanos() < 3 * s.toNanos()).as("step %s is claimed instant: %s rows took %s, %s rows took %s",
                        step.id(), smallRows, s, largeRows, l).isTrue();
            }
        }
    }

    private static Map<String, Duration> timings(PostgresServer server, Setup setup, List<Step> steps) throws Exception {
        Map<String, Duration> timings = new TreeMap<>();
        try (TestDatabase db = server.createDatabase(); Connection c = db.connect()) {
            setup.apply(c);
            execute(c, "VACUUM ANALYZE");
            StepRunner runner = new StepRunner(c);
            for (Step step : steps) {
                long start = System.nanoTime();
                if (runner.run(step)) {
                    timings.put(step.id(), Duration.ofNanos(System.nanoTime() - start));
                }
            }
        }
        return timings;
    }

    /** Runs one step, checking the locks it takes against its claims. */
    static void runChecking(TestDatabase db, Connection c, Connection observer, Step step, GuardForcer guards) throws Exception {
        if (step.guard().isPresent()) {
            guards.force(c, step);
        }
        Map<String, Long> filenodes = filenodes(c, step);
        Map<String, PgLock> observed = step.execution() == Execution.IN_TRANSACTION
                ? inTransaction(c, step)
                : whileBlocked(db, c, observer, step);
        assertThat(observed).as("locks of step %s (%s)", step.id(), step.summary()).isEqualTo(claimed(step));
        for (LockClaim claim : step.locks()) {
            if (claim.work() != TableWork.REWRITE && filenodes.get(claim.relation()) != null) {
                assertThat(LockObserver.relfilenode(c, claim.relation())).as("step %s must not rewrite %s", step.id(), claim.relation())
                        .isEqualTo(filenodes.get(claim.relation()));
            }
        }
    }

    private static Map<String, PgLock> claimed(Step step) {
        Map<String, PgLock> claimed = new TreeMap<>();
        for (LockClaim claim : step.locks()) {
            claimed.merge(claim.relation(), (PgLock) claim.mode(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return claimed;
    }

    private static Map<String, Long> filenodes(Connection c, Step step) throws Exception {
        Map<String, Long> nodes = new TreeMap<>();
        for (LockClaim claim : step.locks()) {
            if (PgTestSupport.queryString(c, "SELECT " + PgSql.toRegclass(io.zerodown.model.TableName.of(claim.relation()))) != null) {
                nodes.put(claim.relation(), LockObserver.relfilenode(c, claim.relation()));
            }
        }
        return nodes;
    }

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
     * A step that must run alone: run it on another thread, make it wait on a blocker, read its
     * locks while it waits, then release the blocker. A backfill waits on a row lock of the row with
     * the greatest key; anything else on an open transaction that has read the first claimed table.
     */
    private static Map<String, PgLock> whileBlocked(TestDatabase db, Connection c, Connection observer, Step step) throws Exception {
        if (step.locks().isEmpty()) {
            new StepRunner(c).run(step);
            return Map.of();
        }
        String table = PgSql.quote(step.locks().get(0).relation());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            if (step.kind() == Step.Kind.BACKFILL) {
                String key = PgTestSupport.queryString(blocker, "SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n) FROM pg_index i "
                        + "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid "
                        + "AND a.attnum = k.attnum WHERE i.indrelid = " + PgSql.regclass(io.zerodown.model.TableName.of(step.locks().get(0).relation()))
                        + " AND i.indisprimary");
                String desc = java.util.Arrays.stream(key.split(", ")).map(k -> k + " DESC").reduce((a, b) -> a + ", " + b).orElseThrow();
                execute(blocker, "SELECT 1 FROM " + table + " ORDER BY " + desc + " LIMIT 1 FOR UPDATE");
            } else {
                execute(blocker, "SELECT count(*) FROM " + table);
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

    /** Runs the checks the execution plan puts right before this step, and asserts they pass. */
    static void checksBefore(Connection c, MigrationPackage pkg, Step step) {
        List<io.zerodown.plan.Check> checks = pkg.execution().checksBeforeSteps().stream()
                .filter(b -> b.stepId().equals(step.id())).map(io.zerodown.plan.CheckBeforeStep::check).toList();
        assertThat(failures(CheckRunner.run(c, checks))).as("checks before step " + step.id()).isEmpty();
    }

    static Schema simulate(Schema schema, List<Step> steps) {
        Schema result = schema;
        for (Step step : steps) {
            result = io.zerodown.plan.SchemaChange.applyAll(result, step.effects());
        }
        return result;
    }

    static List<String> failures(List<CheckResult> results) {
        return results.stream().filter(r -> !r.passed()).map(CheckResult::toString).toList();
    }
}
