package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.FunctionName;
import io.zerodown.model.TableName;
import io.zerodown.model.TriggerName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Trigger;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A row trigger that keeps old and new columns consistent while both exist, so that old and new
 * application code can run side by side and a rollback loses nothing. Used by split and merge
 * (rename column writes a function of its own, where the new column always wins on INSERT because
 * the copy is lossless, and uses this record only for the names and the drop).
 *
 * <p>Which side to derive from is decided by what the writer changed:
 * <ul>
 *   <li>INSERT that leaves the new columns NULL: new derived from old (old code, whatever it
 *       wrote into the old columns, defaults included);</li>
 *   <li>INSERT that writes some new column while every old column is <em>untouched</em>: old
 *       derived from new (new code). An old column is untouched when it is NULL, or when it has a
 *       non-volatile default and holds exactly that default (compared as text after casting the
 *       default to the column's type, so that types without an equality operator work). This is
 *       what an INSERT that leaves the old column out produces: PostgreSQL fills in the default
 *       before the trigger runs, so without the comparison a source column with a default (say
 *       {@code full_name text NOT NULL DEFAULT 'anonymous'}) would keep {@code 'anonymous'} beside
 *       the new code's values, and old code would read a wrong value;</li>
 *   <li>any other INSERT (both sides written, the old side with a value other than its default) is
 *       kept as written: transitional code that writes both sides must write them consistently.
 *       A write that sets the new columns and sets an old column explicitly to its default value
 *       cannot be told apart from one that left the old column out, and is treated as new code:
 *       the old columns are derived from the new ones;</li>
 *   <li>UPDATE that changes old and not new: new derived from old (old code);</li>
 *   <li>UPDATE that changes new and not old: old derived from new (new code);</li>
 *   <li>UPDATE that changes both: kept as written;</li>
 *   <li>UPDATE that changes neither (another column, or the backfill's no-op write) while the new
 *       columns are all NULL: new derived from old. This is how the backfill fills rows.</li>
 * </ul>
 * A volatile default ({@code nextval}, {@code clock_timestamp()}, {@code gen_random_uuid()}, any
 * function zerodown does not know to be stable, see {@link PostgresAddColumn#NON_VOLATILE}) and an
 * identity column cannot be compared: the trigger cannot tell the value PostgreSQL generated from
 * one the writer chose, and evaluating the default again would give another value (and consume a
 * sequence number). Such a column counts as untouched only when NULL, so an INSERT by new code that
 * leaves it out is kept as written: the old column keeps its generated value, which need not match
 * the new columns. The operations using this trigger state it as a hazard
 * ({@link #uncomparableDefaults(List)}); new code must then write the old column as well, or the
 * default be dropped first. Non-volatile (stable) defaults such as {@code now()} or
 * {@code current_setting(…)} are evaluated by the trigger on an INSERT that writes a new column;
 * within the statement they give the value PostgreSQL filled in. They are evaluated even when the
 * writer set the old column itself, so a default that raises an error (say {@code current_setting}
 * of a parameter the session has not set) makes such an INSERT fail, where PostgreSQL alone would not
 * have evaluated it (a NULL old column short-circuits the comparison).
 *
 * <p>Without a {@code backward} derivation (a one-way sync), writes of the new columns are kept as
 * written and the old columns are left alone.
 *
 * @param table        the table
 * @param name         the trigger's name, also used for its function
 * @param oldColumns   the columns old code writes
 * @param newColumns   the columns new code writes
 * @param declarations PL/pgSQL variable declarations the derivations use (may be empty)
 * @param forward      PL/pgSQL statements that set {@code NEW.<new columns>} from {@code NEW.<old columns>}
 * @param backward     PL/pgSQL statements that set {@code NEW.<old columns>} from {@code NEW.<new columns>}
 * @param oldDefaults  the old columns' comparable (non-volatile) defaults, each as an SQL expression of
 *                     the column's type (see {@link #comparableDefaults(List)}); old columns not in it
 *                     count as untouched by an INSERT only when NULL
 */
record PgSyncTrigger(TableName table, String name, List<ColumnName> oldColumns, List<ColumnName> newColumns,
                     String declarations, String forward, Optional<String> backward, Map<ColumnName, String> oldDefaults) {

    PgSyncTrigger {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        oldColumns = List.copyOf(oldColumns);
        newColumns = List.copyOf(newColumns);
        Objects.requireNonNull(declarations, "declarations");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
        oldDefaults = Map.copyOf(oldDefaults);
        if (!oldColumns.containsAll(oldDefaults.keySet())) {
            throw new IllegalArgumentException("defaults given for columns that are not old columns: " + oldDefaults.keySet());
        }
    }

    /**
     * The defaults of {@code columns} the trigger can compare with: non-volatile defaults (only
     * functions in {@link PostgresAddColumn#NON_VOLATILE}) of columns that are not serial, identity
     * or generated, each rendered as {@code CAST(<default> AS <type>)}.
     */
    static Map<ColumnName, String> comparableDefaults(List<Column> columns) {
        Map<ColumnName, String> defaults = new LinkedHashMap<>();
        for (Column column : columns) {
            if (comparable(column)) {
                defaults.put(column.name(), "CAST(" + column.defaultValue().orElseThrow().sql() + " AS " + column.type().sql() + ")");
            }
        }
        return defaults;
    }

    /**
     * The columns among {@code columns} whose database-generated value the trigger cannot tell from a
     * written one: a volatile default (serial included) or an identity. An INSERT by new code that
     * leaves such a column out is kept as written (see the class comment).
     */
    static List<Column> uncomparableDefaults(List<Column> columns) {
        return columns.stream()
                .filter(c -> !comparable(c) && (c.defaultValue().isPresent() || c.generation().isPresent()))
                .toList();
    }

    private static boolean comparable(Column column) {
        return column.generation().isEmpty() && column.defaultValue().isPresent()
                && column.defaultValue().get().problem().isEmpty()
                && PostgresAddColumn.unknownFunctions(column.defaultValue().get()).isEmpty();
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
        body.append("    zd_from_new := NOT zd_from_old AND ").append(untouched()).append(";\n");
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

    /**
     * The hazard every trigger-kept column shares: writes made with triggers disabled, or applied
     * by logical replication on a subscriber, bypass the trigger.
     *
     * @param missed what those rows are not ("synced", "computed", "converted")
     * @param found  how the verification finds them
     */
    static Hazard unseenWrites(TableName table, String missed, String found) {
        return new Hazard(RiskLevel.LOW, "Writes the trigger cannot see",
                "Rows written with triggers disabled (session_replication_role = replica, ALTER TABLE … DISABLE TRIGGER), and "
                        + "writes applied by logical replication on a subscriber, are not " + missed + ".",
                "Do not disable triggers on " + table + " during the migration; " + found + ".");
    }

    /**
     * A pre-check: no trigger on the table but {@code own} has a function whose source names one of
     * the columns. One that writes them could fight {@code own}; triggers of other operations of the
     * same plan, already in place when the check runs, name other columns and are not counted.
     */
    static Check noOtherTriggerNaming(TableName table, String own, List<ColumnName> columns, String ownRole) {
        String names = columns.stream().map(ColumnName::value).collect(Collectors.joining(", "));
        String mentions = columns.stream().map(PgSyncTrigger::named).collect(Collectors.joining(" OR "));
        return new Check("No other trigger on " + table + " has a function that names " + names + " (one that writes "
                + (columns.size() == 1 ? "it" : "them") + " could fight " + ownRole + ").",
                "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE t.tgrelid = " + PgSql.regclass(table)
                        + " AND NOT t.tgisinternal AND t.tgname <> " + PgSql.literal(own) + " AND (" + mentions + ")",
                Expectation.count(0), "read those triggers; if they write " + names + ", order them or fold their logic in before "
                + "going on (one that only reads them is harmless).");
    }

    /**
     * The function source names the column: as a whole word when the name is a plain identifier
     * (so that {@code id} is not found in {@code valid}), as a substring otherwise.
     */
    private static String named(ColumnName column) {
        String name = column.value();
        if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return "p.prosrc ~* " + PgSql.literal("\\m" + name + "\\M");
        }
        return "strpos(lower(p.prosrc), " + PgSql.literal(name.toLowerCase(java.util.Locale.ROOT)) + ") > 0";
    }

    /** A query returning the number of such triggers that exist and are enabled (1 when all is well). */
    String enabledCountQuery() {
        return "SELECT count(*) FROM pg_trigger WHERE tgrelid = " + PgSql.regclass(table) + " AND tgname = "
                + PgSql.literal(name) + " AND tgenabled = 'O'";
    }

    /**
     * Whether an INSERT left every old column as PostgreSQL fills it in when left out: NULL, or equal to
     * its comparable default. The same as all NULL when no old column has a comparable default.
     */
    private String untouched() {
        if (oldDefaults.isEmpty()) {
            return allNull(oldColumns);
        }
        List<String> each = oldColumns.stream().map(c -> {
            String value = "NEW." + PgSql.quote(c);
            String d = oldDefaults.get(c);
            return d == null ? value + " IS NULL" : "(" + value + " IS NULL OR " + value + "::text = " + d + "::text)";
        }).toList();
        return each.size() == 1 ? each.get(0) : "(" + String.join(" AND ", each) + ")";
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
