package io.zerodown.postgres;

import static io.zerodown.postgres.PgTestSupport.execute;
import static io.zerodown.postgres.PgTestSupport.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.zerodown.Migration;
import io.zerodown.Zerodown;
import io.zerodown.model.operation.MigrationPlan;
import io.zerodown.plan.MigrationPackage;
import io.zerodown.plan.Step;
import io.zerodown.postgres.testing.PostgresServers;
import io.zerodown.postgres.testing.TestDatabase;
import io.zerodown.run.CheckRunner;
import io.zerodown.run.StepRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The backfill under concurrent writes: batches commit one by one, and no row is left stale. */
class BackfillConcurrencyTest {

    /**
     * The reference table with a default on full_name: new code's inserts of the parts get it from PostgreSQL before the
     * trigger runs, which must not keep the row from being synced.
     */
    static final String DDL = ReferenceCase.DDL.replace("full_name VARCHAR(255)", "full_name VARCHAR(255) DEFAULT 'anonymous'");

    private static MigrationPackage compile(int batch, Duration pause) {
        MigrationPlan plan = Migration.on("users")
                .splitColumn("full_name").atFirst(" ").into("first_name", "last_name").batched(batch).pausing(pause)
                .plan();
        return Zerodown.compile(plan, DDL, ReferenceCase.context(15));
    }

    private static Step backfill(MigrationPackage pkg) {
        return pkg.up().steps().stream().filter(s -> s.kind() == Step.Kind.BACKFILL).findFirst().orElseThrow();
    }

    @Test
    void eachBatchCommitsSoWritersOfFinishedRowsAreNotBlocked() throws Exception {
        MigrationPackage pkg = compile(10, Duration.ZERO);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect();
             Connection blocker = db.connect(); Connection writer = db.connect(); Connection observer = db.connect()) {
            execute(c, DDL, "INSERT INTO users (email, full_name) SELECT 'u' || g, 'First' || g || ' Last' || g "
                    + "FROM generate_series(1, 30) g");
            new StepRunner(c).run(pkg.up().steps().get(0));
            blocker.setAutoCommit(false);
            execute(blocker, "SELECT 1 FROM users WHERE id = 25 FOR UPDATE");
            int pid = LockObserver.backendPid(c);
            List<String> notices = new ArrayList<>();
            Future<?> run = executor.submit(() -> new StepRunner(c, notices::add).run(backfill(pkg)));
            LockObserver.awaitWaiting(observer, pid, Duration.ofSeconds(30));

            assertThat(LockObserver.strongestTableLocks(observer, pid)).isEqualTo(Map.of("users", PgLock.ROW_EXCLUSIVE));
            execute(writer, "SET lock_timeout = '500ms'");
            execute(writer, "UPDATE users SET full_name = 'Written While Backfilling' WHERE id = 5");
            assertThat(PgTestSupport.queryString(writer, "SELECT last_name FROM users WHERE id = 5"))
                    .as("batch 1 committed: its rows are free to write, and the trigger syncs the write").isEqualTo("While Backfilling");
            assertThat(queryLong(observer, "SELECT batches FROM zerodown.backfill_progress")).isEqualTo(2);

            // Held past the 1 s lock_timeout: the batch gives up its wait, backs off and retries.
            Thread.sleep(2_500);
            blocker.commit();
            run.get(2, TimeUnit.MINUTES);
            assertThat(notices).anyMatch(n -> n.contains("could not lock its rows"));
            assertThat(queryLong(c, "SELECT count(*) FROM users WHERE first_name IS NULL")).isZero();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void concurrentOldAndNewCodeWritesLeaveNoStaleRow() throws Exception {
        MigrationPackage pkg = compile(500, Duration.ofMillis(5));
        int rows = 20_000;
        ExecutorService executor = Executors.newFixedThreadPool(3);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean expanded = new AtomicBoolean();
        AtomicBoolean backfilling = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        AtomicLong writesDuringBackfill = new AtomicLong();
        try (TestDatabase db = PostgresServers.reference().createDatabase(); Connection c = db.connect()) {
            execute(c, DDL, "INSERT INTO users (email, full_name) SELECT 'u' || g, "
                    + "CASE WHEN g % 3 = 0 THEN 'Solo' || g ELSE 'First' || g || ' Last' || g END FROM generate_series(1, " + rows + ") g");
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(executor.submit(() -> {
                    try (Connection wc = db.connect()) {
                        write(wc, rows, stop, expanded, backfilling, writes, writesDuringBackfill);
                    }
                    return null;
                }));
            }
            StepRunner runner = new StepRunner(c);
            Thread.sleep(200);
            runner.run(pkg.up().steps().get(0));
            expanded.set(true);
            backfilling.set(true);
            runner.run(backfill(pkg));
            backfilling.set(false);
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(1, TimeUnit.MINUTES);
            }
            runner.run(pkg.up().steps().subList(2, pkg.up().steps().size()));

            assertThat(writesDuringBackfill.get()).as("writes overlapped the backfill").isGreaterThan(50);
            assertThat(queryLong(c, "SELECT count(*) FROM users WHERE email LIKE 'parts%'")).as("new code's inserts").isPositive();
            assertThat(queryLong(c, "SELECT count(*) FROM users WHERE email LIKE 'parts%' AND full_name IS DISTINCT FROM "
                    + "concat_ws(' ', first_name, last_name)")).as("new code's inserts whose full_name is not their parts").isZero();
            assertThat(queryLong(c, "SELECT count(*) FROM users WHERE full_name = 'anonymous'")).as("rows left with the default").isZero();
            assertThat(CheckRunner.run(c, pkg.verification())).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
        } finally {
            stop.set(true);
            executor.shutdownNow();
        }
    }

    /**
     * Old code writes full_name or other columns from the start (the expand step takes its lock
     * under this traffic); once the new columns exist, new code also writes parts that split back
     * to themselves.
     */
    private static void write(Connection wc, int rows, AtomicBoolean stop, AtomicBoolean expanded, AtomicBoolean backfilling,
                              AtomicLong writes, AtomicLong during) throws Exception {
        try (PreparedStatement oldName = wc.prepareStatement("UPDATE users SET full_name = ? WHERE id = ?");
             PreparedStatement other = wc.prepareStatement("UPDATE users SET email = email || '.' WHERE id = ?");
             PreparedStatement insert = wc.prepareStatement("INSERT INTO users (email, full_name) VALUES (?, ?)");
             PreparedStatement newParts = wc.prepareStatement("UPDATE users SET first_name = ?, last_name = ? WHERE id = ?");
             PreparedStatement newInsert = wc.prepareStatement("INSERT INTO users (email, first_name, last_name) VALUES (?, ?, ?)")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                long id = random.nextLong(1, rows + 1);
                int n = random.nextInt(1_000_000);
                switch (random.nextInt(expanded.get() ? 5 : 3)) {
                    case 0 -> {
                        oldName.setString(1, "  Renamed" + n + "   Person" + n);
                        oldName.setLong(2, id);
                        oldName.executeUpdate();
                    }
                    case 1 -> {
                        other.setLong(1, id);
                        other.executeUpdate();
                    }
                    case 2 -> {
                        insert.setString(1, "new" + n + "." + random.nextLong());
                        insert.setString(2, random.nextBoolean() ? "Inserted" + n : "Inserted" + n + " Later" + n);
                        insert.executeUpdate();
                    }
                    case 3 -> {
                        newInsert.setString(1, "parts" + n + "." + random.nextLong());
                        newInsert.setString(2, "Part" + n);
                        newInsert.setString(3, random.nextBoolean() ? null : "Family" + n + " Name");
                        newInsert.executeUpdate();
                    }
                    default -> {
                        newParts.setString(1, "Part" + n);
                        newParts.setString(2, random.nextBoolean() ? null : "Family" + n + " Name");
                        newParts.setLong(3, id);
                        newParts.executeUpdate();
                    }
                }
                writes.incrementAndGet();
                if (backfilling.get()) {
                    during.incrementAndGet();
                }
            }
        }
    }
}
