package io.zerodown.postgres;

import io.zerodown.model.operation.DropNotNull;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
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

/**
 * Allows NULL in a column on PostgreSQL: {@code ALTER COLUMN c DROP NOT NULL}, a catalog change
 * under ACCESS EXCLUSIVE (on 18 it also drops the column's not-null constraint). The down script
 * makes the column NOT NULL again with {@link PostgresSetNotNull}'s online sequence, whose
 * validation fails once NULLs have been written.
 */
final class PostgresDropNotNull implements PgCompiler<DropNotNull> {

    @Override
    public List<String> problems(DropNotNull op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        Table table = ctx.schema().requireTable(op.table());
        Column column = table.column(op.column()).orElseThrow();
        table.primaryKey().filter(pk -> pk.columns().contains(op.column())).ifPresent(pk -> problems.add("column \"" + op.column()
                + "\" is part of the primary key \"" + pk.name() + "\"; PostgreSQL keeps primary key columns NOT NULL. Drop the "
                + "primary key first (dropConstraint(\"" + pk.name() + "\"))"));
        if (column.generation().orElse(null) instanceof Generation.Identity) {
            problems.add("column \"" + op.column() + "\" is an identity column, which PostgreSQL keeps NOT NULL; drop the identity "
                    + "first (ALTER COLUMN … DROP IDENTITY) if NULL must be allowed");
        }
        return problems;
    }

    @Override
    public CompiledOperation compile(DropNotNull op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        Column column = table.column(op.column()).orElseThrow();
        String slug = "drop_not_null_" + PgContext.slug(op.column().value());
        boolean notValidNotNull = ctx.facts().has(PgFeature.NOT_NULL_NOT_VALID);

        List<Step> restore = PgConstraintSteps.notNullOnline(ctx, op, slug, "undo_", Phase.EXPAND, table, column);
        Step drop = PgConstraintSteps.dropNotNull(ctx, op, slug, "drop", Phase.EXPAND, op.table(), column.withNullable(true),
                Inverse.steps(restore.toArray(Step[]::new)));

        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(List.of(Technique.DIRECT), List.of(
                "Allow NULL in " + op.table() + "." + op.column() + ": DROP NOT NULL changes only the catalog, under ACCESS "
                        + "EXCLUSIVE for milliseconds (lock_timeout and retries keep the wait short); no row is read.",
                "The down script makes the column NOT NULL again without a long lock: "
                        + (notValidNotNull ? "a NOT NULL constraint added NOT VALID, then validated"
                        : "a CHECK (" + op.column() + " IS NOT NULL) added NOT VALID, validated, then SET NOT NULL without a scan")
                        + "; its validation fails if NULLs were written in between.")));
        out.step(drop);
        out.verify(new Check(op.table() + "." + op.column() + " allows NULL.",
                "SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = " + PgSql.regclass(op.table()) + " AND attname = "
                        + PgSql.literal(op.column().value()),
                Expectation.isTrue(), "run the up script again."));
        out.hazard(new Hazard(RiskLevel.LOW, "The down script fails once NULLs are written",
                "Rolling back makes " + op.column() + " NOT NULL again; its validation step stops with an error while any row has "
                        + op.column() + " NULL, and from its first step new NULL writes are rejected.",
                "Before running the down script, roll the application back to code that always writes " + op.column()
                        + ", then fill the NULLs (" + PgConstraintSteps.nullRows(op.table(), op.column()) + " counts them)."));
        out.appChange(AppChange.after(Phase.EXPAND, "Code may write NULL into " + op.table() + "." + op.column() + ".",
                "Old code keeps working: it never writes NULL there. Once new code has written NULLs, rolling back needs those "
                        + "rows filled first."));
        out.note("Undoing this (the down script) needs every row of " + op.table() + " to have " + op.column()
                + " set: it fails on NULLs written since the up script, and says so; fill them and run it again."
                + (notValidNotNull ? " On PostgreSQL 18 the restored not-null constraint is named "
                + PgConstraintSteps.notNullName(table, op.column()) + ", whatever its name was before." : ""));
        return out.build();
    }
}
