package io.zerodown.postgres;

import io.zerodown.model.ConstraintName;
import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.AddUnique;
import io.zerodown.model.schema.Index;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.TableWork;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds a UNIQUE constraint on PostgreSQL.
 *
 * <p>Online: {@code CREATE UNIQUE INDEX CONCURRENTLY} under the constraint's name (SHARE UPDATE
 * EXCLUSIVE: reads and writes go on), with the repair and validity checks of
 * {@link PostgresCreateIndex}, then {@code ALTER TABLE … ADD CONSTRAINT n UNIQUE USING INDEX n},
 * which takes ACCESS EXCLUSIVE for a catalog change only. A duplicate written while the index is
 * built makes the build fail and leaves the index INVALID; the next run drops it and builds again.
 *
 * <p>Direct (development database, or a window the build fits in): {@code ALTER TABLE … ADD
 * CONSTRAINT n UNIQUE (…)}, which builds the index while holding ACCESS EXCLUSIVE.
 */
final class PostgresAddUnique implements PgCompiler<AddUnique> {

    @Override
    public List<String> problems(AddUnique op, PgContext ctx) {
        return PgKeys.problems(ctx, op.table(), op.resolvedName(), op.columns(), "unique constraint");
    }

    @Override
    public CompiledOperation compile(AddUnique op, PgContext ctx) {
        ConstraintName name = op.resolvedName();
        TableName table = op.table();
        Index index = PgKeys.index(table, name, op.columns());
        String slug = "unique_" + PgContext.slug(name.value());
        long rows = ctx.profile(table).approximateRows();
        Duration plainBuild = PostgresFacts.forRows(rows, PostgresFacts.INDEX_BUILD_ROWS_PER_SECOND);
        PgContext.Approach approach = ctx.choose("ALTER TABLE … ADD CONSTRAINT … UNIQUE, which builds the index under ACCESS EXCLUSIVE",
                "reads and writes of " + table, plainBuild);
        String exists = PgKeys.constraintExists(table, name, Optional.empty());

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, ctx, approach));
        Step undoAttach = Step.builder(ctx.stepId(op, slug, "undo_attach"), Phase.BUILD, Step.Kind.SCHEMA)
                .summary("Drop the unique constraint " + name + " (its index goes with it)")
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("ALTER TABLE " + PgSql.quote(table) + " DROP CONSTRAINT IF EXISTS "
                        + PgSql.quote(name))))
                .lock(exclusive(table, TableWork.NONE, LockDuration.instant()))
                .effect(new SchemaChange.DropConstraint(table, name))
                .ifInterrupted("Nothing is changed: the step is one transaction. Run it again. It fails while a foreign key "
                        + "references the constraint: drop that foreign key first.")
                .build();
        if (approach.direct()) {
            out.step(Step.builder(ctx.stepId(op, slug, "add"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Add the unique constraint " + name + " on " + table + " (" + PgKeys.names(op.columns())
                            + "), building its index under ACCESS EXCLUSIVE")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("IF NOT " + exists + " THEN\n  ALTER TABLE " + PgSql.quote(table)
                            + " ADD CONSTRAINT " + PgSql.quote(name) + " UNIQUE (" + PgKeys.quotedList(op.columns()) + ");\nEND IF")))
                    .lock(exclusive(table, TableWork.INDEX_BUILD, new LockDuration.ProportionalToRows(rows, plainBuild)))
                    .estimate(plainBuild)
                    .effect(new SchemaChange.AddConstraint(table, op.constraint()))
                    .inverse(Inverse.steps(undoAttach))
                    .ifInterrupted("Nothing is changed: the statement rolls back whole. Run the script again.")
                    .build());
        } else {
            PgConcurrentIndex concurrent = new PgConcurrentIndex(ctx, op, slug, index);
            out.step(concurrent.repair("repair"));
            out.step(concurrent.build("build", "Build the unique index " + name + " on " + table + " (" + PgKeys.names(op.columns())
                            + ") concurrently")
                    .inverse(Inverse.steps(PgKeys.dropOrphanIndex(ctx, op, slug, index)))
                    .build());
            out.step(Step.builder(ctx.stepId(op, slug, "attach"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Add the unique constraint " + name + " using the index")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("IF NOT " + exists + " THEN\n  ALTER TABLE " + PgSql.quote(table)
                            + " ADD CONSTRAINT " + PgSql.quote(name) + " UNIQUE USING INDEX " + PgSql.quote(index.name()) + ";\nEND IF")))
                    .lock(exclusive(table, TableWork.NONE, LockDuration.instant()))
                    .estimate(Duration.ofMillis(50))
                    .effect(new SchemaChange.DropIndex(table, index.name()))
                    .effect(new SchemaChange.AddConstraint(table, op.constraint()))
                    .inverse(Inverse.steps(undoAttach))
                    .ifInterrupted("Nothing is changed: the step is one transaction, retried on lock timeout. Run the script again.")
                    .build());
            PgConcurrentIndex.advice(out, ctx, "CREATE UNIQUE INDEX CONCURRENTLY");
            out.preCheck(PgConcurrentIndex.notPartitioned(table, "ADD CONSTRAINT … USING INDEX"));
            out.hazard(duplicatesDuringBuild(name, op.columns()));
            out.abortWhen(new AbortCriterion("the build fails with \"could not create unique index " + name + "\" (Key … is duplicated)",
                    "the script stops and leaves " + name + " INVALID. Remove the duplicates (the pre-check's query finds them) and run "
                            + "the script again, which drops the INVALID index and builds it anew; or give up with the down script, which drops it."));
            out.abortWhen(new AbortCriterion("the application's unique_violation errors (SQLSTATE 23505) on " + name + " rise during the build",
                    "some code still writes duplicate keys: cancel the build (pg_cancel_backend), run the down script (it drops the "
                            + "index, INVALID or not), and fix that code first."));
        }
        out.preCheck(PgKeys.nameIsFree(name));
        out.preCheck(new Check("No two rows share a key (" + PgKeys.names(op.columns()) + ") without a NULL in it.",
                PostgresCreateIndex.duplicateQuery(PgConcurrentIndex.asCreateIndex(index), index), Expectation.count(0),
                "remove or merge the duplicates first; list them with the inner query."));
        out.verify(PgKeys.verifyConstraint(table, name, op.columns(), 'u', "unique constraint"));
        out.appChange(AppChange.before(Phase.BUILD, "Deploy code that never writes two rows with the same " + PgKeys.names(op.columns())
                        + " (NULLs aside), and that handles unique_violation (SQLSTATE 23505) on " + name + " where a duplicate could still come.",
                "Old code keeps working as long as it writes no duplicate key: such a write fails from the moment the index is ready "
                        + "during the build."));
        out.appChange(AppChange.after(Phase.BUILD, "Code may rely on " + PgKeys.names(op.columns()) + " being unique, e.g. INSERT … ON CONFLICT ("
                        + PgKeys.names(op.columns()) + ").",
                "Rolling the code back is safe: the constraint only rejects duplicates."));
        out.note("Rows with a NULL in any of " + PgKeys.names(op.columns()) + " never collide: PostgreSQL treats NULLs as distinct "
                + "(zerodown does not emit NULLS NOT DISTINCT).");
        if (!approach.direct()) {
            out.note("The unique index is built under the constraint's own name, " + name + ", so ADD CONSTRAINT … USING INDEX has "
                    + "nothing to rename (PostgreSQL renames the index to the constraint's name otherwise).");
        }
        out.note("The down script drops the constraint, which fails while a foreign key references it; drop such foreign keys first.");
        return out.build();
    }

    static Hazard duplicatesDuringBuild(ConstraintName name, List<io.zerodown.model.ColumnName> columns) {
        return new Hazard(RiskLevel.LOW, "Duplicates written during the build",
                "A duplicate key (" + PgKeys.names(columns) + ") committed while the index is built makes CREATE UNIQUE INDEX "
                        + "CONCURRENTLY fail (\"could not create unique index … is duplicated\") and leaves " + name + " INVALID. "
                        + "From the moment the index is ready (phase 'waiting for old snapshots' onwards), even while it is still "
                        + "INVALID, every INSERT or UPDATE that would duplicate a key fails with unique_violation on " + name + ".",
                "The pre-check finds existing duplicates; deploy code that no longer writes duplicates first. After a failed build, "
                        + "remove the duplicates and run the script again: the INVALID index is dropped and rebuilt. To give up, run the "
                        + "down script at once: an INVALID unique index that was ready keeps rejecting duplicate writes until it is dropped.");
    }

    private static Strategy strategy(AddUnique op, PgContext ctx, PgContext.Approach approach) {
        String what = "Unique constraint " + op.resolvedName() + ": ";
        if (approach.direct()) {
            List<Technique> techniques = new ArrayList<>(List.of(Technique.DIRECT));
            if (ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
                techniques.add(Technique.MAINTENANCE_WINDOW);
            }
            return new Strategy(techniques, List.of(what + approach.reason()));
        }
        return new Strategy(List.of(Technique.CONCURRENT_INDEX), List.of(what + approach.reason()
                + " The unique index is built with CREATE UNIQUE INDEX CONCURRENTLY (SHARE UPDATE EXCLUSIVE: reads and writes go "
                + "on), then attached with ADD CONSTRAINT … UNIQUE USING INDEX, whose ACCESS EXCLUSIVE lasts milliseconds."));
    }

    static LockClaim exclusive(TableName table, TableWork work, LockDuration duration) {
        return new LockClaim(table.value(), PgLock.ACCESS_EXCLUSIVE, work, duration);
    }

}
