package io.zerodown.postgres;

import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.DropIndex;
import io.zerodown.model.schema.Index;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Execution;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Monitor;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.TableWork;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.List;

/**
 * Drops an index on PostgreSQL.
 *
 * <p>Online: {@code DROP INDEX CONCURRENTLY}, alone and outside any transaction, with
 * {@code lock_timeout} and {@code statement_timeout} off (it waits for every transaction using the
 * table; a timeout firing in those waits would leave the index INVALID). It takes SHARE UPDATE
 * EXCLUSIVE on the table and the index, and ACCESS EXCLUSIVE on the index only at the very end,
 * once no query can use it (verified on 12 and 18). The down script rebuilds the index from the
 * schema concurrently (unique, partial, expressions, method, DESC kept).
 *
 * <p>Direct (development database only): {@code DROP INDEX}, ACCESS EXCLUSIVE on table and index
 * for a catalog change; its down script builds the index with a plain {@code CREATE INDEX}.
 */
final class PostgresDropIndex implements PgCompiler<DropIndex> {

    @Override
    public List<String> problems(DropIndex op, PgContext ctx) {
        return List.of();
    }

    @Override
    public CompiledOperation compile(DropIndex op, PgContext ctx) {
        TableName table = op.table();
        Index index = ctx.schema().requireTable(table).index(op.index()).orElseThrow();
        String slug = "drop_index_" + PgContext.slug(index.name().value());
        long rows = ctx.profile(table).approximateRows();
        boolean direct = ctx.migration().downtime() instanceof DowntimeTolerance.DevOnly;
        String reason = direct
                ? "development database, downtime allowed: the direct DROP INDEX (ACCESS EXCLUSIVE on " + table + " for a catalog change) is "
                + "simpler, and its down script rebuilds the index with a plain CREATE INDEX, which blocks writes while it builds."
                : "DROP INDEX CONCURRENTLY blocks neither reads nor writes, so no window is needed: the direct DROP INDEX would only "
                + "spare the wait for transactions using " + table + ", at the price of an ACCESS EXCLUSIVE lock every query queues behind, "
                + "and of a blocking rebuild in its down script.";

        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(
                List.of(direct ? Technique.DIRECT : Technique.CONCURRENT_INDEX), List.of("Drop index " + index.name() + ": " + reason)));
        Inverse inverse = inverse(op, ctx, slug, index, rows, direct);
        if (direct) {
            out.step(Step.builder(ctx.stepId(op, slug, "drop"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Drop the index " + index.name())
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("DROP INDEX IF EXISTS " + PgSql.quote(index.name()))))
                    .lock(new LockClaim(table.value(), PgLock.ACCESS_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                    .estimate(Duration.ofMillis(50))
                    .effect(new SchemaChange.DropIndex(table, index.name()))
                    .inverse(inverse)
                    .ifInterrupted("Nothing is changed: the step is one transaction. Run the script again.")
                    .build());
        } else {
            out.step(Step.builder(ctx.stepId(op, slug, "drop"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Drop the index " + index.name() + " concurrently")
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statement("SET lock_timeout = 0")
                    .statement("SET statement_timeout = 0")
                    .statement(PgConcurrentIndex.dropConcurrently(index.name()))
                    .statement("RESET statement_timeout")
                    .statement("RESET lock_timeout")
                    .lock(new LockClaim(table.value(), PgLock.SHARE_UPDATE_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                    .estimate(Duration.ofMillis(50))
                    .effect(new SchemaChange.DropIndex(table, index.name()))
                    .inverse(inverse)
                    .ifInterrupted("The index may be left INVALID (queries no longer use it, writes still maintain it). Running the "
                            + "script again drops it.")
                    .build());
            out.preCheck(PgConcurrentIndex.notPartitioned(table, "DROP INDEX CONCURRENTLY"));
            out.hazard(new Hazard(RiskLevel.LOW, "The drop waits for transactions using the table",
                    "DROP INDEX CONCURRENTLY waits, twice, until every transaction holding a lock on " + table + " has ended; a "
                            + "forgotten open transaction makes it wait indefinitely, without blocking traffic. At the very end it takes "
                            + "ACCESS EXCLUSIVE on the index alone, when no query can use it any more.",
                    "The pre-check lists old transactions; the lock query shows what it waits for. Cancelling it is safe: the index "
                            + "is dropped (or left INVALID, and dropped by the next run)."));
        }
        out.preCheck(new Check("No constraint depends on the index " + index.name()
                        + " (a foreign key of another table may rest on a unique index).",
                "SELECT count(*) FROM pg_constraint WHERE conindid = " + PgSql.toRegclass(index.name()), Expectation.count(0),
                "drop or change that constraint first (SELECT conrelid::regclass, conname FROM pg_constraint WHERE conindid = "
                        + PgSql.toRegclass(index.name()) + " lists them)."));
        out.preCheck(new Check("The index " + index.name() + " is not the replica identity of " + table + ".",
                "SELECT count(*) FROM pg_index WHERE indexrelid = " + PgSql.toRegclass(index.name()) + " AND indisreplident",
                Expectation.count(0), "logical replication identifies rows of " + table + " by this index: set another replica identity "
                + "first (ALTER TABLE … REPLICA IDENTITY). PostgreSQL drops it anyway, and every UPDATE and DELETE of " + table
                + " then fails while a publication includes it (\"does not have a replica identity and publishes updates\")."));
        out.monitor(Monitor.query("Is the index " + index.name() + " still used? (read it twice, some time apart, before the drop)",
                "SELECT idx_scan, pg_size_pretty(pg_relation_size(indexrelid)) AS size\nFROM pg_stat_user_indexes WHERE indexrelid = "
                        + PgSql.toRegclass(index.name()),
                "idx_scan growing between two reads: queries use the index and will get slower without it"));
        out.hazard(new Hazard(RiskLevel.LOW, "Queries that used the index get slower",
                "Every query whose plan used " + index.name() + " falls back to another plan, perhaps a scan of " + table + ".",
                "Check pg_stat_user_indexes.idx_scan and the plans of the queries on " + table + " first; the down script rebuilds it."));
        if (index.unique()) {
            out.hazard(new Hazard(RiskLevel.LOW, "Uniqueness is no longer enforced",
                    index.name() + " is unique: once it is gone, duplicates can be written, INSERT … ON CONFLICT on its keys fails "
                            + "(\"there is no unique or exclusion constraint matching the ON CONFLICT specification\"), and rebuilding it "
                            + "in the down script fails if duplicates were written meanwhile.",
                    "Make sure no code relies on it before the drop; before rolling back, remove any duplicates."));
        }
        out.verify(new Check("The index " + index.name() + " is gone.", "SELECT " + PgSql.toRegclass(index.name()) + " IS NULL",
                Expectation.isTrue(), "run the up script again."));
        out.appChange(AppChange.before(Phase.BUILD, "Make sure no query depends on " + index.name()
                        + (index.unique() ? " and no code relies on its uniqueness (ON CONFLICT on its keys, duplicate handling)" : "")
                        + ".",
                "Code keeps working without the index; only the queries that used it get slower"
                        + (index.unique() ? ", and ON CONFLICT on its keys fails" : "") + "."));
        if (!index.valid()) {
            out.note(index.name() + " is INVALID (a failed build): dropping it only removes its write overhead.");
        }
        return out.build();
    }

    /** Rebuilds the index from the schema: concurrently online, with a plain CREATE INDEX for the direct variant. */
    private static Inverse inverse(DropIndex op, PgContext ctx, String slug, Index index, long rows, boolean direct) {
        if (!index.valid()) {
            return Inverse.irreversible(index.name() + " was INVALID (left by a failed build): rebuilding it is not undoing the drop. "
                    + "Create it anew with createIndex if you want it.");
        }
        if (direct) {
            Duration build = PostgresFacts.forRows(rows, PostgresFacts.INDEX_BUILD_ROWS_PER_SECOND);
            return Inverse.steps(Step.builder(ctx.stepId(op, slug, "undo_drop"), Phase.BUILD, Step.Kind.INDEX_BUILD)
                    .summary("Rebuild the index " + index.name() + " (plain, blocking writes)")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PostgresCreateIndex.createIndex(index, false))))
                    .lock(new LockClaim(op.table().value(), PgLock.SHARE, TableWork.INDEX_BUILD, new LockDuration.ProportionalToRows(rows, build)))
                    .estimate(build)
                    .effect(new SchemaChange.AddIndex(index))
                    .ifInterrupted("Nothing is left behind: a plain CREATE INDEX rolls back whole. Run the down script again.")
                    .build());
        }
        PgConcurrentIndex concurrent = new PgConcurrentIndex(ctx, op, slug, index);
        return Inverse.steps(concurrent.repair("undo_repair"),
                concurrent.build("undo_drop", "Rebuild the index " + index.name() + " concurrently").build());
    }
}
