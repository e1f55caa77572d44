package io.zerodown.postgres;

import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.Reindex;
import io.zerodown.plan.Check;
import io.zerodown.plan.Execution;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.TableWork;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds an index on PostgreSQL.
 *
 * <p>Online: {@code REINDEX INDEX CONCURRENTLY} (12+), alone and outside any transaction, with
 * {@code lock_timeout} and {@code statement_timeout} off. It builds a copy named
 * {@code <name>_ccnew}, swaps it in (the old one becomes {@code <name>_ccold}) and drops the old
 * one, under SHARE UPDATE EXCLUSIVE on the table and the indexes: reads and writes go on. A failure
 * leaves an INVALID {@code <name>_ccnew} (before the swap) or {@code <name>_ccold} (after it),
 * which writes keep maintaining: guarded steps drop them before the rebuild is tried again.
 *
 * <p>Direct (development database, or a window it fits in): plain {@code REINDEX INDEX}: SHARE on
 * the table (writes blocked) and ACCESS EXCLUSIVE on the index, which also blocks every query
 * planned on the table, since planning opens all of its indexes (verified on 12 and 18).
 */
final class PostgresReindex implements PgCompiler<Reindex> {

    @Override
    public List<String> problems(Reindex op, PgContext ctx) {
        return List.of();
    }

    @Override
    public CompiledOperation compile(Reindex op, PgContext ctx) {
        TableName table = op.table();
        IndexName index = op.index();
        String slug = "reindex_" + PgContext.slug(index.value());
        long rows = ctx.profile(table).approximateRows();
        Duration plainBuild = PostgresFacts.forRows(rows, PostgresFacts.INDEX_BUILD_ROWS_PER_SECOND);
        Duration concurrentBuild = PostgresFacts.forRows(rows, PostgresFacts.CONCURRENT_INDEX_BUILD_ROWS_PER_SECOND);
        PgContext.Approach approach = ctx.choose("a plain REINDEX INDEX", "every write to " + table
                + " and, through its ACCESS EXCLUSIVE lock on the index, every query planned on " + table, plainBuild);

        List<Technique> techniques = new ArrayList<>();
        if (approach.direct()) {
            techniques.add(Technique.DIRECT);
            if (ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
                techniques.add(Technique.MAINTENANCE_WINDOW);
            }
        } else {
            techniques.add(Technique.CONCURRENT_INDEX);
        }
        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(techniques, List.of("Rebuild " + index + ": "
                + approach.reason() + (approach.direct() ? "" : " REINDEX INDEX CONCURRENTLY builds a new copy beside the old one "
                + "under SHARE UPDATE EXCLUSIVE and swaps them, so reads and writes go on."))));
        if (approach.direct()) {
            out.step(Step.builder(ctx.stepId(op, slug, "reindex"), Phase.BUILD, Step.Kind.INDEX_BUILD)
                    .summary("Rebuild the index " + index + " (plain: blocks writes, and queries planned on " + table + ")")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("REINDEX INDEX " + PgSql.quote(index))))
                    .lock(new LockClaim(table.value(), PgLock.SHARE, TableWork.INDEX_BUILD, new LockDuration.ProportionalToRows(rows, plainBuild)))
                    .estimate(plainBuild)
                    .inverse(Inverse.nothing())
                    .ifInterrupted("Nothing is changed: a plain REINDEX rolls back whole and the old index stays. Run the script again.")
                    .build());
            out.hazard(new Hazard(ctx.migration().downtime() instanceof DowntimeTolerance.DevOnly ? RiskLevel.LOW : RiskLevel.MEDIUM,
                    "A plain REINDEX blocks reads too",
                    "REINDEX INDEX takes SHARE on " + table + " (writes wait) and ACCESS EXCLUSIVE on " + index + ". Planning any "
                            + "query on " + table + " opens all of its indexes, so even reads that do not use " + index + " wait for the "
                            + "whole rebuild (about " + io.zerodown.model.context.Durations.human(plainBuild) + ").",
                    "Run it only where the table may be unavailable for that long: a development database, or a maintenance window "
                            + "with the application stopped."));
        } else {
            for (String suffix : List.of("ccnew", "ccold")) {
                IndexName leftover = leftoverName(index, suffix);
                out.step(Step.builder(ctx.stepId(op, slug, "repair_" + suffix), Phase.BUILD, Step.Kind.REPAIR)
                        .summary("Drop " + leftover + " if an earlier REINDEX CONCURRENTLY left it INVALID")
                        .execution(Execution.OUTSIDE_TRANSACTION)
                        .guard("SELECT EXISTS (SELECT FROM pg_index WHERE indexrelid = " + PgSql.toRegclass(leftover)
                                + " AND indrelid = " + PgSql.regclass(table) + " AND NOT indisvalid)")
                        .statement(PgConcurrentIndex.dropConcurrently(leftover))
                        .lock(new LockClaim(table.value(), PgLock.SHARE_UPDATE_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                        .ifInterrupted("The invalid index may remain; run the script again.")
                        .build());
            }
            out.step(Step.builder(ctx.stepId(op, slug, "reindex"), Phase.BUILD, Step.Kind.INDEX_BUILD)
                    .summary("Rebuild the index " + index + " concurrently")
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statement("SET lock_timeout = 0")
                    .statement("SET statement_timeout = 0")
                    .statement("REINDEX INDEX CONCURRENTLY " + PgSql.quote(index))
                    .statement("RESET statement_timeout")
                    .statement("RESET lock_timeout")
                    .statement(validityCheck(table, index))
                    .lock(new LockClaim(table.value(), PgLock.SHARE_UPDATE_EXCLUSIVE, TableWork.INDEX_BUILD,
                            new LockDuration.ProportionalToRows(rows, concurrentBuild)))
                    .estimate(concurrentBuild)
                    .inverse(Inverse.nothing())
                    .ifInterrupted("The old index stays in use; an INVALID " + leftoverName(index, "ccnew") + " or "
                            + leftoverName(index, "ccold") + " is left behind, which writes keep maintaining. Running the script again "
                            + "drops it and rebuilds.")
                    .build());
            PgConcurrentIndex.advice(out, ctx, "REINDEX INDEX CONCURRENTLY");
            out.preCheck(PgConcurrentIndex.notPartitioned(table, "REINDEX INDEX CONCURRENTLY with zerodown's clean-up of failed attempts"));
            out.preCheck(new Check("No other leftover of a failed REINDEX CONCURRENTLY (an INVALID index named …_ccnewN or …_ccoldN) "
                            + "is on " + table + ".",
                    "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid\nWHERE i.indrelid = " + PgSql.regclass(table)
                            + " AND NOT i.indisvalid AND c.relname ~ '_cc(new|old)[0-9]+$'",
                    Expectation.count(0), "drop each with DROP INDEX CONCURRENTLY (list them with the same query selecting c.relname): "
                    + "writes keep maintaining them."));
            out.hazard(new Hazard(RiskLevel.LOW, "A full copy of the index is built beside it",
                    "Until the swap, " + table + " has two copies of " + index + ": free disk space for its size, WAL for its size "
                            + "(replication lag), and writes maintain both.",
                    "Check pg_relation_size(" + PgSql.literal(PgSql.quote(index)) + ") against the free space; watch replication lag."));
        }
        out.verify(new Check("The index " + index + " is on " + table + " and valid.",
                "SELECT indisvalid AND indisready AND indrelid = " + PgSql.regclass(table) + " FROM pg_index WHERE indexrelid = "
                        + PgSql.toRegclass(index),
                Expectation.isTrue(), "run the up script again."));
        if (!approach.direct()) {
            out.verify(new Check("No INVALID leftover of the rebuild (" + leftoverName(index, "ccnew") + ", " + leftoverName(index, "ccold") + ").",
                    "SELECT count(*) FROM pg_index WHERE " + leftovers(index) + " AND NOT indisvalid",
                    Expectation.count(0), "run the up script again: its first steps drop them."));
        }
        out.note("Rebuilding an index changes no data and no schema: the down script has nothing to undo.");
        if (!approach.direct()) {
            out.note("REINDEX INDEX CONCURRENTLY of the index of a partitioned table is refused before PostgreSQL 14 (\"not yet implemented\"), and its "
                    + "leftovers would be on the partitions; the pre-check stops on a partitioned table.");
        }
        return out.build();
    }

    /**
     * The name PostgreSQL gives the copy ({@code ccnew}) or the old index ({@code ccold}): the index
     * name cut to fit 63 bytes with the suffix (at a character boundary), then {@code _suffix}.
     * A second failure without clean-up would give {@code _ccnew1}: the pre-check looks for those.
     */
    static IndexName leftoverName(IndexName index, String suffix) {
        int budget = PgNames.MAX_IDENTIFIER_BYTES - suffix.length() - 1;
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < index.value().length(); ) {
            int cp = index.value().codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > budget) {
                break;
            }
            cut.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return IndexName.of(cut + "_" + suffix);
    }

    private static String leftovers(IndexName index) {
        return "indexrelid IN (" + PgSql.toRegclass(leftoverName(index, "ccnew")) + ", " + PgSql.toRegclass(leftoverName(index, "ccold")) + ")";
    }

    /** Stops the script unless the index is valid and no INVALID copy of it is left. */
    private static String validityCheck(TableName table, IndexName index) {
        String body = "\nBEGIN\n"
                + "  IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = " + PgSql.toRegclass(index) + " AND indisvalid AND indrelid = "
                + PgSql.regclass(table) + ")\n"
                + "     OR EXISTS (SELECT FROM pg_index WHERE " + leftovers(index) + " AND NOT indisvalid) THEN\n"
                + "    RAISE EXCEPTION 'zerodown: index % is not valid, or a copy of it was left behind by the rebuild', "
                + PgSql.literal(index.value()) + "\n"
                + "      USING HINT = 'Run the script again: leftovers are dropped before the rebuild.';\n"
                + "  END IF;\n"
                + "END\n";
        return "DO " + PgSql.dollarQuote(body, "zerodown");
    }
}
