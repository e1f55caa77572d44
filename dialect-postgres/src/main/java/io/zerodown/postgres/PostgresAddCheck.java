package io.zerodown.postgres;

import io.zerodown.model.ConstraintName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.AddCheck;
import io.zerodown.model.schema.Constraint;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds a CHECK constraint on PostgreSQL.
 *
 * <p>Online: {@code ADD CONSTRAINT n CHECK (…) NOT VALID} (ACCESS EXCLUSIVE for milliseconds; new
 * rows are checked from then on), then {@code VALIDATE CONSTRAINT n} in its own transaction, under
 * SHARE UPDATE EXCLUSIVE, which lets reads and writes go on while every row is read.
 *
 * <p>Direct (development database, or a window the scan fits in): {@code ADD CONSTRAINT n CHECK (…)},
 * which reads every row under ACCESS EXCLUSIVE.
 */
final class PostgresAddCheck implements PgCompiler<AddCheck> {

    @Override
    public List<String> problems(AddCheck op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        ConstraintName name = op.resolvedName();
        if (PgNames.tooLong(name.value())) {
            problems.add("constraint name \"" + name + "\" is longer than 63 bytes; PostgreSQL would silently cut it. Choose a "
                    + "shorter one with named(…)");
        }
        return problems;
    }

    @Override
    public CompiledOperation compile(AddCheck op, PgContext ctx) {
        Constraint.Check check = op.constraint();
        String slug = "check_" + PgContext.slug(check.name().value());
        long rows = ctx.profile(op.table()).approximateRows();
        Duration scan = PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND);
        PgContext.Approach approach = ctx.choose("a plain ADD CHECK, which checks every row under ACCESS EXCLUSIVE",
                "reads and writes of " + op.table(), scan);

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, ctx, approach));
        if (approach.direct()) {
            out.step(PgConstraintSteps.addDirect(ctx, op, slug, "add", Phase.BUILD, op.table(), check, Map.of(op.table(), rows), scan));
        } else {
            out.step(PgConstraintSteps.addNotValid(ctx, op, slug, "add", Phase.BUILD, op.table(), check));
            out.step(PgConstraintSteps.validate(ctx, op, slug, "validate", op.table(), check, Map.of(op.table(), rows), scan));
            out.hazard(new Hazard(RiskLevel.LOW, "Violating writes fail from the first step on",
                    "Once " + check.name() + " is added NOT VALID, every INSERT or UPDATE whose new row violates it fails (SQLSTATE "
                            + "23514), including updates of other columns of a row that already violates it.",
                    "The pre-check requires that no existing row violates it; deploy code that writes only valid rows first."));
            out.abortWhen(new AbortCriterion("the validation scan of " + op.table() + " hurts latency or runs too long",
                    "cancel it (pg_cancel_backend): the check stays NOT VALID and keeps checking new rows; run the script again later"));
        }
        String expression = check.expression().sql();
        out.preCheck(new Check("No existing row of " + op.table() + " violates CHECK (" + expression + ").",
                "SELECT count(*) FROM " + PgSql.quote(op.table()) + " WHERE NOT (" + expression + ")", Expectation.count(0),
                "list them with SELECT * FROM " + PgSql.quote(op.table()) + " WHERE NOT (" + expression + "); fix them (or change "
                        + "the check) before running the up script: the validation would fail on them."));
        out.preCheck(new Check("No constraint named " + check.name() + " exists on " + op.table() + " yet (on a re-run it does: expected).",
                "SELECT count(*) FROM pg_constraint WHERE conrelid = " + PgSql.regclass(op.table()) + " AND conname = "
                        + PgSql.literal(check.name().value()),
                Expectation.count(0), "the schema given to zerodown is out of date: compile again from the live schema."));
        out.verify(new Check("The check " + check.name() + " exists on " + op.table() + " and is validated.",
                "SELECT convalidated FROM pg_constraint WHERE conrelid = " + PgSql.regclass(op.table()) + " AND conname = "
                        + PgSql.literal(check.name().value()) + " AND contype = 'c'",
                Expectation.isTrue(), "run the up script again: it validates the check (fix violating rows first if it fails)."));
        out.appChange(AppChange.before(Phase.BUILD, "Make the application write only rows that satisfy " + expression + ".",
                "Code that writes a violating row gets an error (SQLSTATE 23514) once the up script has added the check."));
        out.note("CHECK (" + expression + ") on " + op.table() + " accepts a row when the expression is true or NULL: a NULL "
                + "operand passes the check (add NOT NULL to rule NULL out).");
        return out.build();
    }

    private static Strategy strategy(AddCheck op, PgContext ctx, PgContext.Approach approach) {
        String what = "Check " + op.resolvedName() + " on " + op.table() + ": " + approach.reason();
        if (approach.direct()) {
            List<Technique> techniques = new ArrayList<>(List.of(Technique.DIRECT));
            if (ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
                techniques.add(Technique.MAINTENANCE_WINDOW);
            }
            return new Strategy(techniques, List.of(what));
        }
        return new Strategy(List.of(Technique.NOT_VALID_THEN_VALIDATE), List.of(what, "The check is added NOT VALID (ACCESS "
                + "EXCLUSIVE for milliseconds; new rows are checked from then on) and validated in its own transaction under "
                + "SHARE UPDATE EXCLUSIVE, so reads and writes go on while the existing rows are read."));
    }
}
