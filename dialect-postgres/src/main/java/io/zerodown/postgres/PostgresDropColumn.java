package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.context.Durations;
import io.zerodown.model.context.RollbackRequirement;
import io.zerodown.model.operation.DropColumn;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.Monitor;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.Technique;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drops a column on PostgreSQL: a contract-phase step, once no deployed code reads or writes it.
 *
 * <p>{@code ALTER TABLE … DROP COLUMN} changes only the catalog (the column is hidden; its space
 * is reclaimed as rows are rewritten later) under ACCESS EXCLUSIVE for milliseconds, run under
 * {@code lock_timeout} with retries. It refuses (reported as problems) a column that an index, a
 * constraint of its table, a foreign key of any table or a stored generated column needs.
 *
 * <p>When the rollback requirement keeps data for a period, the up script <em>parks</em> the
 * column instead: renamed to {@code zd_dropped_<column>} (so that code still naming it fails at
 * once) and, if it is NOT NULL without a default, made nullable (so that new code's inserts work).
 * The down script renames it back with every value and restores NOT NULL with the online sequence;
 * the contract script, run once the period is over, drops the parked column. With
 * {@link RollbackRequirement#oneWay()} the up script does nothing and the contract script drops
 * the column; its values are gone (the step's inverse re-adds an empty column).
 */
final class PostgresDropColumn implements PgCompiler<DropColumn> {

    static final String PARK_PREFIX = "zd_dropped";

    @Override
    public List<String> problems(DropColumn op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        ColumnName c = op.column();
        String col = "column \"" + c + "\" of table \"" + op.table() + "\"";
        List<String> problems = new ArrayList<>();
        if (table.columns().size() == 1) {
            problems.add(col + " is its only column: a table without columns is of no use; drop the table instead (dropTable())");
        }
        problems.addAll(dependents(ctx.schema(), table, c, col, "or keep the column"));
        return problems;
    }

    /**
     * What still needs the column, which {@code DROP COLUMN} would drop silently or refuse to leave
     * behind: indexes, keys, checks, foreign keys of this or another table, generated columns.
     * Split and merge ask the same of the columns their contract phase drops.
     *
     * @param col  how the column is named in the messages
     * @param keep the last resort offered with an index ("or keep the column")
     */
    static List<String> dependents(io.zerodown.model.schema.Schema schema, Table table, ColumnName c, String col, String keep) {
        List<String> problems = new ArrayList<>();
        TableName tableName = table.name();
        for (Index index : table.indexes()) {
            if (uses(index, c)) {
                problems.add(col + " is used by the index \"" + index.name() + "\", which DROP COLUMN would drop silently; drop the "
                        + "index first (dropIndex(\"" + index.name() + "\")), " + keep);
            }
        }
        Set<String> reported = new LinkedHashSet<>();
        for (Constraint constraint : table.constraints()) {
            String name = constraint.name().value();
            if (constraint instanceof Constraint.PrimaryKey && constraint.columns().contains(c)) {
                problems.add(col + " is part of the primary key \"" + name + "\"; drop the primary key first (dropConstraint(\""
                        + name + "\")) and give the table another one");
                reported.add(name);
            } else if (constraint instanceof Constraint.Unique && constraint.columns().contains(c)) {
                problems.add(col + " is part of the unique constraint \"" + name + "\"; drop the constraint first (dropConstraint(\""
                        + name + "\"))");
                reported.add(name);
            } else if (constraint instanceof Constraint.Check check && reads(check.expression(), c)) {
                problems.add(col + " is used by the check constraint \"" + name + "\"; drop the constraint first (dropConstraint(\""
                        + name + "\"))");
                reported.add(name);
            } else if (constraint instanceof Constraint.ForeignKey fk && fk.columns().contains(c)) {
                problems.add(col + " is part of the foreign key \"" + name + "\" (referencing \"" + fk.referencedTable()
                        + "\"); drop the foreign key first (dropConstraint(\"" + name + "\"))");
                reported.add(name);
            }
        }
        for (Table other : schema.tables()) {
            for (Constraint constraint : other.constraints()) {
                if (constraint instanceof Constraint.ForeignKey fk && fk.referencedTable().equals(tableName)
                        && fk.referencedColumns().contains(c) && !(other.name().equals(tableName) && reported.contains(fk.name().value()))) {
                    problems.add(col + " is referenced by the foreign key \"" + fk.name() + "\" of table \"" + other.name()
                            + "\"; drop that foreign key first (Migration.on(\"" + other.name() + "\").dropConstraint(\"" + fk.name()
                            + "\"))");
                }
            }
        }
        for (Column other : table.columns()) {
            if (other.generation().orElse(null) instanceof Generation.Stored stored && !other.name().equals(c)
                    && reads(stored.expression(), c)) {
                problems.add(col + " is used by the generated column \"" + other.name() + "\" (GENERATED ALWAYS AS ("
                        + stored.expression().source() + ") STORED); drop that column first (dropColumn(\"" + other.name() + "\"))");
            }
        }
        return problems;
    }

    /** Whether the index reads the column: as a key, in an expression key or in its predicate. */
    private static boolean uses(Index index, ColumnName column) {
        if (index.columns().contains(column)) {
            return true;
        }
        for (Index.Element element : index.elements()) {
            if (element instanceof Index.Element.OfExpression e && reads(e.expression(), column)) {
                return true;
            }
        }
        return index.predicate().map(p -> reads(p, column)).orElse(false);
    }

    /**
     * Whether the expression reads the column. When it cannot be parsed, any mention of the name
     * counts: a false alarm is better than a DROP COLUMN that drops what depends on the column.
     */
    static boolean reads(SqlExpression expression, ColumnName column) {
        try {
            return expression.referencedColumns().contains(column.value());
        } catch (RuntimeException e) {
            return expression.source().toLowerCase(Locale.ROOT).contains(column.value().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The name the column is parked under: {@code zd_dropped_<column>}, within 63 bytes (cut with a
     * hash when longer), numbered ({@code zd_dropped_<column>_1}, …) when a column of that name exists.
     */
    static ColumnName parkedName(Table table, ColumnName column) {
        for (int n = 0; ; n++) {
            String name = n == 0 ? PgNames.derived(PARK_PREFIX, column.value()) : PgNames.derived(PARK_PREFIX, column.value(), Integer.toString(n));
            if (!table.hasColumn(ColumnName.of(name))) {
                return ColumnName.of(name);
            }
        }
    }

    @Override
    public CompiledOperation compile(DropColumn op, PgContext ctx) {
        Table table = ctx.schema().requireTable(op.table());
        Column column = table.column(op.column()).orElseThrow();
        String slug = "drop_column_" + PgContext.slug(op.column().value());
        RollbackRequirement rollback = ctx.migration().rollback();
        return rollback instanceof RollbackRequirement.ReversibleFor keep
                ? parked(op, ctx, table, column, slug, keep.period())
                : oneWay(op, ctx, table, column, slug);
    }

    // ── reversible: park in the up script, drop in the contract script ─────────────────────────

    private static CompiledOperation parked(DropColumn op, PgContext ctx, Table table, Column column, String slug, Duration period) {
        TableName t = op.table();
        ColumnName c = op.column();
        ColumnName parked = parkedName(table, c);
        boolean dropNotNull = !column.nullable() && column.defaultValue().isEmpty() && column.generation().isEmpty();
        String keepFor = Durations.human(period);

        List<String> statements = new ArrayList<>();
        if (dropNotNull) {
            statements.add(PgConstraintSteps.alterTable(t) + " ALTER COLUMN " + PgSql.quote(c) + " DROP NOT NULL");
        }
        statements.add(PgConstraintSteps.alterTable(t) + " RENAME COLUMN " + PgSql.quote(c) + " TO " + PgSql.quote(parked));

        List<Step> undo = new ArrayList<>();
        undo.add(Step.builder(ctx.stepId(op, slug, "undo_park"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Rename " + t + "." + parked + " back to " + c + ", with every value it kept")
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.ifThen(
                        columnExists(t, parked) + " AND NOT " + columnExists(t, c),
                        PgConstraintSteps.alterTable(t) + " RENAME COLUMN " + PgSql.quote(parked) + " TO " + PgSql.quote(c)))))
                .lock(PgConstraintSteps.instant(t, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(20))
                .effect(new SchemaChange.RenameColumn(t, parked, c))
                .ifInterrupted("Nothing is changed: the rename is one short transaction, retried on lock timeout. Run the script "
                        + "again: a rename already done is skipped.")
                .build());
        String notNullHow = "";
        if (dropNotNull) {
            long rows = ctx.profile(t).approximateRows();
            PgContext.Approach approach = ctx.choose("one SET NOT NULL, which checks every row under ACCESS EXCLUSIVE",
                    "reads and writes of " + t, PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND));
            if (approach.direct()) {
                undo.add(PgConstraintSteps.notNullDirect(ctx, op, slug, "undo_", Phase.EXPAND, table, column.withNullable(true)));
                notNullHow = "The down script makes " + c + " NOT NULL again with one SET NOT NULL: " + approach.reason();
            } else {
                undo.addAll(PgConstraintSteps.notNullOnline(ctx, op, slug, "undo_", Phase.EXPAND, table, column.withNullable(true)));
                notNullHow = "The down script makes " + c + " NOT NULL again with the online sequence (constraint added NOT VALID, "
                        + "validated without blocking writes): " + approach.reason();
            }
        }

        Step.Builder park = Step.builder(ctx.stepId(op, slug, "park"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary("Park " + t + "." + c + ": rename it to " + parked + (dropNotNull ? " and allow NULL in it" : "")
                        + " (values kept for the rollback period; dropped by the contract script)")
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.ifThen(columnExists(t, c),
                        statements.toArray(String[]::new)))))
                .lock(PgConstraintSteps.instant(t, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(20));
        if (dropNotNull) {
            park.effect(new SchemaChange.AlterColumn(t, column.withNullable(true)));
        }
        Step parkStep = park.effect(new SchemaChange.RenameColumn(t, c, parked))
                .inverse(Inverse.steps(undo.toArray(Step[]::new)))
                .ifInterrupted("Nothing is changed: the statements run in one short transaction, retried on lock timeout. Run the "
                        + "script again: a column already parked is skipped.")
                .build();

        Step drop = dropStep(ctx, op, slug, t, parked, Inverse.irreversible("the values of " + t + "." + c + " (parked as " + parked
                + ") are gone: DROP COLUMN cannot be undone. Only a backup or a point-in-time recovery brings them back; take one "
                + "before the contract script if they may be needed."),
                "Drop the parked column " + t + "." + parked + " (once the rollback period of " + keepFor + " is over)");

        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(List.of(Technique.EXPAND_CONTRACT), List.of(
                "Drop " + t + "." + c + " with a rollback period of " + keepFor + ": the up script only renames it to " + parked
                        + (dropNotNull ? " and allows NULL in it (so that inserts by code that no longer writes it succeed)" : "")
                        + ", catalog changes under ACCESS EXCLUSIVE for milliseconds (lock_timeout and retries keep the wait short). "
                        + "Code that still names " + c + " fails at once, while every value is kept and the down script can restore "
                        + "the column in milliseconds.",
                "The contract script, run once the rollback period is over, drops the parked column: DROP COLUMN changes only "
                        + "the catalog (ACCESS EXCLUSIVE for milliseconds, no rewrite) and cannot be undone.")));
        out.step(parkStep);
        out.step(drop);
        out.preCheck(PgDefaultSteps.ordinaryTable(t, "DROP COLUMN"));
        out.preCheck(noOtherDependents(t, c));
        out.verify(new Check(t + "." + c + " is parked as " + parked + ".",
                "SELECT NOT " + columnExists(t, c) + " AND " + columnExists(t, parked),
                Expectation.isTrue(), "run the up script again."));
        out.monitor(Monitor.query("Errors of code that still uses " + t + "." + c,
                "SELECT datname, xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()",
                "xact_rollback climbing after the up script: look for 'column \"" + c + "\" does not exist' (SQLSTATE 42703) in the "
                        + "server log or the application's errors; run the down script if the application cannot do without it."));
        out.hazard(new Hazard(RiskLevel.LOW, "Code that still uses the column fails",
                "From the up script on, statements that name " + c + " fail with 'column \"" + c + "\" does not exist' (SQLSTATE "
                        + "42703); SELECT * returns the column as " + parked + "; an INSERT without a column list still works while the "
                        + "parked column is there.",
                "That is the point of parking: it shows what still uses the column while the down script can still restore it "
                        + "in milliseconds, with every value. Watch the application's errors after the up script."));
        if (dropNotNull) {
            out.hazard(new Hazard(RiskLevel.LOW, "The down script fails once rows without a value are inserted",
                    "Rows inserted after the up script have NULL in " + parked + "; restoring NOT NULL on " + c
                            + " fails on them (its validation stops with an error, and nothing else is lost).",
                    "Before running the down script, give those rows a value (" + PgConstraintSteps.nullRows(t, parked)
                            + " counts them before the rename back; UPDATE them), then run it again: completed steps are skipped."));
        }
        out.hazard(new Hazard(RiskLevel.LOW, "The contract script loses the values for good",
                "Once the contract script has dropped " + parked + ", nothing in the package can bring its values back.",
                "Run it only after the rollback period of " + keepFor + ", when no rollback is needed. Take a backup of the values "
                        + "first if they may be needed (COPY (SELECT <key>, " + PgSql.quote(parked) + " FROM " + PgSql.quote(t)
                        + ") TO …)."));
        triggerHazard(out, table, c, "from the up script on (the down script renames the column back)");
        out.appChange(AppChange.before(Phase.EXPAND, "Stop reading and writing " + t + "." + c + " and deploy that everywhere: "
                        + "remove it from queries, INSERT and UPDATE column lists and ORM mappings. ORMs that cache the column list "
                        + "must not know it any more: Rails: self.ignored_columns += [\"" + c + "\"] (deployed before the up script); "
                        + "JPA/Hibernate: remove the entity field (or mark it @Transient), and do not let hbm2ddl validate the old "
                        + "mapping; Django: remove the field with a migration that is faked (SeparateDatabaseAndState).",
                "Code that still uses " + c + " fails from the up script on; the down script renames the column back at once, with "
                        + "its values" + (dropNotNull ? " (NOT NULL is restored only once every row has a value)" : "") + "."));
        out.appChange(AppChange.before(Phase.CONTRACT, "Nothing new: run the contract script only after the rollback period of "
                        + keepFor + ", once no rollback to code that needs " + c + " can happen.",
                "After the contract script the down script no longer applies: the values are gone."));
        out.note("Rows that exist before the up script keep their value of " + c + " (as " + parked + ") until the contract script; "
                + "the down script restores them all. Rows inserted after the up script get "
                + (column.defaultValue().isPresent() ? "the column's default (" + column.defaultValue().get().source() + ")"
                : column.generation().isPresent() ? "the value the column generates" : "NULL")
                + " in it, since code no longer writes it" + (dropNotNull ? "; they must be given a value before the down script "
                + "can make " + c + " NOT NULL again" : "") + ".");
        if (!notNullHow.isEmpty()) {
            out.note(notNullHow);
        }
        out.note("The contract script (after the rollback period of " + keepFor + ") runs ALTER TABLE " + PgSql.quote(t)
                + " DROP COLUMN " + PgSql.quote(parked) + ", under lock_timeout with retries." + sequenceNote(column)
                + " DROP COLUMN only hides the column: its space is reclaimed as rows are written again (UPDATE, VACUUM FULL, "
                + "pg_repack); the table does not shrink at once.");
        return out.build();
    }

    // ── one-way: drop in the contract script ───────────────────────────────────────────────────

    private static CompiledOperation oneWay(DropColumn op, PgContext ctx, Table table, Column column, String slug) {
        TableName t = op.table();
        ColumnName c = op.column();
        ReAdd reAdd = reAdd(column);
        Step undo = Step.builder(ctx.stepId(op, slug, "undo_drop"), Phase.CONTRACT, Step.Kind.SCHEMA)
                .summary("Add " + t + "." + c + " again, empty" + (reAdd.fillsDefault() ? " (every row gets its default)" : ""))
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.ifThen("NOT " + columnExists(t, c),
                        reAdd.statements(t).toArray(String[]::new)))))
                .lock(PgConstraintSteps.instant(t, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(20))
                .effect(new SchemaChange.AddColumn(t, reAdd.column()))
                .ifInterrupted("Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.")
                .build();
        String loss = "the values of " + t + "." + c + " are gone: the column comes back " + reAdd.describe()
                + ", as the last column of the table; only a backup or a point-in-time recovery brings the values back.";
        Step drop = dropStep(ctx, op, slug, t, c, Inverse.lossy(loss, undo), "Drop the column " + t + "." + c);

        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(List.of(Technique.DIRECT), List.of(
                "Drop " + t + "." + c + " in the contract phase, once no deployed code uses it: DROP COLUMN changes only the catalog "
                        + "(the column is hidden, no row is read or written) under ACCESS EXCLUSIVE for milliseconds, under "
                        + "lock_timeout with retries. The rollback requirement is one-way, so its values are not kept: a rollback "
                        + "period (RollbackRequirement.reversibleFor) would park the column under another name instead.")));
        out.step(drop);
        out.preCheck(PgDefaultSteps.ordinaryTable(t, "DROP COLUMN"));
        out.preCheck(noOtherDependents(t, c));
        out.verify(new Check("The column " + t + "." + c + " is still in place (it is dropped by the contract script).",
                "SELECT " + columnExists(t, c), Expectation.isTrue(),
                "the column is already gone: nothing to do, or someone dropped it by hand."));
        out.monitor(Monitor.query("Is " + t + "." + c + " still written? (the column's statistics since the last ANALYZE)",
                "SELECT null_frac, n_distinct FROM pg_stats WHERE schemaname = current_schema() AND tablename = "
                        + PgSql.literal(t.value()) + " AND attname = " + PgSql.literal(c.value()),
                "check the application instead where in doubt: statistics only change with ANALYZE. Search the code and the "
                        + "query log (pg_stat_statements) for the column's name before the contract phase."));
        out.hazard(new Hazard(RiskLevel.MEDIUM, "The values are lost for good",
                "The contract script drops " + c + " with the values of every row; nothing in the package can bring them back.",
                "Take a backup of the values before the contract script if they may be needed, or compile with a rollback period "
                        + "(RollbackRequirement.reversibleFor) to park the column first."));
        out.hazard(new Hazard(RiskLevel.LOW, "Code that still uses the column fails",
                "After the contract script, statements that name " + c + " fail with 'column \"" + c + "\" does not exist' (SQLSTATE "
                        + "42703), and an INSERT without a column list fails on the changed column count.",
                "Deploy code that no longer uses the column everywhere before the contract script."));
        triggerHazard(out, table, c, "from the contract script on");
        out.appChange(AppChange.before(Phase.CONTRACT, "Stop reading and writing " + t + "." + c + " and deploy that everywhere: "
                        + "remove it from queries, INSERT and UPDATE column lists and ORM mappings. ORMs that cache the column list "
                        + "must not know it any more: Rails: self.ignored_columns += [\"" + c + "\"] (deployed before the contract "
                        + "script); JPA/Hibernate: remove the entity field (or mark it @Transient), and do not let hbm2ddl validate "
                        + "the old mapping; Django: remove the field with a migration that is faked (SeparateDatabaseAndState).",
                "Code that uses " + c + " keeps working until the contract script drops it, and fails after."));
        out.note("The contract-down script undoes the contract script (after it, never before): it adds the column again, empty: " + String.join("; ", reAdd.statements(t))
                + ". " + reAdd.why());
        out.note(("DROP COLUMN only hides the column: its space is reclaimed as rows are written again (UPDATE, VACUUM FULL, "
                + "pg_repack); the table does not shrink at once." + sequenceNote(column)).trim());
        return out.build();
    }

    /**
     * PostgreSQL does not record which columns a trigger function reads: one that reads
     * {@code NEW.c} or {@code OLD.c} compiles, and fails on every write once the column is gone.
     */
    private static void triggerHazard(CompiledOperation.Builder out, Table table, ColumnName c, String when) {
        if (table.triggers().isEmpty()) {
            return;
        }
        String names = String.join(", ", table.triggers().stream().map(tr -> tr.name() + " (" + tr.function() + ")").toList());
        out.hazard(new Hazard(RiskLevel.MEDIUM, "A trigger function may still read the column",
                "Triggers on " + table.name() + ": " + names + ". PostgreSQL does not track the columns a trigger function reads: "
                        + "one that reads NEW." + c + " or OLD." + c + " fails on every write to " + table.name() + " " + when + ".",
                "Read those functions before (\\sf <function> in psql, or SELECT pg_get_functiondef('<function>'::regproc)); change "
                        + "or drop the ones that use " + c + " first. A trigger added by an earlier operation of the same plan (a "
                        + "sync or backfill trigger) is one of them: drop the column in a later migration, after that operation's "
                        + "contract phase."));
    }

    /** The note on a serial column's sequence, which DROP COLUMN drops with the column. */
    private static String sequenceNote(Column column) {
        return column.generation().orElse(null) instanceof Generation.Serial serial
                ? " The sequence " + serial.sequence() + " belongs to the column (serial) and is dropped with it." : "";
    }

    private static Step dropStep(PgContext ctx, DropColumn op, String slug, TableName t, ColumnName dropped, Inverse inverse,
                                 String summary) {
        return Step.builder(ctx.stepId(op, slug, "drop"), Phase.CONTRACT, Step.Kind.SCHEMA)
                .summary(summary)
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.alterTable(t) + " DROP COLUMN IF EXISTS "
                        + PgSql.quote(dropped))))
                .lock(PgConstraintSteps.instant(t, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(20))
                .effect(new SchemaChange.DropColumn(t, dropped))
                .inverse(inverse)
                .ifInterrupted("Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again; a "
                        + "column already dropped is skipped.")
                .build();
    }

    /** {@code EXISTS (…)}: the table has a (not dropped) column of that name. */
    static String columnExists(TableName table, ColumnName column) {
        return "EXISTS (SELECT FROM pg_attribute WHERE attrelid = " + PgSql.regclass(table) + " AND attname = "
                + PgSql.literal(column.value()) + " AND attnum > 0 AND NOT attisdropped)";
    }

    /**
     * No object the schema given to zerodown does not show (a view, a rule, a policy, a function
     * body, a trigger's column list) depends on the column: DROP COLUMN would refuse, and a rename
     * would leave it reading the parked column unnoticed.
     */
    private static Check noOtherDependents(TableName t, ColumnName c) {
        String from = "FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
                + "WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = " + PgSql.regclass(t) + " AND a.attname = "
                + PgSql.literal(c.value()) + " AND d.deptype = 'n'";
        return new Check("No view, rule, policy, trigger or foreign key depends on " + t + "." + c + ".",
                "SELECT count(*) " + from, Expectation.count(0),
                "drop or change those objects first (list them with SELECT pg_describe_object(d.classid, d.objid, d.objsubid) "
                        + from.replace("\n", " ") + "), then compile again from the live schema.");
    }

    // ── re-adding a dropped column ─────────────────────────────────────────────────────────────

    /** How a dropped column comes back: the column as re-added, and the statements. */
    private record ReAdd(Column column, boolean fillsDefault, boolean separateDefault, String describe, String why) {

        List<String> statements(TableName t) {
            String add = PgConstraintSteps.alterTable(t) + " ADD COLUMN " + PgSql.quote(column.name()) + " " + column.type().sql();
            if (fillsDefault) {
                return List.of(add + " DEFAULT " + render(column.defaultValue().orElseThrow()) + (column.nullable() ? "" : " NOT NULL"));
            }
            if (separateDefault) {
                return List.of(add, PgConstraintSteps.alterTable(t) + " ALTER COLUMN " + PgSql.quote(column.name()) + " SET DEFAULT "
                        + render(column.defaultValue().orElseThrow()));
            }
            return List.of(add);
        }
    }

    private static ReAdd reAdd(Column column) {
        Column plain = new Column(column.name(), column.type(), true, Optional.empty(), Optional.empty());
        Generation generation = column.generation().orElse(null);
        if (generation instanceof Generation.Serial serial) {
            return new ReAdd(plain, false, false, "nullable, without default",
                    "It was a serial column: its sequence " + serial.sequence() + " was dropped with it; re-create a sequence by hand "
                            + "if new rows need numbers again.");
        }
        if (generation instanceof Generation.Identity) {
            return new ReAdd(plain, false, false, "nullable, without identity",
                    "It was an identity column: adding it back as one would number every row and rewrite the table under ACCESS "
                            + "EXCLUSIVE, so it comes back as a plain column.");
        }
        if (generation instanceof Generation.Stored stored) {
            return new ReAdd(plain, false, false, "nullable, not generated",
                    "It was generated from (" + stored.expression().source() + "): adding it back as GENERATED ALWAYS AS (…) STORED "
                            + "computes every value again but rewrites the table under ACCESS EXCLUSIVE, so it comes back as a plain "
                            + "column.");
        }
        if (column.defaultValue().isEmpty()) {
            return new ReAdd(plain, false, false, "nullable, without default" + (column.nullable() ? "" : " (it was NOT NULL: with "
                    + "no default, the empty rows cannot be NOT NULL)"),
                    column.nullable() ? "Every row has NULL in it." : "It was NOT NULL, but without a default its rows can only be NULL "
                            + "now, so it comes back nullable.");
        }
        Column withDefault = plain.withDefault(column.defaultValue());
        if (Volatility.nonVolatile(column.defaultValue().get())) {
            return new ReAdd(withDefault.withNullable(column.nullable()), true, false,
                    "with its default, which every row gets" + (column.nullable() ? "" : ", NOT NULL"),
                    "Its default is not volatile, so adding it with the default is a catalog change (every row reads the "
                            + "default); the values the rows had are not restored.");
        }
        return new ReAdd(withDefault, false, true, "nullable, with its default for new rows only",
                "Its default may be volatile (a function call): adding the column with it would compute it for every row and "
                        + "rewrite the table under ACCESS EXCLUSIVE, so the column is added empty (NULL, hence nullable) and the "
                        + "default set for new rows only.");
    }

    /**
     * An expression of the schema as SQL: re-printed from its syntax tree, or as read when the
     * parser cannot print it (it then comes from the catalog or from DDL, not from the plan).
     */
    static String render(SqlExpression expression) {
        try {
            return expression.sql();
        } catch (RuntimeException e) {
            return expression.source();
        }
    }

    /** Which default expressions are certainly not volatile (literals, casts and a few stable functions). */
    static final class Volatility {

        private static final Set<String> NON_VOLATILE_FUNCTIONS = Set.of("now", "transaction_timestamp", "statement_timestamp",
                "current_setting", "lower", "upper", "length", "abs", "coalesce", "nullif", "make_date", "make_interval",
                "to_timestamp", "to_date", "array", "row");
        private static final Pattern CALL = Pattern.compile("([a-z_][a-z0-9_$]*)\\s*\\(");
        private static final Pattern CAST = Pattern.compile("::\\s*[a-z_][a-z0-9_ .\"]*(\\([0-9, ]*\\))?");

        private Volatility() {
        }

        static boolean nonVolatile(SqlExpression expression) {
            String code = expression.source().replaceAll("'(?:[^']|'')*'", "''").replaceAll("\"(?:[^\"]|\"\")*\"", "x")
                    .toLowerCase(Locale.ROOT);
            code = CAST.matcher(code).replaceAll("");
            Matcher call = CALL.matcher(code);
            while (call.find()) {
                if (!NON_VOLATILE_FUNCTIONS.contains(call.group(1))) {
                    return false;
                }
            }
            return true;
        }
    }
}
