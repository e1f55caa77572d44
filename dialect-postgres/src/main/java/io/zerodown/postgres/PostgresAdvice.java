package io.zerodown.postgres;

import io.zerodown.model.context.Durations;
import io.zerodown.model.context.MigrationContext;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.Monitor;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.Step;
import io.zerodown.spi.GeneralAdvice;
import java.util.ArrayList;
import java.util.List;

/** The PostgreSQL advice every package gets: server checks, lock and replication monitoring, retry rules. */
final class PostgresAdvice {

    private PostgresAdvice() {
    }

    static GeneralAdvice of(List<Step> steps, MigrationContext context, PostgresFacts facts) {
        List<Check> preChecks = new ArrayList<>();
        preChecks.add(new Check("The server is PostgreSQL " + facts.version().major() + ", the version this package was compiled for.",
                "SELECT current_setting('server_version_num')::int / 10000", Expectation.count(facts.version().major()),
                "compile the package again for the server's version: locks and syntax differ between versions."));
        preChecks.add(new Check("standard_conforming_strings is on (the scripts' string literals assume it).",
                "SELECT current_setting('standard_conforming_strings') = 'on'", Expectation.isTrue(),
                "run SET standard_conforming_strings = on in the session first."));
        preChecks.add(new Check("No transaction has been open for more than 5 minutes: a long transaction makes lock requests queue "
                        + "(and every query behind them) and makes concurrent index builds wait.",
                "SELECT count(*) FROM pg_stat_activity\nWHERE xact_start < now() - interval '5 minutes' AND pid <> pg_backend_pid()",
                Expectation.count(0), "find them with SELECT pid, usename, xact_start, state, query FROM pg_stat_activity ORDER BY "
                + "xact_start; wait for them or end them (pg_terminate_backend) before starting."));
        preChecks.add(new Check("No autovacuum to prevent wraparound is running: it does not yield its lock, so a migration's lock "
                        + "request would wait behind it.",
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'autovacuum:%(to prevent wraparound)%'",
                Expectation.count(0), "wait for it to finish (pg_stat_progress_vacuum shows how far it is)."));

        List<Monitor> monitoring = new ArrayList<>();
        monitoring.add(Monitor.query("Sessions waiting for a lock, and who blocks them",
                "SELECT pid, wait_event_type, wait_event, pg_blocking_pids(pid) AS blocked_by,\n"
                        + "       now() - query_start AS waiting_for, left(query, 80) AS query\n"
                        + "FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
                "application queries waiting behind the migration for more than the lock timeout ("
                        + Durations.human(context.lockPolicy().lockTimeout()) + "): the migration should give up and retry; if it "
                        + "does not, cancel it"));
        monitoring.add(Monitor.query("Replication lag on each standby",
                "SELECT application_name, replay_lag, pg_wal_lsn_diff(sent_lsn, replay_lsn) AS bytes_behind\n"
                        + "FROM pg_stat_replication",
                "replay_lag growing steadily during backfills and index builds"));
        monitoring.add(Monitor.metric("Application latency (p99) and error rate", "a rise that coincides with a step; errors with "
                + "SQLSTATE 55P03 (lock timeout) or 57014 (statement timeout) in the application's logs"));
        monitoring.add(Monitor.metric("Server logs", "'canceling statement due to lock timeout' from the migration (expected, it "
                + "retries), deadlocks, and 'canceling statement due to conflict with recovery' on standbys after exclusive locks"));

        List<AbortCriterion> abort = new ArrayList<>();
        abort.add(new AbortCriterion("a step gives up after " + context.lockPolicy().attempts() + " lock attempts (SQLSTATE 55P03)",
                "the script stops by itself and nothing of that step is applied. Find the blocker with the lock query, "
                        + "resolve it, and run the script again."));
        abort.add(new AbortCriterion("application errors or latency exceed your SLO during a step",
                "cancel the migration's statement (SELECT pg_cancel_backend(pid)); every step is safe to interrupt, and "
                        + "the script resumes when run again. To undo instead, run the down script."));

        List<Hazard> hazards = new ArrayList<>();
        boolean exclusive = steps.stream().flatMap(s -> s.locks().stream()).map(LockClaim::mode).anyMatch(m -> m == PgLock.ACCESS_EXCLUSIVE);
        if (exclusive) {
            hazards.add(new Hazard(RiskLevel.LOW, "Lock queue behind an exclusive lock",
                    "A statement waiting for ACCESS EXCLUSIVE makes every later query on the table wait behind it, plain "
                            + "SELECTs included, for as long as it waits.",
                    "Every such statement runs with lock_timeout " + Durations.human(context.lockPolicy().lockTimeout())
                            + " and retries up to " + context.lockPolicy().attempts() + " times with backoff and jitter; the pre-check "
                            + "looks for long transactions first."));
            hazards.add(new Hazard(RiskLevel.LOW, "Standby query cancellations",
                    "ACCESS EXCLUSIVE locks are replayed on hot standbys, where they can cancel long queries on the same table "
                            + "(after max_standby_streaming_delay).",
                    "Run the migration when standby reporting queries are quiet."));
        }
        context.profiles().forEach((table, profile) -> {
            if (profile.readPattern() == io.zerodown.model.context.ReadPattern.LONG_RUNNING_READS) {
                hazards.add(new Hazard(RiskLevel.MEDIUM, "Long-running reads on " + table,
                        "Reports and analytics hold their snapshot and their ACCESS SHARE lock on " + table + " for their whole run: "
                                + "a step that needs ACCESS EXCLUSIVE times out (and retries) for as long as one runs, and a "
                                + "concurrent index build waits for every one that started before it, on any table.",
                        "Schedule the migration outside the reporting window, or run the reports on a standby; the pre-check "
                                + "on transactions older than 5 minutes stops you from starting into one."));
            }
        });
        List<String> retry = List.of(
                "Steps that need a blocking lock set lock_timeout to " + Durations.human(context.lockPolicy().lockTimeout())
                        + " and retry on SQLSTATE 55P03 up to " + context.lockPolicy().attempts() + " times, sleeping "
                        + Durations.human(context.lockPolicy().firstBackoff()) + " doubling up to "
                        + Durations.human(context.lockPolicy().maxBackoff()) + ", with jitter (half to all of it). Each attempt "
                        + "releases its locks before it sleeps.",
                "If the script stops, fix the cause and run the whole script again: steps already done are skipped (IF NOT EXISTS, "
                        + "a finished backfill is not repeated), an interrupted backfill resumes after its last committed batch, and "
                        + "an index left INVALID by a failed concurrent build is dropped and rebuilt.",
                "Never run the scripts with --single-transaction or inside BEGIN … COMMIT.");
        return new GeneralAdvice(preChecks, monitoring, abort, hazards, retry);
    }
}
