package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.FunctionName;
import io.zerodown.model.IndexName;
import io.zerodown.model.SqlType;
import io.zerodown.model.TableName;
import io.zerodown.model.TriggerName;
import io.zerodown.model.context.DowntimeTolerance;
import io.zerodown.model.context.Durations;
import io.zerodown.model.operation.ChangeColumnType;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Generation;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Schema;
import io.zerodown.model.schema.Table;
import io.zerodown.model.schema.Trigger;
import io.zerodown.plan.AbortCriterion;
import io.zerodown.plan.AppChange;
import io.zerodown.plan.Check;
import io.zerodown.plan.Execution;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.Hazard;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Monitor;
import io.zerodown.plan.Phase;
import io.zerodown.plan.RiskLevel;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.Strategy;
import io.zerodown.plan.TableWork;
import io.zerodown.plan.Technique;
import io.zerodown.postgres.schema.PostgresConventions;
import io.zerodown.schema.SchemaConventions;
import io.zerodown.spi.CompiledOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Changes a column's type on PostgreSQL, in one of three ways (see {@link PgTypeConversion} for
 * which conversions are which):
 * <ul>
 *   <li><b>in place</b>: when PostgreSQL needs no rewrite ({@code varchar(n)} to a longer
 *       {@code varchar} or {@code text}, more numeric precision at the same scale, …),
 *       {@code ALTER COLUMN … TYPE} is a catalog change under ACCESS EXCLUSIVE for milliseconds,
 *       run under {@code lock_timeout} with retries. Its down script narrows the type again, which
 *       is not a catalog change: it checks every value fits the old type, then rewrites the table;</li>
 *   <li><b>direct</b> (development database, or a maintenance window the rewrite fits in):
 *       {@code ALTER COLUMN … TYPE … USING …}, which rewrites the table and rebuilds its indexes
 *       while holding ACCESS EXCLUSIVE;</li>
 *   <li><b>online swap</b> (no downtime): a new column of the new type, a trigger that fills it
 *       from the old one on every write, a keyset backfill, copies of the column's indexes built
 *       concurrently, NOT NULL proved online, then a swap in one short transaction (old column
 *       renamed out of the way, new column renamed in, default and sequence moved, indexes renamed,
 *       trigger turned round to fill the old column from the new one so that a rollback loses
 *       nothing it can hold). The contract phase drops the trigger and the old column.</li>
 * </ul>
 * A conversion that can lose or change values (bigint to int, a shorter varchar, fewer decimal
 * places, text to int, …) is refused unless the author states it with {@code using(…)}.
 */
final class PostgresChangeColumnType implements PgCompiler<ChangeColumnType> {

    private static final int SAMPLE_ROWS = 10_000;

    /** What the compiler decides before it emits anything; problems and compile share it. */
    private record Decision(Table table, Column column, SqlType target, PgTypeConversion.Kind kind, boolean inPlace,
                            PgContext.Approach approach) {

        boolean online() {
            return !inPlace && !approach.direct();
        }
    }

    private static Optional<SqlType> target(ChangeColumnType op, List<String> problems) {
        try {
            SchemaConventions.ColumnType type = new PostgresConventions().columnType(op.type());
            if (type.serial()) {
                problems.add("type " + op.type().sql() + " is a serial type, not a column type: change the column to "
                        + type.type().sql() + " (a serial column keeps its sequence and default)");
                return Optional.empty();
            }
            return Optional.of(type.type());
        } catch (IllegalArgumentException e) {
            problems.add("the new type: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Decision decide(ChangeColumnType op, PgContext ctx, SqlType target) {
        Table table = ctx.schema().requireTable(op.table());
        Column column = table.column(op.column()).orElseThrow();
        // An earlier operation of the plan may have left the type as the author wrote it (varchar(20)): in the catalog's spelling.
        try {
            column = column.withType(new PostgresConventions().columnType(column.type()).type());
        } catch (IllegalArgumentException e) {
            // a type PostgreSQL itself reported: kept as it is
        }
        PgTypeConversion.Kind kind = PgTypeConversion.classify(column.type(), target);
        boolean inPlace = kind == PgTypeConversion.Kind.IN_PLACE && op.using().isEmpty();
        Duration rewrite = rewriteEstimate(ctx, op.table());
        PgContext.Approach approach = inPlace
                ? new PgContext.Approach(true, "PostgreSQL changes " + column.type().sql() + " to " + target.sql()
                + " in the catalog only: no row is read or written and the indexes are kept, so ALTER COLUMN … TYPE holds "
                + "ACCESS EXCLUSIVE for milliseconds (lock_timeout and retries keep the wait short).")
                : ctx.choose("ALTER COLUMN … TYPE, which rewrites " + op.table() + " and rebuilds its indexes under ACCESS EXCLUSIVE",
                "reads and writes of " + op.table(), rewrite);
        return new Decision(table, column, target, kind, inPlace, approach);
    }

    private static Duration rewriteEstimate(PgContext ctx, TableName table) {
        return PostgresFacts.forRows(ctx.profile(table).approximateRows(), PostgresFacts.REWRITE_ROWS_PER_SECOND);
    }

    @Override
    public List<String> problems(ChangeColumnType op, PgContext ctx) {
        List<String> problems = new ArrayList<>();
        Optional<SqlType> target = target(op, problems);
        if (target.isEmpty()) {
            return problems;
        }
        Decision d = decide(op, ctx, target.get());
        String where = "\"" + op.table() + "\".\"" + op.column() + "\"";
        if (d.kind() == PgTypeConversion.Kind.SAME) {
            problems.add("column \"" + op.column() + "\" of table \"" + op.table() + "\" is already " + d.target().sql()
                    + ": there is nothing to do" + (op.using().isPresent() ? " (to change its values, use backfillColumn(…))" : ""));
            return problems;
        }
        if (d.kind() == PgTypeConversion.Kind.LOSSY && op.using().isEmpty()) {
            problems.add("changing " + where + " from " + d.column().type().sql() + " to " + d.target().sql() + " can lose data: "
                    + PgTypeConversion.loss(d.column().type(), d.target()) + ". Check the data first, then state the conversion "
                    + "with using(…) (e.g. using(\"" + example(op.column()) + "::" + d.target().sql() + "\")), or choose a type "
                    + "that holds every value");
        }
        if (d.column().generation().orElse(null) instanceof Generation.Stored) {
            problems.add("column \"" + op.column() + "\" is a generated column; drop it and add it again with its new type and "
                    + "expression instead");
        }
        for (Column other : d.table().columns()) {
            if (other.generation().orElse(null) instanceof Generation.Stored stored && mentions(stored.expression().source(), op.column())) {
                problems.add("column \"" + op.column() + "\" is used by the generated column \"" + other.name() + "\"; PostgreSQL "
                        + "refuses to change its type. Drop the generated column first and add it again afterwards");
            }
        }
        if (d.online()) {
            onlineProblems(op, ctx, d, problems);
        }
        return problems;
    }

    /** What the online swap cannot handle (yet), each with what to do instead. */
    private static void onlineProblems(ChangeColumnType op, PgContext ctx, Decision d, List<String> problems) {
        Table table = d.table();
        ColumnName c = op.column();
        String instead = "; or allow downtime (dev-only, or a maintenance window the rewrite fits in) for the direct ALTER … TYPE";
        if (table.primaryKey().isEmpty()) {
            problems.add("table \"" + op.table() + "\" has no primary key; the batched backfill of the new column walks the primary "
                    + "key. Add one first (a unique index built concurrently, then ADD PRIMARY KEY USING INDEX)" + instead);
        } else if (table.primaryKey().get().columns().contains(c) && table.primaryKey().get().columns().size() > 1) {
            problems.add("column \"" + c + "\" is part of the primary key \"" + table.primaryKey().get().name() + "\" of "
                    + table.primaryKey().get().columns().size() + " columns; changing the type of a column of a composite key online is "
                    + "not implemented yet (a key of one column is)" + instead);
        }
        for (Constraint constraint : table.constraints()) {
            if (constraint instanceof Constraint.Unique && constraint.columns().contains(c) && constraint.columns().size() > 1) {
                problems.add("column \"" + c + "\" is part of the unique constraint \"" + constraint.name() + "\" of "
                        + constraint.columns().size() + " columns; changing the type of a column of a composite key online is not "
                        + "implemented yet (a key of one column is)" + instead);
            }
        }
        for (Index index : table.indexes()) {
            boolean expression = index.elements().stream().anyMatch(e -> e instanceof Index.Element.OfExpression x
                    && mentions(x.expression().source(), c));
            boolean predicate = index.predicate().map(p -> mentions(p.source(), c)).orElse(false);
            if (expression || predicate) {
                problems.add("column \"" + c + "\" is used in the " + (expression ? "expression" : "predicate") + " of the index \""
                        + index.name() + "\", which the online swap cannot copy yet: drop it first and create it again after the "
                        + "swap" + instead);
            }
        }
        if (d.column().generation().orElse(null) instanceof Generation.Identity) {
            problems.add("column \"" + c + "\" is an identity column; its identity cannot move to a new column online" + instead);
        }
        for (String name : List.of(newName(c).value(), parkedName(c).value())) {
            if (table.hasColumn(ColumnName.of(name))) {
                problems.add("table \"" + op.table() + "\" already has a column \"" + name + "\": an earlier run of this change? "
                        + "Give the current schema as it is before the migration, or finish/undo that run first");
            }
        }
        String trigger = triggerName(op);
        if (ctx.schema().functions().stream().anyMatch(f -> f.value().equals(trigger))
                || table.triggers().stream().anyMatch(t -> t.name().value().equals(trigger))) {
            problems.add("a trigger or function named \"" + trigger + "\" already exists: an earlier run of this change? "
                    + "Give the current schema as it is before the migration, or finish/undo that run first");
        }
    }

    /** The column as the author would write it in {@code using(…)}: bare when that is the same name, quoted otherwise. */
    private static String example(ColumnName column) {
        return column.value().matches("[a-z_][a-z0-9_]*") ? column.value() : PgSql.quote(column).replace("\"", "\\\"");
    }

    /** Whether an expression reads the column (by its referenced columns; by its text when it does not parse). */
    private static boolean mentions(String expression, ColumnName column) {
        try {
            return io.zerodown.model.SqlExpression.of(expression).referencedColumns().contains(column.value());
        } catch (RuntimeException e) {
            return expression.contains(column.value());
        }
    }

    static ColumnName newName(ColumnName column) {
        return ColumnName.of(PgNames.derived("zd_new", column.value()));
    }

    static ColumnName parkedName(ColumnName column) {
        return ColumnName.of(PgNames.derived("zd_old", column.value()));
    }

    static String triggerName(ChangeColumnType op) {
        return PgNames.derived("zd_type", op.table().value(), op.column().value());
    }

    @Override
    public CompiledOperation compile(ChangeColumnType op, PgContext ctx) {
        SqlType target = target(op, new ArrayList<>()).orElseThrow();
        Decision d = decide(op, ctx, target);
        String slug = "change_type_" + PgContext.slug(op.column().value());
        if (d.online()) {
            return new Online(op, ctx, d, slug).compile();
        }
        return direct(op, ctx, d, slug);
    }

    // ── in place and direct ────────────────────────────────────────────────────────────────────

    /** {@code EXISTS (…)}: the column has exactly this type, as {@code format_type} prints it. */
    private static String hasType(TableName table, ColumnName column, SqlType type) {
        return "EXISTS (SELECT FROM pg_attribute WHERE attrelid = " + PgSql.regclass(table) + " AND attname = "
                + PgSql.literal(column.value()) + " AND NOT attisdropped AND format_type(atttypid, atttypmod) = " + PgSql.literal(type.sql()) + ")";
    }

    /** The new value of a row: the author's expression, or the column, cast to the new type; columns unqualified. */
    private static String conversion(ChangeColumnType op, SqlType target) {
        return "CAST(" + op.using().map(u -> "(" + u.sql() + ")").orElse(PgSql.quote(op.column())) + " AS " + target.sql() + ")";
    }

    /** The tables whose foreign keys involve the column, besides its own: ALTER … TYPE locks them ACCESS EXCLUSIVE too (checked on 12 and 18). */
    private static List<TableName> fkTables(Schema schema, Table table, ColumnName column) {
        Set<TableName> tables = new LinkedHashSet<>();
        for (Constraint c : table.constraints()) {
            if (c instanceof Constraint.ForeignKey fk && fk.columns().contains(column)) {
                tables.add(fk.referencedTable());
            }
        }
        for (Table other : schema.tables()) {
            for (Constraint c : other.constraints()) {
                if (c instanceof Constraint.ForeignKey fk && fk.referencedTable().equals(table.name()) && fk.referencedColumns().contains(column)) {
                    tables.add(other.name());
                }
            }
        }
        tables.remove(table.name());
        return List.copyOf(tables);
    }

    private static List<LockClaim> alterClaims(PgContext ctx, Decision d, boolean rewrite) {
        TableName t = d.table().name();
        List<LockClaim> claims = new ArrayList<>();
        long rows = ctx.profile(t).approximateRows();
        claims.add(rewrite ? new LockClaim(t.value(), PgLock.ACCESS_EXCLUSIVE, TableWork.REWRITE,
                new LockDuration.ProportionalToRows(rows, rewriteEstimate(ctx, t)))
                : PgConstraintSteps.instant(t, PgLock.ACCESS_EXCLUSIVE));
        for (TableName other : fkTables(ctx.schema(), d.table(), d.column().name())) {
            long otherRows = ctx.profile(other).approximateRows();
            claims.add(rewrite ? new LockClaim(other.value(), PgLock.ACCESS_EXCLUSIVE, TableWork.SCAN,
                    new LockDuration.ProportionalToRows(otherRows, PostgresFacts.forRows(otherRows, PostgresFacts.SCAN_ROWS_PER_SECOND)))
                    : PgConstraintSteps.instant(other, PgLock.ACCESS_EXCLUSIVE));
        }
        return claims;
    }

    /** The sequence of a serial column that must grow with it (int to bigint): {@code ALTER SEQUENCE … AS}. */
    private static Optional<String> sequenceAs(Column column, SqlType type) {
        if (column.generation().orElse(null) instanceof Generation.Serial serial && Set.of("smallint", "integer", "bigint").contains(type.name())) {
            return Optional.of("ALTER SEQUENCE " + PgSql.quote(serial.sequence()) + " AS " + type.sql());
        }
        return Optional.empty();
    }

    private static CompiledOperation direct(ChangeColumnType op, PgContext ctx, Decision d, String slug) {
        TableName t = op.table();
        ColumnName c = op.column();
        Column before = d.column();
        Column after = before.withType(d.target());
        long rows = ctx.profile(t).approximateRows();
        Duration rewrite = rewriteEstimate(ctx, t);
        boolean serialGrows = sequenceAs(before, d.target()).isPresent() && rank(d.target()) > rank(before.type());

        List<String> upSql = new ArrayList<>();
        upSql.add("IF NOT " + hasType(t, c, d.target()) + " THEN\n  ALTER TABLE " + PgSql.quote(t) + " ALTER COLUMN " + PgSql.quote(c)
                + " TYPE " + d.target().sql() + (d.inPlace() ? "" : " USING " + conversion(op, d.target())) + ";\n"
                + (serialGrows ? "  " + sequenceAs(before, d.target()).orElseThrow() + ";\n" : "") + "END IF");

        // down: the reverse change, which narrows when the up widened
        PgTypeConversion.Kind reverse = PgTypeConversion.classify(d.target(), before.type());
        boolean reverseInPlace = reverse == PgTypeConversion.Kind.IN_PLACE;
        List<Step> down = new ArrayList<>();
        String fits = PgTypeConversion.fits(d.target(), before.type(), PgSql.quote(c));
        if (!reverseInPlace) {
            down.add(Step.builder(ctx.stepId(op, slug, "undo_check"), Phase.EXPAND, Step.Kind.CHECK)
                    .summary("Check that every value of " + t + "." + c + " fits " + before.type().sql() + " again")
                    .statement(PgConstraintSteps.doBlock("IF " + hasType(t, c, d.target()) + " AND EXISTS (SELECT FROM " + PgSql.quote(t)
                            + " WHERE " + PgSql.quote(c) + " IS NOT NULL AND NOT (" + fits + ")) THEN\n  RAISE EXCEPTION USING MESSAGE = "
                            + PgSql.literal("zerodown: some values of " + t + "." + c + " do not fit " + before.type().sql()
                            + ": changing the column back would fail on them or change them")
                            + ",\n    HINT = " + PgSql.literal("List them with SELECT * FROM " + PgSql.quote(t) + " WHERE NOT (" + fits
                            + "); change or delete them, then run the down script again.") + ";\nEND IF"))
                    .lock(PgConstraintSteps.scanning(t, PgLock.ACCESS_SHARE, rows,
                            PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND)))
                    .estimate(PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND))
                    .ifInterrupted("Nothing is changed: the check only reads. It stops the down script while a value does not fit.")
                    .build());
        }
        List<String> downSql = new ArrayList<>();
        if (!reverseInPlace) {
            // Locked first and checked again under the lock: no value that does not fit can arrive between check and rewrite.
            downSql.add("LOCK TABLE " + PgSql.quote(t) + " IN ACCESS EXCLUSIVE MODE");
            downSql.add("IF " + hasType(t, c, d.target()) + " AND EXISTS (SELECT FROM " + PgSql.quote(t) + " WHERE " + PgSql.quote(c)
                    + " IS NOT NULL AND NOT (" + fits + ")) THEN\n  RAISE EXCEPTION USING MESSAGE = " + PgSql.literal("zerodown: some "
                    + "values of " + t + "." + c + " do not fit " + before.type().sql() + ": changing the column back would fail on them "
                    + "or change them") + ";\nEND IF");
        }
        downSql.add("IF NOT " + hasType(t, c, before.type()) + " THEN\n  ALTER TABLE " + PgSql.quote(t) + " ALTER COLUMN " + PgSql.quote(c)
                + " TYPE " + before.type().sql() + (reverseInPlace ? "" : " USING CAST(" + PgSql.quote(c) + " AS " + before.type().sql() + ")")
                + ";\n" + (serialGrows ? "  " + sequenceAs(before, before.type()).orElseThrow() + ";\n" : "") + "END IF");
        Step.Builder undo = Step.builder(ctx.stepId(op, slug, "undo_alter"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary(reverseInPlace ? "Change " + t + "." + c + " back to " + before.type().sql() + " (catalog only)"
                        : "Change " + t + "." + c + " back to " + before.type().sql() + ", rewriting " + t
                        + " and its indexes under ACCESS EXCLUSIVE (about " + Durations.human(rewrite) + ")")
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), downSql))
                .estimate(reverseInPlace ? Duration.ofMillis(20) : rewrite)
                .effect(new SchemaChange.AlterColumn(t, before))
                .ifInterrupted("Nothing is changed: the step is one transaction, retried on lock timeout. Run it again.");
        alterClaims(ctx, d, !reverseInPlace).forEach(undo::lock);
        down.add(undo.build());

        Inverse inverse = op.using().isPresent()
                ? new Inverse.Steps(down, Optional.of("the values the USING expression changed are not restored: the column is "
                + "converted back with a plain cast, which fails on values " + before.type().sql() + " cannot hold"))
                : new Inverse.Steps(down, Optional.empty());
        Step.Builder alter = Step.builder(ctx.stepId(op, slug, "alter"), Phase.EXPAND, Step.Kind.SCHEMA)
                .summary(d.inPlace() ? "Change " + t + "." + c + " to " + d.target().sql() + " (catalog only: no rewrite, indexes kept)"
                        : "Change " + t + "." + c + " to " + d.target().sql() + ", rewriting " + t
                        + " and its indexes while reads and writes are blocked")
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), upSql))
                .estimate(d.inPlace() ? Duration.ofMillis(20) : rewrite)
                .effect(new SchemaChange.AlterColumn(t, after))
                .inverse(inverse)
                .ifInterrupted(d.inPlace() ? "Nothing is changed: the step is one transaction, retried on lock timeout. Run it again."
                        : "Nothing is changed: the rewrite is one transaction and rolls back whole (a value that does not convert "
                        + "stops it: the error names it). Run the script again.");
        alterClaims(ctx, d, !d.inPlace()).forEach(alter::lock);

        List<Technique> techniques = new ArrayList<>(List.of(Technique.DIRECT));
        if (!d.inPlace() && ctx.migration().downtime() instanceof DowntimeTolerance.MaintenanceWindow) {
            techniques.add(Technique.MAINTENANCE_WINDOW);
        }
        List<String> reasons = new ArrayList<>();
        reasons.add("Change " + t + "." + c + " from " + before.type().sql() + " to " + d.target().sql() + ": " + d.approach().reason());
        if (!reverseInPlace) {
            reasons.add("The down script changes the column back to " + before.type().sql() + ", which PostgreSQL cannot do in the "
                    + "catalog: it first checks that every value fits (reading the table, blocking nothing), then rewrites " + t
                    + " under ACCESS EXCLUSIVE for about " + Durations.human(rewrite) + ".");
        }
        CompiledOperation.Builder out = CompiledOperation.builder(op, new Strategy(techniques, reasons));
        out.step(alter.build());
        out.verify(new Check(t + "." + c + " has the type " + d.target().sql() + ".",
                "SELECT " + hasType(t, c, d.target()), Expectation.isTrue(), "run the up script again."));
        out.preCheck(noViews(t, c, false));
        if (!d.inPlace()) {
            out.preCheck(sampleCheck(op, t, d.target()));
            lossyCheck(op, d).ifPresent(out::preCheck);
            out.hazard(new Hazard(RiskLevel.LOW, "Table rewrite",
                    "ALTER COLUMN … TYPE writes " + t + " and every index on it anew: up to twice the table's disk space until it "
                            + "commits, WAL about the size of table and indexes (replication lag), and the column's statistics are "
                            + "dropped. Transactions whose snapshot predates the rewrite see the table empty (it is not MVCC-safe).",
                    "Check free disk space first; run ANALYZE " + t + " afterwards."));
        }
        if (!fkTables(ctx.schema(), d.table(), c).isEmpty()) {
            out.hazard(new Hazard(RiskLevel.LOW, "Tables linked by a foreign key are locked too",
                    "ALTER COLUMN … TYPE of a column in a foreign key takes ACCESS EXCLUSIVE on "
                            + fkTables(ctx.schema(), d.table(), c).stream().map(TableName::value).collect(Collectors.joining(", "))
                            + " as well (checked on 12 and 18)" + (d.inPlace() ? ", for milliseconds." : ", and checks the foreign key "
                            + "again, reading its rows."),
                    "The statement runs under lock_timeout with retries, so it never queues traffic for long."));
        }
        if (serialGrows) {
            out.note("The sequence of " + c + " is changed to " + d.target().sql() + " with it: ALTER COLUMN … TYPE leaves a serial "
                    + "column's sequence as it was (an integer sequence stops at 2147483647; checked on 18).");
        }
        if (!reverseInPlace) {
            out.hazard(new Hazard(RiskLevel.LOW, "The down script rewrites the table",
                    "Changing " + c + " back to " + before.type().sql() + " is not a catalog change: the down script reads every row "
                            + "to check the values fit, then rewrites " + t + " under ACCESS EXCLUSIVE (about "
                            + Durations.human(rewrite) + "), and stops without changing anything while a value does not fit.",
                    "Roll back in a quiet period, or keep the new type and fix forward."));
        }
        out.appChange(AppChange.after(Phase.EXPAND, "Code may write values that only " + d.target().sql() + " can hold.",
                "Old code keeps working: it reads and writes " + c + " as before"
                        + (d.inPlace() ? "." : " (check that its driver maps " + d.target().sql() + " as it mapped " + before.type().sql() + ").")
                        + " Once values the old type cannot hold are written, the down script refuses to run until they are changed."));
        if (d.inPlace()) {
            out.note("Checked on PostgreSQL 12 and 18: " + before.type().sql() + " to " + d.target().sql() + " keeps the table's and "
                    + "its indexes' files (relfilenode unchanged); ALTER COLUMN … TYPE takes SHARE and then ACCESS EXCLUSIVE on "
                    + t + " for milliseconds.");
        }
        return out.build();
    }

    private static int rank(SqlType type) {
        return List.of("smallint", "integer", "bigint").indexOf(type.name());
    }

    /**
     * No view or rule reads the column: ALTER … TYPE refuses to change such a column, and after an online swap the view would
     * follow the renamed old column (views point at columns, not at their names) and stop the contract phase's DROP COLUMN.
     */
    private static Check noViews(TableName table, ColumnName column, boolean online) {
        return new Check("No view or rule reads " + table + "." + column + ".",
                "SELECT count(*) FROM pg_depend WHERE classid = 'pg_rewrite'::regclass AND refobjid = " + PgSql.regclass(table)
                        + "\n  AND refobjsubid = (SELECT attnum FROM pg_attribute WHERE attrelid = " + PgSql.regclass(table) + " AND attname = "
                        + PgSql.literal(column.value()) + ")",
                Expectation.count(0), online
                ? "drop those views (the query's objid names their rules) and create them again after the swap: otherwise they keep "
                + "reading the old column, and the contract phase cannot drop it."
                : "drop those views first and create them again afterwards: PostgreSQL refuses to change the type of a column a view "
                + "reads (\"cannot alter type of a column used by a view or rule\").");
    }

    /** Evaluates the conversion on a sample of rows, so that an expression that does not work stops the migration early. */
    private static Check sampleCheck(ChangeColumnType op, TableName table, SqlType target) {
        return new Check("The conversion to " + target.sql() + " works on " + table + "'s rows (on a sample of "
                + String.format("%,d", SAMPLE_ROWS) + " rows).",
                "SELECT count(zd_value) >= 0 FROM (SELECT " + conversion(op, target) + " AS zd_value FROM " + PgSql.quote(table)
                        + " LIMIT " + SAMPLE_ROWS + ") AS zd_sample",
                Expectation.isTrue(), "the query's error says which value does not convert: fix the data or the using(…) expression.");
    }

    /** For a lossy conversion with a known rule: the rows whose value the new type cannot hold exactly. */
    private static Optional<Check> lossyCheck(ChangeColumnType op, Decision d) {
        if (d.kind() != PgTypeConversion.Kind.LOSSY) {
            return Optional.empty();
        }
        String fits = PgTypeConversion.fits(d.column().type(), d.target(), PgSql.quote(op.column()));
        if (fits.startsWith("CAST(CAST(")) {
            return Optional.empty();
        }
        return Optional.of(new Check("No value of " + op.table() + "." + op.column() + " is out of reach of " + d.target().sql()
                + " (" + PgTypeConversion.loss(d.column().type(), d.target()) + ").",
                "SELECT count(*) FROM " + PgSql.quote(op.table()) + " WHERE " + PgSql.quote(op.column()) + " IS NOT NULL AND NOT ("
                        + fits + ")",
                Expectation.count(0), "these rows become what the using(…) expression makes of them; if that is what you want, go on."));
    }

    // ── online swap ─────────────────────────────────────────────────────────────────────────────

    /** The expand-contract sequence: one instance per compilation. */
    private static final class Online {
        private final ChangeColumnType op;
        private final PgContext ctx;
        private final Decision d;
        private final String slug;
        private final TableName t;
        private final ColumnName c;
        private final ColumnName fresh;
        private final ColumnName parked;
        private final String trigger;
        private final Column old;
        private final long rows;
        /** The indexes on the column, and their copies on the new column. */
        private final List<Index> indexes;
        private final List<Index> copies;
        /** The primary key and unique constraints on the column alone: they move to the new column in the swap. */
        private final List<Constraint> keys;
        /**
         * The constraints that follow the column by being dropped before the swap's renames and added again NOT VALID after them
         * (then validated): foreign keys of any table that reference it, foreign keys of its table that include it, checks that
         * read it. Referencing foreign keys come first: they depend on the keys' indexes.
         */
        private final List<Referencing> referencing;

        Online(ChangeColumnType op, PgContext ctx, Decision d, String slug) {
            this.op = op;
            this.ctx = ctx;
            this.d = d;
            this.slug = slug;
            this.t = op.table();
            this.c = op.column();
            this.fresh = newName(c);
            this.parked = parkedName(c);
            this.trigger = triggerName(op);
            this.old = d.column();
            this.rows = ctx.profile(t).approximateRows();
            this.indexes = d.table().indexes().stream().filter(i -> i.columns().contains(c)).toList();
            this.copies = indexes.stream().map(i -> new Index(copyName(i), t, i.elements().stream()
                    .map(e -> e instanceof Index.Element.OfColumn oc && oc.column().equals(c)
                            ? (Index.Element) new Index.Element.OfColumn(fresh, oc.descending()) : e).toList(),
                    i.unique(), i.predicate(), i.method(), true)).toList();
            this.keys = d.table().constraints().stream().filter(k -> (k instanceof Constraint.PrimaryKey || k instanceof Constraint.Unique)
                    && k.columns().equals(List.of(c))).toList();
            List<Referencing> refs = new ArrayList<>();
            for (Table other : ctx.schema().tables()) {
                for (Constraint constraint : other.constraints()) {
                    if (constraint instanceof Constraint.ForeignKey fk && fk.referencedTable().equals(t) && fk.referencedColumns().contains(c)) {
                        refs.add(new Referencing(other.name(), fk));
                    }
                }
            }
            for (Constraint constraint : d.table().constraints()) {
                boolean ownKey = constraint instanceof Constraint.ForeignKey fk && fk.columns().contains(c);
                boolean check = constraint instanceof Constraint.Check ch && mentions(ch.expression().source(), c);
                if ((ownKey || check) && refs.stream().noneMatch(r -> r.table().equals(t) && r.constraint().name().equals(constraint.name()))) {
                    refs.add(new Referencing(t, constraint));
                }
            }
            this.referencing = List.copyOf(refs);
        }

        /** A constraint that follows the column, and its table. */
        private record Referencing(TableName table, Constraint constraint) {
        }

        /** The unique index of a key, on a column, built concurrently and attached with ADD … USING INDEX. */
        private Index keyIndex(Constraint key, ColumnName column, String prefix) {
            return new Index(IndexName.of(PgNames.derived(prefix, key.name().value())), t,
                    List.of(new Index.Element.OfColumn(column, false)), true, Optional.empty(), "btree", true);
        }

        private static String keyKind(Constraint key) {
            return key instanceof Constraint.PrimaryKey ? "PRIMARY KEY" : "UNIQUE";
        }

        /** The locks of a swap: ACCESS EXCLUSIVE on the table, and on both tables of every foreign key dropped and added again. */
        private List<LockClaim> swapLocks() {
            List<LockClaim> claims = new ArrayList<>();
            claims.add(exclusive());
            referencing.forEach(r -> PgConstraintSteps.lockedByAdd(r.table(), r.constraint())
                    .forEach(table -> claims.add(PgConstraintSteps.instant(table, PgLock.ACCESS_EXCLUSIVE))));
            return PgConstraintSteps.merged(claims);
        }

        /** Drops the constraints that follow the column (first statements of a swap), then the keys. */
        private List<String> dropForeignKeys() {
            List<String> sql = new ArrayList<>(referencing.stream().map(r -> "ALTER TABLE " + PgSql.quote(r.table()) + " DROP CONSTRAINT "
                    + PgSql.quote(r.constraint().name())).toList());
            keys.forEach(k -> sql.add("ALTER TABLE " + table() + " DROP CONSTRAINT " + PgSql.quote(k.name())));
            return sql;
        }

        /** Adds the keys using the indexes built on {@code column}, then the constraints that follow the column, NOT VALID. */
        private List<String> addForeignKeys(ColumnName column, String prefix) {
            List<String> sql = new ArrayList<>();
            keys.forEach(k -> sql.add("ALTER TABLE " + table() + " ADD CONSTRAINT " + PgSql.quote(k.name()) + " " + keyKind(k)
                    + " USING INDEX " + PgSql.quote(keyIndex(k, column, prefix).name())));
            referencing.forEach(r -> sql.add("ALTER TABLE " + PgSql.quote(r.table()) + " ADD CONSTRAINT " + PgSql.quote(r.constraint().name())
                    + " " + PgConstraintSteps.definition(r.constraint()) + " NOT VALID"));
            return sql;
        }

        private List<SchemaChange> dropEffects() {
            List<SchemaChange> effects = new ArrayList<>();
            referencing.forEach(r -> effects.add(new SchemaChange.DropConstraint(r.table(), r.constraint().name())));
            keys.forEach(k -> effects.add(new SchemaChange.DropConstraint(t, k.name())));
            return effects;
        }

        private List<SchemaChange> addEffects(ColumnName column, String prefix) {
            List<SchemaChange> effects = new ArrayList<>();
            keys.forEach(k -> {
                effects.add(new SchemaChange.DropIndex(t, keyIndex(k, column, prefix).name()));
                effects.add(new SchemaChange.AddConstraint(t, k));
            });
            referencing.forEach(r -> effects.add(new SchemaChange.AddConstraint(r.table(), PgConstraintSteps.notValid(r.constraint()))));
            return effects;
        }

        /** VALIDATE CONSTRAINT for each constraint added NOT VALID in a swap (SHARE UPDATE EXCLUSIVE on its table). */
        private List<Step> validateForeignKeys(String prefix) {
            List<Step> steps = new ArrayList<>();
            for (Referencing r : referencing) {
                java.util.Map<TableName, Long> counts = new java.util.HashMap<>();
                for (TableName table : PgConstraintSteps.lockedByAdd(r.table(), r.constraint())) {
                    counts.put(table, ctx.profile(table).approximateRows());
                }
                long scanned = counts.get(r.table());
                steps.add(PgConstraintSteps.validate(ctx, op, slug, prefix + "validate_" + PgContext.slug(r.constraint().name().value()),
                        r.table(), r.constraint(), counts, PostgresFacts.forRows(scanned, PostgresFacts.SCAN_ROWS_PER_SECOND)));
            }
            return steps;
        }

        private static IndexName copyName(Index index) {
            return IndexName.of(PgNames.derived("zd_new", index.name().value()));
        }

        private static IndexName parkedIndexName(Index index) {
            return IndexName.of(PgNames.derived("zd_old", index.name().value()));
        }

        private String q(ColumnName name) {
            return PgSql.quote(name);
        }

        private String table() {
            return PgSql.quote(t);
        }

        /** The query condition: the swap has happened (the old column has its parked name). */
        private String swapped() {
            return "EXISTS (SELECT FROM pg_attribute WHERE attrelid = " + PgSql.regclass(t) + " AND attname = "
                    + PgSql.literal(parked.value()) + " AND NOT attisdropped)";
        }

        /** The step, run only while the swap has not happened (so that running the up script again after it changes nothing). */
        private Step beforeSwap(Step step) {
            String guard = step.guard().map(g -> "SELECT (" + g + ") AND NOT " + swapped()).orElse("SELECT NOT " + swapped());
            return new Step(step.id(), step.phase(), step.kind(), step.summary(), step.execution(), step.statements(), Optional.of(guard),
                    step.locks(), step.estimate(), step.effects(), step.inverse(), step.ifInterrupted());
        }

        /** The condition that a column of the table exists under that name. */
        private String exists(ColumnName column) {
            return "EXISTS (SELECT FROM pg_attribute WHERE attrelid = " + PgSql.regclass(t) + " AND attname = "
                    + PgSql.literal(column.value()) + " AND NOT attisdropped)";
        }

        /** The step, run only when {@code condition} holds (a down step that must skip what an interrupted up script never did). */
        private static Step onlyIf(Step step, String condition) {
            String guard = step.guard().map(g -> "SELECT (" + g + ") AND " + condition).orElse("SELECT " + condition);
            return new Step(step.id(), step.phase(), step.kind(), step.summary(), step.execution(), step.statements(), Optional.of(guard),
                    step.locks(), step.estimate(), step.effects(), step.inverse(), step.ifInterrupted());
        }

        /** The step with the steps of its inverse run only when {@code condition} holds. */
        private static Step inverseOnlyIf(Step step, String condition) {
            if (!(step.inverse() instanceof Inverse.Steps inverse) || inverse.steps().isEmpty()) {
                return step;
            }
            Inverse guarded = new Inverse.Steps(inverse.steps().stream().map(s -> onlyIf(s, condition)).toList(), inverse.dataLoss());
            return new Step(step.id(), step.phase(), step.kind(), step.summary(), step.execution(), step.statements(), step.guard(),
                    step.locks(), step.estimate(), step.effects(), guarded, step.ifInterrupted());
        }

        private FunctionName function() {
            return FunctionName.of(trigger);
        }

        /** The trigger function that fills {@code to} from {@code from} on every write; a failed conversion gives NULL when {@code lenient}. */
        private String function(ColumnName to, String value, boolean lenient) {
            StringBuilder body = new StringBuilder("\n#variable_conflict use_column\nBEGIN\n");
            if (lenient) {
                body.append("  BEGIN\n    NEW.").append(q(to)).append(" := ").append(value).append(";\n");
                body.append("  EXCEPTION WHEN OTHERS THEN\n");
                body.append("    -- a value the old type cannot hold: kept as NULL, which the down script refuses to lose silently\n");
                body.append("    NEW.").append(q(to)).append(" := NULL;\n  END;\n");
            } else {
                body.append("  NEW.").append(q(to)).append(" := ").append(value).append(";\n");
            }
            body.append("  RETURN NEW;\nEND\n");
            return "CREATE OR REPLACE FUNCTION " + PgSql.quote(function()) + "() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS "
                    + PgSql.dollarQuote(body.toString(), "function");
        }

        /** The forward value: the conversion of the old column, evaluated over the row being written. */
        private String forwardValue() {
            if (op.using().isEmpty()) {
                return "CAST(NEW." + q(c) + " AS " + d.target().sql() + ")";
            }
            return "(SELECT " + conversion(op, d.target()) + " FROM (SELECT NEW.*) AS " + PgKeysetBackfill.ROW + ")";
        }

        private String backwardValue() {
            return "CAST(NEW." + q(c) + " AS " + old.type().sql() + ")";
        }

        private String createTrigger() {
            return "IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = " + PgSql.regclass(t) + " AND tgname = " + PgSql.literal(trigger)
                    + ") THEN\n  CREATE TRIGGER " + PgSql.quote(trigger) + " BEFORE INSERT OR UPDATE ON " + table()
                    + " FOR EACH ROW EXECUTE FUNCTION " + PgSql.quote(function()) + "();\nEND IF";
        }

        private LockClaim exclusive() {
            return PgConstraintSteps.instant(t, PgLock.ACCESS_EXCLUSIVE);
        }

        CompiledOperation compile() {
            Column freshColumn = Column.of(fresh.value(), d.target());
            Trigger trig = new Trigger(TriggerName.of(trigger), function());

            Step undoExpand = Step.builder(ctx.stepId(op, slug, "undo_expand"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Drop the sync trigger and the column " + fresh)
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("DROP TRIGGER IF EXISTS " + PgSql.quote(trigger) + " ON " + table(),
                            "DROP FUNCTION IF EXISTS " + PgSql.quote(function()) + "()",
                            "ALTER TABLE " + table() + " DROP COLUMN IF EXISTS " + q(fresh))))
                    .lock(exclusive())
                    .estimate(Duration.ofMillis(50))
                    .effect(new SchemaChange.DropTrigger(t, trig.name()))
                    .effect(new SchemaChange.DropFunction(function()))
                    .effect(new SchemaChange.DropColumn(t, fresh))
                    .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                    .build();
            Step expand = beforeSwap(Step.builder(ctx.stepId(op, slug, "expand"), Phase.EXPAND, Step.Kind.SCHEMA)
                    .summary("Add " + fresh + " " + d.target().sql() + " and the trigger that fills it from " + c + " on every write")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(
                            "ALTER TABLE " + table() + " ADD COLUMN IF NOT EXISTS " + q(fresh) + " " + d.target().sql(),
                            function(fresh, forwardValue(), false), createTrigger())))
                    .lock(exclusive())
                    .estimate(Duration.ofMillis(50))
                    .effect(new SchemaChange.AddColumn(t, freshColumn))
                    .effect(new SchemaChange.AddFunction(function()))
                    .effect(new SchemaChange.AddTrigger(t, trig))
                    .inverse(Inverse.steps(undoExpand))
                    .ifInterrupted("Nothing is changed: the column and the trigger are added in one transaction, retried on lock "
                            + "timeout. Run the script again.")
                    .build());

            PgKeysetBackfill backfill = new PgKeysetBackfill(ctx.migration().name(), ctx.stepId(op, slug, "backfill"), t, keyColumns(),
                    q(fresh) + " = " + conversion(op, d.target()),
                    PgKeysetBackfill.ROW + "." + q(fresh) + " IS NULL AND " + PgKeysetBackfill.ROW + "." + q(c) + " IS NOT NULL",
                    op.batching(), ctx.lockPolicy());
            Duration perBatch = PostgresFacts.forRows(op.batching().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND);
            long batches = Math.max(1, (rows + op.batching().size() - 1) / op.batching().size());
            Step backfillStep = beforeSwap(Step.builder(ctx.stepId(op, slug, "backfill"), Phase.BACKFILL, Step.Kind.BACKFILL)
                    .summary("Fill " + fresh + " from " + c + " in batches of " + String.format("%,d", op.batching().size()))
                    .execution(Execution.OUTSIDE_TRANSACTION)
                    .statements(backfill.statements())
                    .lock(new LockClaim(t.value(), PgLock.ROW_EXCLUSIVE, TableWork.BATCH_UPDATE,
                            new LockDuration.PerBatch(op.batching().size(), perBatch)))
                    .estimate(PostgresFacts.forRows(rows, PostgresFacts.BACKFILL_ROWS_PER_SECOND).plus(op.batching().pause().multipliedBy(batches)))
                    .inverse(Inverse.steps(Step.builder(ctx.stepId(op, slug, "undo_backfill"), Phase.BACKFILL, Step.Kind.SCHEMA)
                            .summary("Forget the backfill's progress, so that a new up script fills the column again")
                            .statement(backfill.forgetProgress())
                            .build()))
                    .ifInterrupted("Batches committed so far stay done; rows written since are filled by the trigger; running the "
                            + "step again resumes after the last committed batch (see " + PgKeysetBackfill.PROGRESS_TABLE + ").")
                    .build());

            List<Step> build = new ArrayList<>();
            for (Index copy : copies) {
                PgConcurrentIndex concurrent = new PgConcurrentIndex(ctx, op, slug, copy);
                String part = "index_" + PgContext.slug(copy.name().value());
                build.add(beforeSwap(concurrent.repair("repair_" + part)));
                build.add(beforeSwap(concurrent.build(part, "Build " + copy.name() + " on " + fresh + " concurrently (a copy of the "
                                + "index on " + c + ")")
                        .inverse(Inverse.steps(Step.builder(ctx.stepId(op, slug, "undo_" + part), Phase.BUILD, Step.Kind.SCHEMA)
                                .summary("Drop " + copy.name() + " concurrently")
                                .execution(Execution.OUTSIDE_TRANSACTION)
                                .statement(PgConcurrentIndex.dropConcurrently(copy.name()))
                                .lock(concurrent.sue(TableWork.NONE, LockDuration.instant()))
                                .effect(new SchemaChange.DropIndex(t, copy.name()))
                                .ifInterrupted("The index may be left INVALID; run the down script again.")
                                .build()))
                        .build()));
            }
            for (Constraint k : keys) {
                Index key = keyIndex(k, fresh, "zd_new");
                String part = "key_index_" + PgContext.slug(k.name().value());
                PgConcurrentIndex concurrent = new PgConcurrentIndex(ctx, op, slug, key);
                build.add(beforeSwap(concurrent.repair("repair_" + part)));
                // Its undo has no schema effect: after a swap back the index is gone with the key it became.
                build.add(beforeSwap(concurrent.build(part, "Build the unique index " + key.name() + " on " + fresh
                                + " concurrently (the index of " + k.name() + " on the new column)")
                        .inverse(Inverse.steps(Step.builder(ctx.stepId(op, slug, "undo_" + part), Phase.BUILD, Step.Kind.SCHEMA)
                                .summary("Drop " + key.name() + " concurrently, if an interrupted up script left it")
                                .execution(Execution.OUTSIDE_TRANSACTION)
                                .guard("SELECT " + PgSql.toRegclass(key.name()) + " IS NOT NULL")
                                .statement(PgConcurrentIndex.dropConcurrently(key.name()))
                                .lock(concurrent.sue(TableWork.NONE, LockDuration.instant()))
                                .ifInterrupted("The index may be left INVALID; run the down script again.")
                                .build()))
                        .build()));
            }
            Table expanded = d.table().withColumns(append(d.table().columns(), freshColumn));
            if (!old.nullable()) {
                PgConstraintSteps.notNullOnline(ctx, op, slug, "new_", Phase.BUILD, expanded, freshColumn).stream()
                        .map(this::beforeSwap).map(step -> inverseOnlyIf(step, exists(fresh))).forEach(build::add);
            }

            Step swap = swap();
            Step contract = contract();

            CompiledOperation.Builder out = CompiledOperation.builder(op, strategy());
            out.step(expand).step(backfillStep);
            build.forEach(out::step);
            out.step(swap);
            validateForeignKeys("").forEach(out::step);
            out.step(contract);

            verifications(backfill).forEach(out::verify);
            preChecks().forEach(out::preCheck);
            hazards().forEach(out::hazard);
            if (!copies.isEmpty()) {
                PgConcurrentIndex.advice(out, ctx, "CREATE INDEX CONCURRENTLY");
                out.preCheck(PgConcurrentIndex.notPartitioned(t, "CREATE INDEX CONCURRENTLY"));
            }
            out.monitor(Monitor.query("Backfill progress of " + t + "." + fresh, backfill.progressQuery(),
                    "rows_per_second falling, or updated_at no longer moving while the step runs (it is waiting on locks)"));
            out.abortWhen(new AbortCriterion("replication lag or application latency rises beyond your limit during the backfill",
                    "cancel the backfill (pg_cancel_backend on its pid); committed batches stay done. Re-run it later with a smaller "
                            + "batch (batched(…)): it resumes where it stopped"));
            appChanges().forEach(out::appChange);
            notes().forEach(out::note);
            return out.build();
        }

        private List<Column> keyColumns() {
            Table table = d.table();
            return table.primaryKey().orElseThrow().columns().stream().map(k -> table.column(k).orElseThrow()).toList();
        }

        private static List<Column> append(List<Column> columns, Column column) {
            List<Column> all = new ArrayList<>(columns);
            all.add(column);
            return all;
        }

        /** The column as it ends up: the new type under the old name, with the old column's default, sequence and NOT NULL. */
        private Column finalColumn() {
            return new Column(c, d.target(), old.nullable(), old.defaultValue(), old.generation());
        }

        /** The old column once parked: its values kept, no default, NULL allowed (for values it cannot hold). */
        private Column parkedColumn() {
            return new Column(parked, old.type(), true, Optional.empty(), Optional.empty());
        }

        /**
         * Rename, move default and sequence, rename indexes, turn the trigger round: the statements and effects of the swap
         * ({@code back} false) or of its undo ({@code back} true).
         */
        private Step swap() {
            Serial serial = serial();
            List<String> sql = new ArrayList<>(dropForeignKeys());
            sql.add("ALTER TABLE " + table() + " RENAME COLUMN " + q(c) + " TO " + q(parked));
            sql.add("ALTER TABLE " + table() + " RENAME COLUMN " + q(fresh) + " TO " + q(c));
            List<String> alter = new ArrayList<>();
            if (old.defaultValue().isPresent()) {
                alter.add("ALTER COLUMN " + q(parked) + " DROP DEFAULT");
                alter.add("ALTER COLUMN " + q(c) + " SET DEFAULT " + old.defaultValue().get().sql());
            }
            if (!old.nullable()) {
                alter.add("ALTER COLUMN " + q(parked) + " DROP NOT NULL");
            }
            if (!alter.isEmpty()) {
                sql.add("ALTER TABLE " + table() + " " + String.join(", ", alter));
            }
            serial.owned(c).ifPresent(sql::add);
            serial.as(old.type(), d.target()).ifPresent(sql::add);
            for (int i = 0; i < indexes.size(); i++) {
                sql.add("ALTER INDEX " + PgSql.quote(indexes.get(i).name()) + " RENAME TO " + PgSql.quote(parkedIndexName(indexes.get(i))));
                sql.add("ALTER INDEX " + PgSql.quote(copies.get(i).name()) + " RENAME TO " + PgSql.quote(indexes.get(i).name()));
            }
            sql.addAll(addForeignKeys(c, "zd_new"));
            sql.add(function(parked, backwardValue(), true));

            List<SchemaChange> effects = new ArrayList<>(dropEffects());
            effects.add(new SchemaChange.RenameColumn(t, c, parked));
            effects.add(new SchemaChange.RenameColumn(t, fresh, c));
            effects.add(new SchemaChange.AlterColumn(t, parkedColumn()));
            effects.add(new SchemaChange.AlterColumn(t, finalColumn()));
            for (int i = 0; i < indexes.size(); i++) {
                Index original = indexes.get(i);
                Index copy = copies.get(i);
                effects.add(new SchemaChange.DropIndex(t, original.name()));
                effects.add(new SchemaChange.AddIndex(renamedColumn(original, c, parked).withName(parkedIndexName(original))));
                effects.add(new SchemaChange.DropIndex(t, copy.name()));
                effects.add(new SchemaChange.AddIndex(renamedColumn(copy, fresh, c).withName(original.name())));
            }
            effects.addAll(addEffects(c, "zd_new"));

            return PgConstraintSteps.locks(Step.builder(ctx.stepId(op, slug, "swap"), Phase.BUILD, Step.Kind.SCHEMA), swapLocks())
                    .summary("Swap: " + c + " becomes " + parked + ", " + fresh + " becomes " + c
                            + (old.defaultValue().isPresent() ? (serial.present() ? "; the default and the sequence move" : "; the default moves") : "")
                            + (indexes.isEmpty() ? "" : "; the indexes are renamed")
                            + (keys.isEmpty() ? "" : "; " + keys.stream().map(k -> k.name().value()).collect(Collectors.joining(", "))
                            + " move" + (keys.size() == 1 ? "s" : "") + " to the new column")
                            + (referencing.isEmpty() ? "" : "; " + referencing.stream().map(r -> r.constraint().name().value())
                            .collect(Collectors.joining(", ")) + " are added again NOT VALID")
                            + "; the trigger now fills " + parked + " from " + c)
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.ifThen("NOT " + swapped(), sql.toArray(String[]::new)))))
                    .estimate(Duration.ofMillis(50))
                    .effects(effects)
                    .inverse(new Inverse.Steps(undoSwap(), Optional.empty()))
                    .ifInterrupted("Nothing is changed: the swap is one transaction, retried on lock timeout. Run the script again.")
                    .build();
        }

        private List<Step> undoSwap() {
            Serial serial = serial();
            List<Step> steps = new ArrayList<>();
            String mismatch = mismatch();
            steps.add(Step.builder(ctx.stepId(op, slug, "undo_check"), Phase.BUILD, Step.Kind.CHECK)
                    .summary("Check that every value of " + t + "." + c + " is kept in " + parked + " as " + old.type().sql())
                    .statement(PgConstraintSteps.doBlock(PgConstraintSteps.ifThen(swapped(), "IF EXISTS (" + mismatch.replace("count(*) ", "")
                            + ") THEN\n  RAISE EXCEPTION USING MESSAGE = " + PgSql.literal("zerodown: some values of " + t + "." + c
                            + " cannot be held by " + old.type().sql() + " (written since the swap): swapping back would lose them")
                            + ",\n    HINT = " + PgSql.literal("List them with: " + mismatch.replace("count(*)", "*")
                            + "; change or delete them (the trigger then keeps " + parked + " in step), then run the down script again.")
                            + ";\nEND IF")))
                    .lock(PgConstraintSteps.scanning(t, PgLock.ACCESS_SHARE, rows, PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND)))
                    .estimate(PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND))
                    .ifInterrupted("Nothing is changed: the check only reads. It stops the down script while such a value exists.")
                    .build());
            Table swappedTable = afterSwap();
            for (Constraint k : keys) {
                Index key = keyIndex(k, parked, "zd_old");
                String part = "undo_old_key_index_" + PgContext.slug(k.name().value());
                PgConcurrentIndex concurrent = new PgConcurrentIndex(ctx, op, slug, key);
                steps.add(onlyIf(concurrent.repair("repair_" + part), swapped()));
                steps.add(onlyIf(concurrent.build(part, "Build the unique index " + key.name() + " on " + parked
                        + " concurrently (the index of " + k.name() + " on the old column again)").build(), swapped()));
            }
            if (!old.nullable()) {
                PgConstraintSteps.notNullOnline(ctx, op, slug, "undo_old_", Phase.BUILD, swappedTable, parkedColumn()).stream()
                        .map(step -> onlyIf(step, swapped())).forEach(steps::add);
            }
            List<String> sql = new ArrayList<>(dropForeignKeys());
            List<String> alter = new ArrayList<>();
            if (old.defaultValue().isPresent()) {
                alter.add("ALTER COLUMN " + q(c) + " DROP DEFAULT");
                alter.add("ALTER COLUMN " + q(parked) + " SET DEFAULT " + old.defaultValue().get().sql());
            }
            if (!alter.isEmpty()) {
                sql.add("ALTER TABLE " + table() + " " + String.join(", ", alter));
            }
            sql.add("ALTER TABLE " + table() + " RENAME COLUMN " + q(c) + " TO " + q(fresh));
            sql.add("ALTER TABLE " + table() + " RENAME COLUMN " + q(parked) + " TO " + q(c));
            serial.owned(c).ifPresent(sql::add);
            serial.as(d.target(), old.type()).ifPresent(sql::add);
            for (int i = 0; i < indexes.size(); i++) {
                sql.add("ALTER INDEX " + PgSql.quote(indexes.get(i).name()) + " RENAME TO " + PgSql.quote(copies.get(i).name()));
                sql.add("ALTER INDEX " + PgSql.quote(parkedIndexName(indexes.get(i))) + " RENAME TO " + PgSql.quote(indexes.get(i).name()));
            }
            sql.addAll(addForeignKeys(c, "zd_old"));
            sql.add(function(fresh, forwardValue(), false));

            List<SchemaChange> effects = new ArrayList<>(dropEffects());
            effects.add(new SchemaChange.AlterColumn(t, new Column(c, d.target(), old.nullable(), Optional.empty(), Optional.empty())));
            effects.add(new SchemaChange.RenameColumn(t, c, fresh));
            effects.add(new SchemaChange.RenameColumn(t, parked, c));
            effects.add(new SchemaChange.AlterColumn(t, old));
            for (int i = 0; i < indexes.size(); i++) {
                Index original = indexes.get(i);
                Index copy = copies.get(i);
                effects.add(new SchemaChange.DropIndex(t, original.name()));
                effects.add(new SchemaChange.AddIndex(copy));
                effects.add(new SchemaChange.DropIndex(t, parkedIndexName(original)));
                effects.add(new SchemaChange.AddIndex(original));
            }
            effects.addAll(addEffects(c, "zd_old"));
            steps.add(PgConstraintSteps.locks(Step.builder(ctx.stepId(op, slug, "undo_swap"), Phase.BUILD, Step.Kind.SCHEMA), swapLocks())
                    .summary("Swap back: " + c + " becomes " + fresh + " again and " + parked + " becomes " + c
                            + (keys.isEmpty() ? "" : ", with " + keys.stream().map(k -> k.name().value()).collect(Collectors.joining(", ")))
                            + (referencing.isEmpty() ? "" : "; " + referencing.stream().map(r -> r.constraint().name().value())
                            .collect(Collectors.joining(", ")) + " added again NOT VALID"))
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(PgConstraintSteps.ifThen(swapped(), sql.toArray(String[]::new)))))
                    .estimate(Duration.ofMillis(50))
                    .effects(effects)
                    .ifInterrupted("Nothing is changed: the swap back is one transaction, retried on lock timeout. Run it again.")
                    .build());
            steps.addAll(validateForeignKeys("undo_"));
            return steps;
        }

        /** The table right after the swap, for the names of the down script's NOT NULL steps. */
        private Table afterSwap() {
            Schema schema = Schema.of(d.table().withColumns(append(d.table().columns(), Column.of(fresh.value(), d.target()))));
            schema = new SchemaChange.RenameColumn(t, c, parked).apply(schema);
            schema = new SchemaChange.RenameColumn(t, fresh, c).apply(schema);
            return schema.requireTable(t);
        }

        private static Index renamedColumn(Index index, ColumnName from, ColumnName to) {
            return index.withElements(index.elements().stream().map(e -> e instanceof Index.Element.OfColumn oc && oc.column().equals(from)
                    ? (Index.Element) new Index.Element.OfColumn(to, oc.descending()) : e).toList());
        }

        /**
         * {@code SELECT count(*) …}: the rows whose current value (the new column, after the swap) is not what the kept old value
         * converts to, i.e. whose value the old column does not hold.
         */
        private String mismatch() {
            if (op.using().isEmpty()) {
                return "SELECT count(*) FROM " + table() + " WHERE " + q(c) + " IS DISTINCT FROM CAST(" + q(parked) + " AS "
                        + d.target().sql() + ")";
            }
            String current = "zd_current";
            while (d.table().hasColumn(ColumnName.of(current))) {
                current = current + "_";
            }
            List<String> columns = new ArrayList<>();
            for (Column column : d.table().columns()) {
                columns.add(column.name().equals(c) ? q(parked) + " AS " + q(c) : q(column.name()));
            }
            columns.add(q(c) + " AS " + PgSql.quote(current));
            return "SELECT count(*) FROM (SELECT " + String.join(", ", columns) + " FROM " + table() + ") AS " + PgKeysetBackfill.ROW
                    + " WHERE " + PgSql.quote(current) + " IS DISTINCT FROM " + conversion(op, d.target());
        }

        private Step contract() {
            List<SchemaChange> effects = new ArrayList<>();
            effects.add(new SchemaChange.DropTrigger(t, TriggerName.of(trigger)));
            effects.add(new SchemaChange.DropFunction(function()));
            indexes.forEach(i -> effects.add(new SchemaChange.DropIndex(t, parkedIndexName(i))));
            effects.add(new SchemaChange.DropColumn(t, parked));
            return Step.builder(ctx.stepId(op, slug, "contract"), Phase.CONTRACT, Step.Kind.SCHEMA)
                    .summary("Drop the sync trigger and the old column " + parked + (indexes.isEmpty() ? "" : " with its indexes"))
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of("DROP TRIGGER IF EXISTS " + PgSql.quote(trigger) + " ON " + table(),
                            "DROP FUNCTION IF EXISTS " + PgSql.quote(function()) + "()",
                            "ALTER TABLE " + table() + " DROP COLUMN IF EXISTS " + q(parked))))
                    .lock(exclusive())
                    .estimate(Duration.ofMillis(50))
                    .effects(effects)
                    .inverse(Inverse.irreversible("the old column " + parked + " and its " + old.type().sql() + " values are gone; "
                            + "changing the type back would be a new migration (and lose what " + old.type().sql() + " cannot hold)."))
                    .ifInterrupted("Nothing is changed: the step is one transaction. Run it again.")
                    .build();
        }

        /** The serial column's sequence, which follows the column in the swap (ownership, and its type when the column grows). */
        private Serial serial() {
            return old.generation().orElse(null) instanceof Generation.Serial s ? new Serial(Optional.of(s.sequence()), t, old.type())
                    : new Serial(Optional.empty(), t, old.type());
        }

        private Strategy strategy() {
            List<Technique> techniques = new ArrayList<>(List.of(Technique.EXPAND_CONTRACT, Technique.SYNC_TRIGGER, Technique.BATCHED_DML));
            List<String> reasons = new ArrayList<>();
            reasons.add("Change " + t + "." + c + " from " + old.type().sql() + " to " + d.target().sql() + ": " + d.approach().reason());
            reasons.add("A new column " + fresh + " of the new type is filled from " + c + " by a trigger on every write and by a "
                    + "backfill in committed keyset batches of " + String.format("%,d", op.batching().size()) + " rows, each locking only "
                    + "its own rows for about " + Durations.human(PostgresFacts.forRows(op.batching().size(), PostgresFacts.BACKFILL_ROWS_PER_SECOND))
                    + "; then one short transaction swaps the names, so the application keeps using " + c + " throughout.");
            if (!copies.isEmpty()) {
                techniques.add(Technique.CONCURRENT_INDEX);
                reasons.add("The indexes on " + c + " (" + indexes.stream().map(i -> i.name().value()).collect(Collectors.joining(", "))
                        + ") are built anew on " + fresh + " with CREATE INDEX CONCURRENTLY before the swap, which only renames them; "
                        + "the old ones stay on the old column until the contract phase, so swapping back needs no build.");
            }
            if (!old.nullable()) {
                techniques.add(Technique.NOT_VALID_THEN_VALIDATE);
                reasons.add(c + " is NOT NULL: the new column becomes NOT NULL online (a constraint added NOT VALID, validated "
                        + "without blocking) before the swap.");
            }
            reasons.add("After the swap the trigger fills the old column from the new one, so the down script can swap back "
                    + "without losing what the old type can hold; the contract phase drops the trigger and the old column.");
            return new Strategy(techniques, reasons);
        }

        private List<Check> verifications(PgKeysetBackfill backfill) {
            List<Check> checks = new ArrayList<>();
            checks.add(new Check(t + "." + c + " has the type " + d.target().sql() + ".", "SELECT " + hasType(t, c, d.target()),
                    Expectation.isTrue(), "run the up script again: the swap has not happened."));
            checks.add(new Check("The trigger that keeps " + parked + " in step exists and is enabled (until the contract phase).",
                    "SELECT count(*) FROM pg_trigger WHERE tgrelid = " + PgSql.regclass(t) + " AND tgname = " + PgSql.literal(trigger)
                            + " AND tgenabled = 'O'",
                    Expectation.count(1), "run the up script again; if the trigger exists but is disabled, enable it."));
            for (Constraint k : keys) {
                checks.add(new Check("The " + (k instanceof Constraint.PrimaryKey ? "primary key " : "unique constraint ") + k.name()
                        + " is on the new " + c + ".",
                        "SELECT count(*) FROM pg_constraint WHERE conrelid = " + PgSql.regclass(t) + " AND contype IN ('p', 'u') AND conname = "
                                + PgSql.literal(k.name().value()) + "\n  AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = "
                                + PgSql.regclass(t) + " AND attname = " + PgSql.literal(c.value()) + ")]",
                        Expectation.count(1), "run the up script again: the swap has not happened."));
            }
            for (Referencing r : referencing) {
                checks.add(new Check("The constraint " + r.constraint().name() + " of " + r.table() + " exists and is validated.",
                        "SELECT count(*) FROM pg_constraint WHERE conrelid = " + PgSql.regclass(r.table()) + " AND conname = "
                                + PgSql.literal(r.constraint().name().value()) + " AND convalidated",
                        Expectation.count(1), "run the up script again: its last steps validate it (a row that violates it stops the "
                        + "validation; the error names it)."));
            }
            checks.add(new Check("The backfill finished.", backfill.finishedQuery(), Expectation.count(1),
                    "run the up script again: the backfill resumes where it stopped."));
            checks.add(new Check("Every row's " + c + " is the conversion of its old value (holds until the application writes "
                    + "values " + old.type().sql() + " cannot hold).", mismatch(), Expectation.count(0),
                    "some rows were written in a way the trigger did not see (triggers disabled, session_replication_role = "
                            + "replica): list them with the same query selecting the key, and write their " + c + " again."));
            return checks;
        }

        private List<Check> preChecks() {
            List<Check> checks = new ArrayList<>();
            checks.add(new Check("The names " + fresh + " and " + parked + " are free on " + t + " (on a re-run after an interruption "
                    + "one exists: that is expected).",
                    "SELECT count(*) FROM pg_attribute WHERE attrelid = " + PgSql.regclass(t) + " AND NOT attisdropped AND attname IN ("
                            + PgSql.literal(fresh.value()) + ", " + PgSql.literal(parked.value()) + ")",
                    Expectation.count(0), "the schema given to zerodown is out of date: compile again from the live schema."));
            checks.add(PgSyncTrigger.noOtherTriggerNaming(t, trigger, List.of(c), "the sync trigger"));
            checks.add(sampleCheck(op, t, d.target()));
            lossyCheck(op, d).ifPresent(checks::add);
            checks.add(noViews(t, c, true));
            return checks;
        }

        private List<Hazard> hazards() {
            List<Hazard> hazards = new ArrayList<>();
            if (ctx.profile(t).isLarge()) {
                hazards.add(new Hazard(RiskLevel.MEDIUM, "Backfill load on a large table",
                        "The backfill writes about " + String.format("%,d", rows) + " rows: WAL as fast as it runs (replication lag), "
                                + "one dead row version per row (bloat until autovacuum catches up), and I/O the application competes for.",
                        "Batches of " + String.format("%,d", op.batching().size()) + " committed one by one; watch replication lag and "
                                + "latency and cancel it if they exceed your limits: it resumes where it stopped."));
            }
            hazards.add(new Hazard(RiskLevel.LOW, "Sync trigger cost",
                    "Every INSERT and UPDATE of " + t + " runs a small PL/pgSQL function (one conversion) until the contract phase; "
                            + "the table carries both columns" + (copies.isEmpty() ? "" : " and both sets of indexes") + " until then.",
                    "The contract phase removes the trigger and the old column."));
            hazards.add(PgSyncTrigger.unseenWrites(t, "converted", "the verification queries find such rows"));
            hazards.add(new Hazard(RiskLevel.LOW, "Values the old type cannot hold block the rollback",
                    "After the swap the trigger converts each write back into " + parked + " (" + old.type().sql() + "); a value it "
                            + "cannot hold is kept there as NULL (the write itself succeeds). The down script refuses to swap back "
                            + "while such rows exist, rather than lose them.",
                    "Roll back before the application writes such values, or change those rows first (the down script's error "
                            + "lists them)."));
            return hazards;
        }

        private List<AppChange> appChanges() {
            List<AppChange> changes = new ArrayList<>();
            changes.add(AppChange.before(Phase.EXPAND, "Nothing: deploy no change before the up script.",
                    "Old code keeps working: it only ever sees " + c + "; the new column " + fresh + " is filled by the trigger."));
            changes.add(AppChange.after(Phase.BUILD, "Once the swap has run, " + c + " is " + d.target().sql()
                            + ": deploy code that reads and writes it as such (ORM mapping, driver types).",
                    "Code written for " + old.type().sql() + " keeps working as long as the values fit it; rolling the code back is "
                            + "safe until the contract phase."));
            changes.add(AppChange.before(Phase.CONTRACT, "Nothing to remove: no code uses " + parked + ".",
                    "After the contract phase the old values are gone; the down script no longer applies."));
            return changes;
        }

        private List<String> notes() {
            List<String> notes = new ArrayList<>();
            notes.add("A direct ALTER COLUMN … TYPE would rewrite " + t + " and rebuild its indexes under ACCESS EXCLUSIVE, blocking "
                    + "reads and writes for about " + Durations.human(rewriteEstimate(ctx, t)) + "; the online swap holds ACCESS "
                    + "EXCLUSIVE only for catalog changes (the expand, the swap and the contract, milliseconds each).");
            notes.add("The new values are " + (op.using().isPresent() ? "computed by " + op.using().get().source() + " cast to "
                    : "the old ones cast to ") + d.target().sql() + ", by the trigger on every write and by the backfill for rows "
                    + "written before it existed.");
            for (Constraint k : keys) {
                notes.add("The " + (k instanceof Constraint.PrimaryKey ? "primary key " : "unique constraint ") + k.name() + " moves to "
                        + "the new column in the swap: its unique index is built concurrently beforehand, and the swap drops the old "
                        + "constraint and adds it again with ADD " + keyKind(k) + " USING INDEX (nothing left to check, so ACCESS "
                        + "EXCLUSIVE lasts milliseconds). The down script builds its index on the old column concurrently again before "
                        + "it swaps back.");
            }
            if (!referencing.isEmpty()) {
                notes.add("The constraints that depend on " + t + "." + c + " (" + referencing.stream().map(r -> r.table() + "."
                        + r.constraint().name()).collect(Collectors.joining(", ")) + ") are dropped before the swap's renames and added "
                        + "again NOT VALID after them, in the same transaction (ACCESS EXCLUSIVE on " + swapLocks().stream()
                        .map(LockClaim::relation).collect(Collectors.joining(", ")) + " for milliseconds): they hold for every write from "
                        + "then on, and VALIDATE CONSTRAINT checks the existing rows afterwards without blocking writes.");
                List<String> narrow = new ArrayList<>();
                for (Referencing r : referencing) {
                    if (!(r.constraint() instanceof Constraint.ForeignKey fk) || !fk.referencedTable().equals(t)) {
                        continue;
                    }
                    Table child = ctx.schema().requireTable(r.table());
                    for (ColumnName column : fk.columns()) {
                        Column fkColumn = child.column(column).orElseThrow();
                        if (!fkColumn.type().equals(d.target())) {
                            narrow.add(r.table() + "." + column + " (" + fkColumn.type().sql() + ")");
                        }
                    }
                }
                if (!narrow.isEmpty()) {
                    notes.add("The referencing columns " + String.join(", ", narrow) + " keep their type: they cannot hold keys that only "
                            + d.target().sql() + " can hold. Change them too (changeType(…, \"" + d.target().sql() + "\") on their "
                            + "tables) before the keys outgrow them.");
                }
            }
            notes.add("Run ANALYZE " + t + " after the swap: the new column has no statistics until autovacuum analyzes it.");
            notes.add("The backfill records its progress in " + PgKeysetBackfill.PROGRESS_TABLE
                    + " (created if missing, in a schema of its own); the down script clears its row.");
            return notes;
        }
    }

    /** A serial column's sequence: its ownership follows the column in the swap, and its type when the column grows. */
    private record Serial(Optional<String> sequence, TableName table, SqlType oldType) {

        boolean present() {
            return sequence.isPresent();
        }

        Optional<String> owned(ColumnName column) {
            return sequence.map(s -> "ALTER SEQUENCE " + PgSql.quote(s) + " OWNED BY " + PgSql.quote(table) + "." + PgSql.quote(column));
        }

        /** {@code ALTER SEQUENCE … AS to} when the column goes from one integer type to another. */
        Optional<String> as(SqlType from, SqlType to) {
            Set<String> integers = Set.of("smallint", "integer", "bigint");
            if (sequence.isEmpty() || !integers.contains(to.name()) || !integers.contains(from.name()) || to.name().equals(from.name())) {
                return Optional.empty();
            }
            return Optional.of("ALTER SEQUENCE " + PgSql.quote(sequence.get()) + " AS " + to.sql());
        }
    }

}
