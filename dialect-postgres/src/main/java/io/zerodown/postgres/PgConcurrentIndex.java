package io.zerodown.postgres;

import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.operation.CreateIndex;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.schema.Index;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.Check;
import io.zerodown.plan.Execution;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Monitor;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.TableWork;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.Optional;

/**
 * The concurrent index build the key operations share, done exactly as {@link PostgresCreateIndex}
 * does it: a guarded step that drops an INVALID index a failed earlier build left under the same
 * name ({@code DROP INDEX CONCURRENTLY}), then {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS}
 * alone, outside any transaction, with {@code lock_timeout} and {@code statement_timeout} off for
 * the build, followed by a check that stops the script unless the index is valid. Used by the
 * online sequences of {@code addUnique}, {@code addPrimaryKey} and by the down script of
 * {@code dropIndex}.
 */
final class PgConcurrentIndex {

    private final PgContext ctx;
    private final Operation op;
    private final String slug;
    private final Index index;
    private final long rows;

    PgConcurrentIndex(PgContext ctx, Operation op, String slug, Index index) {
        this.ctx = ctx;
        this.op = op;
        this.slug = slug;
        this.index = index;
        this.rows = ctx.profile(index.table()).approximateRows();
    }

    /** The concurrent build's duration for the table's rows: two passes, plus waits for older transactions. */
    Duration buildEstimate() {
        return PostgresFacts.forRows(rows, PostgresFacts.CONCURRENT_INDEX_BUILD_ROWS_PER_SECOND);
    }

    /** {@code SELECT EXISTS (…)}: an index of this name exists and is INVALID. */
    static String invalidGuard(IndexName name) {
        return "SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = " + PgSql.toRegclass(name) + " AND NOT indisvalid)";
    }

    /** Drops the index if an earlier, failed build left it INVALID (guarded: skipped otherwise). */
    Step repair(String part) {
        return Step.builder(ctx.stepId(op, slug, part), Phase.BUILD, Step.Kind.REPAIR)
                .summary("Drop " + index.name() + " if an earlier build left it INVALID")
                .execution(Execution.OUTSIDE_TRANSACTION)
                .guard(invalidGuard(index.name()))
                .statement(dropConcurrently(index.name()))
                .lock(sue(TableWork.NONE, LockDuration.instant()))
                .ifInterrupted("The invalid index may remain; run the script again.")
                .build();
    }

    /** The concurrent build of the index with its validity check; the caller adds the inverse. */
    Step.Builder build(String part, String summary) {
        return Step.builder(ctx.stepId(op, slug, part), Phase.BUILD, Step.Kind.INDEX_BUILD)
                .summary(summary)
                .execution(Execution.OUTSIDE_TRANSACTION)
                .statement("SET lock_timeout = 0")
                .statement("SET statement_timeout = 0")
                .statement(PostgresCreateIndex.createIndex(index, true))
                .statement("RESET statement_timeout")
                .statement("RESET lock_timeout")
                .statement(PostgresCreateIndex.validityCheck(asCreateIndex(index), index))
                .lock(sue(TableWork.INDEX_BUILD, new LockDuration.ProportionalToRows(rows, buildEstimate())))
                .estimate(buildEstimate())
                .effect(new SchemaChange.AddIndex(index))
                .ifInterrupted("The index is left INVALID: queries ignore it but writes still maintain it"
                        + (index.unique() ? " and, once it was ready, check their keys against it" : "")
                        + ". Running the script again drops it concurrently and builds it anew.");
    }

    /** {@code DROP INDEX CONCURRENTLY IF EXISTS "name"}. */
    static String dropConcurrently(IndexName name) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + PgSql.quote(name);
    }

    LockClaim sue(TableWork work, LockDuration duration) {
        return new LockClaim(index.table().value(), PgLock.SHARE_UPDATE_EXCLUSIVE, work, duration);
    }

    /** The index as the operation that would create it, for {@link PostgresCreateIndex}'s helpers. */
    static CreateIndex asCreateIndex(Index index) {
        return new CreateIndex(index.table(), Optional.of(index.name()), index.elements(), index.unique(), index.predicate(),
                index.method());
    }

    /** A pre-check that the table is not partitioned: concurrent index builds and drops do not work on one. */
    static Check notPartitioned(TableName table, String what) {
        return new Check(table + " is an ordinary table, not a partitioned one.",
                "SELECT relkind = 'r' FROM pg_class WHERE oid = " + PgSql.regclass(table), Expectation.isTrue(),
                what + " does not work on a partitioned table; zerodown does not handle partitioned tables yet: do it per "
                        + "partition by hand.");
    }

    /**
     * The advice every concurrent build carries: progress monitor, the wait for old transactions,
     * the abort criterion, and the 14.0–14.3 defect (hazard and pre-check).
     */
    static void advice(CompiledOperation.Builder out, PgContext ctx, String command) {
        out.monitor(Monitor.query("Index build progress", "SELECT pid, command, phase, blocks_done, blocks_total, tuples_done, tuples_total,\n"
                        + "       lockers_done, lockers_total, current_locker_pid\nFROM pg_stat_progress_create_index",
                "a phase starting with 'waiting for' that does not move: a long transaction holds it up (see current_locker_pid)"));
        out.abortWhen(new AbortCriterion("the " + command + " waits minutes in a 'waiting for …' phase on a transaction you cannot end",
                "cancel it (pg_cancel_backend); it leaves an INVALID index that the next run of the script drops before trying again"));
        out.hazard(new Hazard(RiskLevel.LOW, "Concurrent build waits for old transactions",
                command + " waits until every transaction that started before each of its phases has ended, on any table; a "
                        + "forgotten open transaction makes it wait indefinitely (without blocking traffic).",
                "The pre-check lists old transactions; pg_stat_progress_create_index shows what it waits for."));
        ctx.facts().concurrentIndexDefect().ifPresent(defect -> out.hazard(new Hazard(RiskLevel.HIGH,
                "Concurrent index builds can miss rows on 14.0 to 14.3", defect,
                "The pre-check stops the migration on an affected server version.")));
        if (ctx.facts().version().major() == 14) {
            out.preCheck(new Check("The server is not PostgreSQL 14.0 to 14.3, whose concurrent index builds can miss rows.",
                    "SELECT current_setting('server_version_num')::int NOT BETWEEN 140000 AND 140399",
                    Expectation.isTrue(), "upgrade to 14.4 or later before building indexes concurrently."));
        }
    }
}
