package io.zerodown.postgres;

import io.zerodown.model.SqlType;
import io.zerodown.model.operation.SetDefault;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.Phase;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Sets a column default on PostgreSQL: {@code ALTER COLUMN c SET DEFAULT e}, a catalog change
 * under ACCESS EXCLUSIVE for milliseconds (no row is read or rewritten; existing rows keep their
 * values, only rows inserted later get the default). The down script restores the previous
 * default exactly, or drops the default when there was none.
 */
final class PostgresSetDefault implements PgCompiler<SetDefault> {

    private static final Set<String> NUMERIC_TYPES = Set.of("smallint", "integer", "bigint", "numeric", "decimal", "real",
            "double precision", "int", "int2", "int4", "int8", "float4", "float8");
    private static final Set<String> INEXACT_TYPES = Set.of("numeric", "decimal", "real", "double precision", "float4", "float8");
    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "yes", "on", "1", "false", "no", "off", "0");

    @Override
    public List<String> problems(SetDefault op, PgContext ctx) {
        Column column = ctx.schema().requireTable(op.table()).column(op.column()).orElseThrow();
        List<String> problems = new ArrayList<>();
        PgDefaultSteps.generatedProblem(op.table(), column, "set a default on it").ifPresent(problems::add);
        incompatible(column, op.value().source()).ifPresent(problems::add);
        java.util.Set<String> read;
        try {
            read = op.value().referencedColumns();
        } catch (RuntimeException e) {
            read = java.util.Set.of();
        }
        if (!read.isEmpty()) {
            problems.add("the default " + op.value().source() + " for column \"" + op.column() + "\" reads the column(s) "
                    + String.join(", ", read) + ": PostgreSQL refuses column references in a default (a default is computed before "
                    + "the row exists); use a generated column, a trigger, or a backfill (backfillColumn) instead");
        }
        return problems;
    }

    /**
     * A default that certainly cannot be converted to the column's type: a string literal that
     * is not a number for a numeric column, or not a truth value for a boolean one. Anything less
     * certain is left to the server (the step fails with its message, and nothing changes).
     */
    static Optional<String> incompatible(Column column, String value) {
        String v = value.trim();
        if (!v.matches("'(?:[^']|'')*'")) {
            return Optional.empty();
        }
        String text = v.substring(1, v.length() - 1).replace("''", "'").trim();
        String type = baseType(column.type());
        String lower = text.toLowerCase(Locale.ROOT);
        // Sure only: a number type's input needs at least one digit (nan and infinity aside, for the
        // inexact types); a boolean's must be a prefix of one of its words.
        boolean wrong = NUMERIC_TYPES.contains(type) && !lower.matches(".*[0-9].*")
                && !(INEXACT_TYPES.contains(type) && lower.matches("[+-]?(nan|inf|infinity)"))
                || type.equals("boolean") && (lower.isEmpty() || BOOLEAN_WORDS.stream().noneMatch(w -> w.startsWith(lower)));
        if (!wrong) {
            return Optional.empty();
        }
        return Optional.of("the default " + v + " for column \"" + column.name() + "\" is not a value of its type " + column.type().sql()
                + ": PostgreSQL would refuse it (invalid input syntax for type " + type + "); give a " + type + " value");
    }

    private static String baseType(SqlType type) {
        return type.sql().toLowerCase(Locale.ROOT).replaceAll("\\(.*\\)", "").trim();
    }

    @Override
    public CompiledOperation compile(SetDefault op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        Column column = table.column(op.column()).orElseThrow();
        String slug = "set_default_" + PgContext.slug(op.column().value());
        Column after = PgDefaultSteps.withDefault(column, Optional.of(op.value()));
        boolean serial = column.generation().orElse(null) instanceof Generation.Serial;

        Step undo = PgDefaultSteps.step(ctx, op, slug, "undo_set_default", op.table(), after, column.defaultValue(), column,
                Inverse.nothing());
        Step set = PgDefaultSteps.step(ctx, op, slug, "set_default", op.table(), column, Optional.of(op.value()), after,
                Inverse.steps(undo));

        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(List.of(Technique.DIRECT), List.of(
                "Set the default of " + op.table() + "." + op.column() + ": SET DEFAULT changes only the catalog, under ACCESS "
                        + "EXCLUSIVE for milliseconds (lock_timeout and retries keep the wait short); no row is read or rewritten.",
                "The down script " + column.defaultValue().map(d -> "restores the previous default (" + d.source() + ")")
                        .orElse("drops the default again") + ", the same kind of catalog change.")));
        out.step(set);
        out.preCheck(PgDefaultSteps.ordinaryTable(op.table(), "SET DEFAULT"));
        out.verify(PgDefaultSteps.hasDefault(op.table(), column, op.value()));
        out.appChange(AppChange.after(Phase.EXPAND, "Code that relies on the new default (inserts that leave " + op.column()
                        + " out and expect " + op.value().source() + ") is deployed after the up script.",
                "Old code keeps working: it either writes " + op.column() + " itself or gets "
                        + column.defaultValue().map(d -> "the new default instead of the old one (" + d.source() + ")")
                        .orElse("the new default instead of NULL") + "."));
        out.note("Existing rows keep their values of " + op.column() + "; only rows inserted after the up script without a value "
                + "for it get the default. The default is evaluated at each insert, so a volatile one (random(), clock_timestamp(), "
                + "gen_random_uuid()) is fine here: it gives each new row its own value and never rewrites the table (unlike ADD "
                + "COLUMN with a volatile default).");
        if (serial) {
            out.note(op.column() + " was a serial column: its default took numbers from the sequence "
                    + ((Generation.Serial) column.generation().get()).sequence() + ". With the new default new rows no longer do; the "
                    + "sequence stays (owned by the column), and the down script restores the old default.");
        }
        return out.build();
    }
}
