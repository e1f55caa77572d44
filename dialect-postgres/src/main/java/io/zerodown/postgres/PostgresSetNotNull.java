package io.zerodown.postgres;

import io.zerodown.model.ConstraintName;
import io.zerodown.model.TableName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.operation.SetNotNull;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Table;
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

/**
 * Makes a column NOT NULL on PostgreSQL.
 *
 * <p>Online, 12 to 17: {@code ADD CONSTRAINT n CHECK (c IS NOT NULL) NOT VALID} (ACCESS EXCLUSIVE,
 * milliseconds); {@code VALIDATE CONSTRAINT n} in its own transaction (SHARE UPDATE EXCLUSIVE: the
 * scan blocks neither reads nor writes); then {@code SET NOT NULL}, which the valid check proves
 * without a scan, and {@code DROP CONSTRAINT n}, as two statements of one short transaction (in one
 * ALTER TABLE the drop would come first and SET NOT NULL would scan: checked on 12, 15 and 18).
 *
 * <p>Online, 18 ({@link PgFeature#NOT_NULL_NOT_VALID}): {@code ADD CONSTRAINT n NOT NULL c NOT VALID},
 * then {@code VALIDATE CONSTRAINT n}. One exclusive lock instead of two, no temporary check, and the
 * result is the not-null constraint a plain {@code SET NOT NULL} would have made (same name).
 *
 * <p>Direct (development database, or a window the scan fits in): {@code SET NOT NULL}, which scans
 * the table under ACCESS EXCLUSIVE.
 */
final class PostgresSetNotNull implements PgCompiler<SetNotNull> {

    @Override
    public List<String> problems(SetNotNull op, PgContext ctx) {
        return List.of();
    }

    @Override
    public CompiledOperation compile(SetNotNull op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        Column column = table.column(op.column()).orElseThrow();
        String slug = "not_null_" + PgContext.slug(op.column().value());
        long rows = ctx.profile(op.table()).approximateRows();
        Duration scan = PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND);
        PgContext.Approach approach = ctx.choose("a plain SET NOT NULL, which checks every row under ACCESS EXCLUSIVE",
                "reads and writes of " + op.table(), scan);
        boolean notValidNotNull = ctx.facts().has(PgFeature.NOT_NULL_NOT_VALID);
        ConstraintName name = PgConstraintSteps.notNullName(table, op.column());

        CompiledOperation.Builder out = CompiledOperation.builder(op, strategy(op, ctx, approach, name, notValidNotNull));
        if (approach.direct()) {
            out.step(PgConstraintSteps.notNullDirect(ctx, op, slug, "", Phase.BUILD, table, column));
        } else {
            PgConstraintSteps.notNullOnline(ctx, op, slug, "", Phase.BUILD, table, column).forEach(out::step);
            out.abortWhen(new AbortCriterion("the validation scan of " + op.table() + " runs longer than you can watch it, or its I/O "
                    + "hurts latency", "cancel it (pg_cancel_backend): the constraint stays NOT VALID and keeps rejecting new NULLs; "
                    + "run the script again later, it validates again from the start"));
        }

        out.preCheck(new Check("No row of " + op.table() + " has " + op.column() + " NULL (the validation would fail on it).",
                PgConstraintSteps.nullRows(op.table(), op.column()), Expectation.count(0),
                "fill those rows first, e.g. UPDATE … SET " + op.column() + " = … WHERE " + op.column() + " IS NULL in batches, or "
                        + "backfill(\"" + op.column() + "\").with(…) in this plan (the check then runs once the backfill is done), "
                        + "or delete them. The application must stop writing NULL first."));
        out.verify(new Check(op.table() + "." + op.column() + " is NOT NULL" + (notValidNotNull
                        ? ", with a validated not-null constraint." : ", and no temporary check is left."),
                verification(op.table(), op, name, notValidNotNull), Expectation.isTrue(),
                "run the up script again: it skips what is done and finishes the rest."));

        if (!approach.direct()) {
            out.hazard(new Hazard(RiskLevel.LOW, "NULL writes fail from the first step on",
                    "Once the first step has run, every INSERT or UPDATE that leaves " + op.column() + " NULL fails (SQLSTATE "
                            + (notValidNotNull ? "23502" : "23514") + "): a NOT VALID constraint is still checked for every new row "
                            + "version, including updates of other columns of a row whose " + op.column() + " is still NULL.",
                    "The pre-check requires that no row is NULL; deploy code that always writes " + op.column() + " before the up script."));
            if (notValidNotNull) {
                out.hazard(new Hazard(RiskLevel.LOW, "The catalog says NOT NULL before the rows are checked",
                        "On PostgreSQL 18 the column is marked NOT NULL (pg_attribute.attnotnull, information_schema, \\d) as soon "
                                + "as the NOT VALID constraint is added; only the validation proves it for existing rows.",
                        "The pre-check finds NULL rows first; the verification requires the constraint to be validated."));
            }
        }
        out.appChange(AppChange.before(Phase.BUILD, "Make every write set " + op.table() + "." + op.column()
                        + " to a value (or give the column a default first, setDefault(…)); fill existing NULLs.",
                "Code that still writes NULL into " + op.column() + " fails once the up script has started."));
        out.appChange(AppChange.after(Phase.BUILD, "Code may rely on " + op.column() + " never being NULL (and ORM mappings may "
                        + "mark it non-nullable).",
                "Until the down script runs; after it, NULL is allowed again."));
        out.note(op.table() + "." + op.column() + " becomes NOT NULL. " + (notValidNotNull
                ? "On PostgreSQL 18 it gets the not-null constraint " + name + " (PostgreSQL's default name for it, cut with a hash "
                + "past 63 bytes where PostgreSQL would cut it plainly)."
                : "PostgreSQL " + ctx.facts().version().major() + " has no NOT VALID form of NOT NULL: a CHECK (" + op.column()
                + " IS NOT NULL) named " + name + " is validated first so that SET NOT NULL needs no scan (PostgreSQL 12 and later), "
                + "then dropped."));
        return out.build();
    }

    private static String verification(TableName table, SetNotNull op, ConstraintName name, boolean notValidNotNull) {
        String leftover = notValidNotNull
                ? "NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conrelid = a.attrelid AND c.contype = 'n' AND NOT c.convalidated\n"
                + "                               AND c.conkey = ARRAY[a.attnum])"
                : "NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conrelid = a.attrelid AND c.conname = " + PgSql.literal(name.value()) + ")";
        return "SELECT a.attnotnull AND " + leftover + "\nFROM pg_attribute a WHERE a.attrelid = " + PgSql.regclass(table)
                + " AND a.attname = " + PgSql.literal(op.column().value());
    }

    private static Strategy strategy(SetNotNull op, PgContext ctx, PgContext.Approach approach, ConstraintName name, boolean notValidNotNull) {
        String what = "Set " + op.table() + "." + op.column() + " NOT NULL: " + approach.reason();
        if (approach.direct()) {
            List<Technique> techniques = new ArrayList<>(List.of(Technique.DIRECT));
            if (ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
                techniques.add(Technique.MAINTENANCE_WINDOW);
            }
            return new Strategy(techniques, List.of(what));
        }
        String how = notValidNotNull
                ? "PostgreSQL 18 adds the not-null constraint " + name + " NOT VALID (ACCESS EXCLUSIVE for milliseconds; new rows are "
                + "checked from then on), then validates it in its own transaction under SHARE UPDATE EXCLUSIVE, which lets reads "
                + "and writes go on during the scan."
                : "A CHECK (" + op.column() + " IS NOT NULL) is added NOT VALID (ACCESS EXCLUSIVE for milliseconds), validated in its "
                + "own transaction under SHARE UPDATE EXCLUSIVE (reads and writes go on during the scan); the valid check lets "
                + "SET NOT NULL skip its scan, so the second ACCESS EXCLUSIVE also lasts milliseconds, and the check is dropped "
                + "in the same transaction.";
        return new Strategy(List.of(Technique.NOT_VALID_THEN_VALIDATE), List.of(what, how));
    }
}
