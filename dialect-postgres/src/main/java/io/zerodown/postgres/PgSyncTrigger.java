package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.FunctionName;
import io.zerodown.model.TableName;
import io.zerodown.model.TriggerName;
import io.zerodown.model.schema.Trigger;
import io.zerodown.plan.SchemaChange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A row trigger that keeps old and new columns consistent while both exist, so that old and new
 * application code can run side by side and a rollback loses nothing.
 *
 * <p>Which side to derive from is decided by what the writer changed (a write that sets both
 * sides is kept as written):
 * <ul>
 *   <li>INSERT that leaves the new columns NULL: new derived from old (old code);
 *       INSERT that leaves the old columns NULL: old derived from new (new code);</li>
 *   <li>UPDATE that changes old and not new: new derived from old (old code);</li>
 *   <li>UPDATE that changes new and not old: old derived from new (new code);</li>
 *   <li>UPDATE that changes neither (another column, or the backfill's no-op write) while the new
 *       columns are all NULL: new derived from old. This is how the backfill fills rows.</li>
 * </ul>
 * Without a {@code backward} derivation (a one-way sync), writes of the new columns are kept as
 * written and the old columns are left alone.
 *
 * @param table        the table
 * @param name         the trigger's name, also used for its function
 * @param oldColumns   the columns old code writes
 * @param newColumns   the columns new code writes
 * @param declarations PL/pgSQL variable declarations the derivations use (may be empty)
 * @param forward      PL/pgSQL statements that set {@code NEW.<new columns>} from {@code NEW.<old columns>}
 * @param backward     PL/pgSQL statements that set {@code NEW.<old columns>} from {@code NEW.<new columns>}
 */
record PgSyncTrigger(TableName table, String name, List<ColumnName> oldColumns, List<ColumnName> newColumns,
                     String declarations, String forward, Optional<String> backward) {

    PgSyncTrigger {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        oldColumns = List.copyOf(oldColumns);
        newColumns = List.copyOf(newColumns);
        Objects.requireNonNull(declarations, "declarations");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
    }

    TriggerName triggerName() {
        return TriggerName.of(name);
    }

    FunctionName functionName() {
        return FunctionName.of(name);
    }

    /** {@code CREATE OR REPLACE FUNCTION …}: safe to run again. */
    String createFunction() {
        StringBuilder body = new StringBuilder("\n");
        body.append("DECLARE\n");
        body.append("  zd_from_old boolean;\n");
        body.append("  zd_from_new boolean;\n");
        if (!declarations.isBlank()) {
            body.append(PgLockRetry.indent(declarations, "  ")).append('\n');
        }
        body.append("BEGIN\n");
        body.append("  IF TG_OP = 'INSERT' THEN\n");
        body.append("    zd_from_old := ").append(allNull(newColumns)).append(";\n");
        body.append("    zd_from_new := NOT zd_from_old AND ").append(allNull(oldColumns)).append(";\n");
        body.append("  ELSE\n");
        body.append("    zd_from_old := (").append(changed(oldColumns)).append(" AND NOT (").append(changed(newColumns)).append("))\n");
        body.append("      OR (NOT (").append(changed(oldColumns)).append(") AND NOT (").append(changed(newColumns)).append(")\n");
        body.append("          AND ").append(allNull(newColumns)).append(" AND NOT (").append(allNull(oldColumns)).append("));\n");
        body.append("    zd_from_new := ").append(changed(newColumns)).append(" AND NOT (").append(changed(oldColumns)).append(");\n");
        body.append("  END IF;\n");
        body.append("  IF zd_from_old THEN\n");
        body.append("    -- old code wrote the old columns, or the row predates the new ones: derive the new columns\n");
        body.append(PgLockRetry.indent(forward, "    ")).append('\n');
        if (backward.isPresent()) {
            body.append("  ELSIF zd_from_new THEN\n");
            body.append("    -- new code wrote the new columns: derive the old ones\n");
            body.append(PgLockRetry.indent(backward.get(), "    ")).append('\n');
        }
        body.append("  END IF;\n");
        body.append("  RETURN NEW;\n");
        body.append("END\n");
        return "CREATE OR REPLACE FUNCTION " + PgSql.quote(functionName()) + "() RETURNS trigger LANGUAGE plpgsql AS "
                + PgSql.dollarQuote(body.toString(), "function");
    }

    /**
     * Creates the trigger unless it exists: PL/pgSQL, for a {@code DO} block. Checking first takes
     * only the SHARE ROW EXCLUSIVE lock of {@code CREATE TRIGGER}, where
     * {@code DROP TRIGGER IF EXISTS} would take ACCESS EXCLUSIVE on every version.
     */
    String createTriggerIfMissing() {
        return "IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = " + PgSql.regclass(table) + " AND tgname = "
                + PgSql.literal(name) + ") THEN\n"
                + "  CREATE TRIGGER " + PgSql.quote(triggerName()) + " BEFORE INSERT OR UPDATE ON " + PgSql.quote(table)
                + " FOR EACH ROW EXECUTE FUNCTION " + PgSql.quote(functionName()) + "();\n"
                + "END IF";
    }

    /** Drops trigger and function; safe when either is already gone. */
    List<String> drop() {
        return List.of("DROP TRIGGER IF EXISTS " + PgSql.quote(triggerName()) + " ON " + PgSql.quote(table),
                "DROP FUNCTION IF EXISTS " + PgSql.quote(functionName()) + "()");
    }

    List<SchemaChange> createEffects() {
        return List.of(new SchemaChange.AddFunction(functionName()),
                new SchemaChange.AddTrigger(table, new Trigger(triggerName(), functionName())));
    }

    List<SchemaChange> dropEffects() {
        return List.of(new SchemaChange.DropTrigger(table, triggerName()), new SchemaChange.DropFunction(functionName()));
    }

    /** A query returning the number of such triggers that exist and are enabled (1 when all is well). */
    String enabledCountQuery() {
        return "SELECT count(*) FROM pg_trigger WHERE tgrelid = " + PgSql.regclass(table) + " AND tgname = "
                + PgSql.literal(name) + " AND tgenabled = 'O'";
    }

    private static String allNull(List<ColumnName> columns) {
        return "(" + columns.stream().map(c -> "NEW." + PgSql.quote(c) + " IS NULL").collect(Collectors.joining(" AND ")) + ")";
    }

    private static String changed(List<ColumnName> columns) {
        String news = columns.stream().map(c -> "NEW." + PgSql.quote(c)).collect(Collectors.joining(", "));
        String olds = columns.stream().map(c -> "OLD." + PgSql.quote(c)).collect(Collectors.joining(", "));
        return columns.size() == 1 ? news + " IS DISTINCT FROM " + olds : "(" + news + ") IS DISTINCT FROM (" + olds + ")";
    }
}
