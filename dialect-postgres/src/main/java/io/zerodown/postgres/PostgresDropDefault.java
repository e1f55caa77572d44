package io.zerodown.postgres;

import io.zerodown.model.operation.DropDefault;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drops a column default on PostgreSQL: {@code ALTER COLUMN c DROP DEFAULT}, a catalog change
 * under ACCESS EXCLUSIVE for milliseconds (existing rows keep their values). The down script sets
 * the previous default again, exactly as it was.
 */
final class PostgresDropDefault implements PgCompiler<DropDefault> {

    @Override
    public List<String> problems(DropDefault op, PgContext ctx) {
        Column column = ctx.schema().requireTable(op.table()).column(op.column()).orElseThrow();
        List<String> problems = new ArrayList<>();
        Optional<String> generated = PgDefaultSteps.generatedProblem(op.table(), column, "drop a default from it");
        generated.ifPresent(problems::add);
        if (generated.isEmpty() && column.defaultValue().isEmpty()) {
            problems.add("column \"" + op.column() + "\" of table \"" + op.table() + "\" has no default: there is nothing to drop");
        }
        return problems;
    }

    @Override
    public CompiledOperation compile(DropDefault op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        Column column = table.column(op.column()).orElseThrow();
        String slug = "drop_default_" + PgContext.slug(op.column().value());
        Column after = PgDefaultSteps.withDefault(column, Optional.empty());
        String previous = column.defaultValue().orElseThrow().source();

        Step undo = PgDefaultSteps.step(ctx, op, slug, "undo_drop_default", op.table(), after, column.defaultValue(), column,
                Inverse.nothing());
        Step drop = PgDefaultSteps.step(ctx, op, slug, "drop_default", op.table(), column, Optional.empty(), after, Inverse.steps(undo));

        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(List.of(Technique.DIRECT), List.of(
                "Drop the default of " + op.table() + "." + op.column() + ": DROP DEFAULT changes only the catalog, under ACCESS "
                        + "EXCLUSIVE for milliseconds (lock_timeout and retries keep the wait short); no row is read or rewritten.",
                "The down script sets the previous default (" + previous + ") again.")));
        out.step(drop);
        out.preCheck(PgDefaultSteps.ordinaryTable(op.table(), "DROP DEFAULT"));
        out.verify(PgDefaultSteps.hasNoDefault(op.table(), op.column()));
        boolean failsWithoutValue = !column.nullable();
        out.hazard(new Hazard(failsWithoutValue ? RiskLevel.MEDIUM : RiskLevel.LOW, "Inserts that leave the column out change",
                failsWithoutValue
                        ? "From the up script on, an INSERT that leaves " + op.column() + " out fails: the column is NOT NULL and has "
                        + "no default any more (SQLSTATE 23502)."
                        : "From the up script on, an INSERT that leaves " + op.column() + " out stores NULL instead of " + previous + ".",
                "Deploy code that always writes " + op.column() + " before the up script; the down script restores the default."));
        out.appChange(AppChange.before(Phase.EXPAND, "Deploy code that writes " + op.column() + " in every INSERT (it must not rely "
                        + "on the default " + previous + " any more).",
                "Old code that leaves " + op.column() + " out " + (failsWithoutValue ? "fails" : "stores NULL") + " from the up "
                        + "script on."));
        out.note("Existing rows keep their values of " + op.column() + "; only later inserts are affected.");
        if (column.generation().orElse(null) instanceof Generation.Serial serial) {
            out.note(op.column() + " was a serial column: new rows no longer take numbers from the sequence " + serial.sequence()
                    + ", which stays (owned by the column); the down script restores the default.");
        }
        return out.build();
    }
}
