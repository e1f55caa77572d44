package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.SqlExpression;
import io.zerodown.model.TableName;
import io.zerodown.model.operation.Operation;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Constraint;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.Inverse;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Phase;
import io.zerodown.plan.SchemaChange;
import io.zerodown.plan.Step;
import io.zerodown.plan.TableWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The steps the constraint operations share: a constraint added {@code NOT VALID} then validated
 * in its own transaction, a constraint dropped, and the NOT NULL sequence (a validated CHECK that
 * lets {@code SET NOT NULL} skip its scan on 12 to 17; a {@code NOT NULL … NOT VALID} constraint
 * validated afterwards on 18).
 *
 * <p>Every statement that takes ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE runs inside
 * {@link PgLockRetry}; a validation takes SHARE UPDATE EXCLUSIVE, which blocks neither reads nor
 * writes, and runs alone in its transaction so that no stronger lock is held during its scan.
 * Each step checks the catalog first, so that running a script again skips what is done.
 */
final class PgConstraintSteps {

    private PgConstraintSteps() {
    }

    static String alterTable(TableName table) {
        return "ALTER TABLE " + PgSql.quote(table);
    }

    /** {@code EXISTS (…)}: the constraint exists on the table, and when {@code validated} is given, with that validity. */
    static String constraintExists(TableName table, ConstraintName name, Boolean validated) {
        return "EXISTS (SELECT FROM pg_constraint WHERE conrelid = " + PgSql.regclass(table) + " AND conname = "
                + PgSql.literal(name.value()) + (validated == null ? "" : validated ? " AND convalidated" : " AND NOT convalidated") + ")";
    }

    /** {@code EXISTS (…)}: the column is NOT NULL in the catalog ({@code pg_attribute.attnotnull}). */
    static String columnNotNull(TableName table, ColumnName column) {
        return "EXISTS (SELECT FROM pg_attribute WHERE attrelid = " + PgSql.regclass(table) + " AND attname = "
                + PgSql.literal(column.value()) + " AND attnotnull)";
    }

    /** A PL/pgSQL {@code IF … THEN …; END IF} (without its final semicolon, as {@link PgLockRetry#wrap} adds it). */
    static String ifThen(String condition, String... statements) {
        StringBuilder sql = new StringBuilder("IF ").append(condition).append(" THEN\n");
        for (String statement : statements) {
            sql.append(PgLockRetry.indent(statement, "  ")).append(";\n");
        }
        return sql.append("END IF").toString();
    }

    /** A {@code DO} block running PL/pgSQL statements once, without the lock retry (for statements that need no blocking lock). */
    static String doBlock(String... statements) {
        StringBuilder body = new StringBuilder("\nBEGIN\n");
        for (String statement : statements) {
            body.append(PgLockRetry.indent(statement, "  ")).append(";\n");
        }
        return "DO " + PgSql.dollarQuote(body.append("END\n").toString(), "zerodown");
    }

    /** The constraint's definition after its name: {@code CHECK (…)} or {@code FOREIGN KEY (…) REFERENCES …}. */
    static String definition(Constraint constraint) {
        if (constraint instanceof Constraint.Check check) {
            return "CHECK (" + check.expression().sql() + ")";
        }
        if (constraint instanceof Constraint.ForeignKey fk) {
            return "FOREIGN KEY (" + PgSql.quoteAll(fk.columns()) + ") REFERENCES " + PgSql.quote(fk.referencedTable()) + " ("
                    + PgSql.quoteAll(fk.referencedColumns()) + ")"
                    + (fk.onDelete() == Constraint.ReferentialAction.NO_ACTION ? "" : " ON DELETE " + fk.onDelete().sql())
                    + (fk.onUpdate() == Constraint.ReferentialAction.NO_ACTION ? "" : " ON UPDATE " + fk.onUpdate().sql());
        }
        throw new IllegalArgumentException("only CHECK and FOREIGN KEY constraints are added NOT VALID: " + constraint.name());
    }

    /** The constraint marked NOT VALID (what {@code ADD … NOT VALID} leaves until {@code VALIDATE}). */
    static Constraint notValid(Constraint constraint) {
        if (constraint instanceof Constraint.Check c) {
            return new Constraint.Check(c.name(), c.expression(), false);
        }
        if (constraint instanceof Constraint.ForeignKey f) {
            return new Constraint.ForeignKey(f.name(), f.columns(), f.referencedTable(), f.referencedColumns(), f.onDelete(), f.onUpdate(), false);
        }
        throw new IllegalArgumentException("only CHECK and FOREIGN KEY constraints can be NOT VALID: " + constraint.name());
    }

    static boolean validated(Constraint constraint) {
        return constraint instanceof Constraint.Check c ? c.validated()
                : !(constraint instanceof Constraint.ForeignKey f) || f.validated();
    }

    /** The claims with one per relation, the strongest mode kept (a foreign key that references its own table locks it once). */
    static List<LockClaim> merged(List<LockClaim> claims) {
        Map<String, LockClaim> byRelation = new LinkedHashMap<>();
        for (LockClaim claim : claims) {
            byRelation.merge(claim.relation(), claim, (a, b) -> ((PgLock) a.mode()).compareTo((PgLock) b.mode()) >= 0 ? a : b);
        }
        return List.copyOf(byRelation.values());
    }

    static Step.Builder locks(Step.Builder step, List<LockClaim> claims) {
        claims.forEach(step::lock);
        return step;
    }

    static LockClaim instant(TableName table, PgLock mode) {
        return new LockClaim(table.value(), mode, TableWork.NONE, LockDuration.instant());
    }

    static LockClaim scanning(TableName table, PgLock mode, long rows, Duration estimate) {
        return new LockClaim(table.value(), mode, TableWork.SCAN, new LockDuration.ProportionalToRows(rows, estimate));
    }

    /** What a constraint locks when it is added: its table, and for a foreign key the referenced table too. */
    static List<TableName> lockedByAdd(TableName table, Constraint constraint) {
        return constraint instanceof Constraint.ForeignKey fk && !fk.referencedTable().equals(table)
                ? List.of(table, fk.referencedTable()) : List.of(table);
    }

    /** Adds the constraint {@code NOT VALID}: a catalog change, checked for new rows only. */
    static Step addNotValid(PgContext ctx, Operation op, String slug, String part, Phase phase, TableName table, Constraint constraint) {
        PgLock mode = constraint instanceof Constraint.ForeignKey ? PgLock.SHARE_ROW_EXCLUSIVE : PgLock.ACCESS_EXCLUSIVE;
        List<LockClaim> claims = merged(lockedByAdd(table, constraint).stream().map(t -> instant(t, mode)).toList());
        String kind = constraint instanceof Constraint.ForeignKey ? "foreign key" : "check";
        return locks(Step.builder(ctx.stepId(op, slug, part), phase, Step.Kind.SCHEMA), claims)
                .summary("Add the " + kind + " " + constraint.name() + " NOT VALID (checked for new writes only)")
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(ifThen("NOT " + constraintExists(table, constraint.name(), null),
                        alterTable(table) + " ADD CONSTRAINT " + PgSql.quote(constraint.name()) + " " + definition(constraint) + " NOT VALID"))))
                .estimate(Duration.ofMillis(20))
                .effect(new SchemaChange.AddConstraint(table, notValid(constraint)))
                .inverse(Inverse.steps(drop(ctx, op, slug, "undo_" + part, phase, table, constraint, true)))
                .ifInterrupted("Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. "
                        + "Run the script again.")
                .build();
    }

    /** Adds the constraint validated, in one statement: its scan runs under the lock that blocks writes. */
    static Step addDirect(PgContext ctx, Operation op, String slug, String part, Phase phase, TableName table, Constraint constraint,
                          Map<TableName, Long> rows, Duration scan) {
        boolean fk = constraint instanceof Constraint.ForeignKey;
        PgLock mode = fk ? PgLock.SHARE_ROW_EXCLUSIVE : PgLock.ACCESS_EXCLUSIVE;
        List<LockClaim> claims = merged(lockedByAdd(table, constraint).stream()
                .map(t -> scanning(t, mode, rows.getOrDefault(t, 0L), scan)).toList());
        return locks(Step.builder(ctx.stepId(op, slug, part), phase, Step.Kind.SCHEMA), claims)
                .summary("Add the " + (fk ? "foreign key " : "check ") + constraint.name() + ", validating every row while "
                        + (fk ? "writes to " + String.join(" and ", lockedByAdd(table, constraint).stream().map(TableName::value).toList())
                        + " are blocked" : "reads and writes of " + table + " are blocked"))
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(ifThen("NOT " + constraintExists(table, constraint.name(), null),
                        alterTable(table) + " ADD CONSTRAINT " + PgSql.quote(constraint.name()) + " " + definition(constraint)))))
                .estimate(scan)
                .effect(new SchemaChange.AddConstraint(table, constraint))
                .inverse(Inverse.steps(drop(ctx, op, slug, "undo_" + part, phase, table, constraint, true)))
                .ifInterrupted("Nothing is changed: the constraint is added and validated in one transaction, which rolls back "
                        + "whole (a violating row stops it: fix the row and run the script again).")
                .build();
    }

    /**
     * Validates a NOT VALID constraint in a transaction of its own: SHARE UPDATE EXCLUSIVE on the
     * table (and ROW SHARE on a foreign key's referenced table) while every row is read.
     */
    static Step validate(PgContext ctx, Operation op, String slug, String part, TableName table, Constraint constraint,
                         Map<TableName, Long> rows, Duration scan) {
        List<LockClaim> claims = new ArrayList<>();
        claims.add(scanning(table, PgLock.SHARE_UPDATE_EXCLUSIVE, rows.getOrDefault(table, 0L), scan));
        String also = "";
        if (constraint instanceof Constraint.ForeignKey fk) {
            claims.add(scanning(fk.referencedTable(), PgLock.ROW_SHARE, rows.getOrDefault(fk.referencedTable(), 0L), scan));
            also = " (which also looks each key up in " + fk.referencedTable() + ")";
        }
        String violation = constraint instanceof Constraint.ForeignKey
                ? "a row whose key has no match in the referenced table (SQLSTATE 23503)"
                : "a row the check rejects (SQLSTATE 23514)";
        return locks(Step.builder(ctx.stepId(op, slug, part), Phase.BUILD, Step.Kind.SCHEMA), merged(claims))
                .summary("Validate " + constraint.name() + " against the existing rows (reads and writes go on)")
                .statement(alterTable(table) + " VALIDATE CONSTRAINT " + PgSql.quote(constraint.name()))
                .estimate(scan)
                .effect(new SchemaChange.ValidateConstraint(table, constraint.name()))
                .ifInterrupted("The constraint stays NOT VALID: it is still enforced for new writes, and nothing else changes. "
                        + "The scan" + also + " fails on " + violation + ": find such rows with the pre-check's query, fix them, "
                        + "and run the script again.")
                .build();
    }

    /** Drops the constraint if it exists; a foreign key's drop locks the referenced table too (ACCESS EXCLUSIVE on both). */
    static Step drop(PgContext ctx, Operation op, String slug, String part, Phase phase, TableName table, Constraint constraint,
                     boolean withEffect) {
        return drop(ctx, op, slug, part, phase, table, constraint, withEffect, "Drop the constraint " + constraint.name() + " of "
                + table, Inverse.nothing());
    }

    static Step drop(PgContext ctx, Operation op, String slug, String part, Phase phase, TableName table, Constraint constraint,
                     boolean withEffect, String summary, Inverse inverse) {
        List<TableName> locked = lockedByAdd(table, constraint);
        Step.Builder step = locks(Step.builder(ctx.stepId(op, slug, part), phase, Step.Kind.SCHEMA),
                merged(locked.stream().map(t -> instant(t, PgLock.ACCESS_EXCLUSIVE)).toList()))
                .summary(summary)
                .inverse(inverse)
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(alterTable(table) + " DROP CONSTRAINT IF EXISTS "
                        + PgSql.quote(constraint.name()))))
                .estimate(Duration.ofMillis(20))
                .ifInterrupted("Nothing is changed: the step is one short transaction. Run it again.");
        if (withEffect) {
            step.effect(new SchemaChange.DropConstraint(table, constraint.name()));
        }
        return step.build();
    }

    // ── NOT NULL ──────────────────────────────────────────────────────────────────────────────

    /**
     * The name of the constraint the NOT NULL sequence creates: {@code <table>_<column>_not_null},
     * the name PostgreSQL 18 gives a column's not-null constraint (numbered when a constraint of
     * the table already has it; cut with a hash when longer than 63 bytes).
     */
    static ConstraintName notNullName(Table table, ColumnName column) {
        for (int n = 0; ; n++) {
            String name = PgNames.derived(table.name().value(), column.value(), "not_null" + (n == 0 ? "" : Integer.toString(n)));
            if (table.constraint(ConstraintName.of(name)).isEmpty()) {
                return ConstraintName.of(name);
            }
        }
    }

    /** The check that proves a column holds no NULL: {@code "c" IS NOT NULL}. */
    static Constraint.Check notNullCheck(ConstraintName name, ColumnName column, boolean validated) {
        return new Constraint.Check(name, SqlExpression.of(PgSql.quote(column) + " IS NOT NULL"), validated);
    }

    /**
     * The online sequence that makes a column NOT NULL with ACCESS EXCLUSIVE held only for catalog
     * changes. On 18 ({@link PgFeature#NOT_NULL_NOT_VALID}): {@code ADD CONSTRAINT n NOT NULL c NOT VALID},
     * then {@code VALIDATE CONSTRAINT n}. On 12 to 17: {@code ADD CONSTRAINT n CHECK (c IS NOT NULL) NOT VALID},
     * {@code VALIDATE}, then {@code SET NOT NULL} (proved by the valid check, no scan) and
     * {@code DROP CONSTRAINT n} in one short transaction.
     *
     * @param part prefix of the step ids ({@code ""} for SetNotNull, {@code "undo_"} for the down of DropNotNull)
     */
    static List<Step> notNullOnline(PgContext ctx, Operation op, String slug, String part, Phase phase, Table table, Column column) {
        TableName t = table.name();
        ColumnName c = column.name();
        ConstraintName name = notNullName(table, c);
        long rows = ctx.profile(t).approximateRows();
        Duration scan = PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND);
        Column notNull = column.withNullable(false);
        Step dropNotNull = dropNotNull(ctx, op, slug, part + "undo_set_not_null", phase, t, column.withNullable(true));
        List<Step> steps = new ArrayList<>();
        if (ctx.facts().has(PgFeature.NOT_NULL_NOT_VALID)) {
            steps.add(Step.builder(ctx.stepId(op, slug, part + "add_not_null"), phase, Step.Kind.SCHEMA)
                    .summary("Add the NOT NULL constraint " + name + " on " + t + "." + c + " NOT VALID (checked for new writes only)")
                    .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(ifThen("NOT " + columnNotNull(t, c),
                            alterTable(t) + " ADD CONSTRAINT " + PgSql.quote(name) + " NOT NULL " + PgSql.quote(c) + " NOT VALID"))))
                    .lock(instant(t, PgLock.ACCESS_EXCLUSIVE))
                    .estimate(Duration.ofMillis(20))
                    .effect(new SchemaChange.AlterColumn(t, notNull))
                    .inverse(Inverse.steps(dropNotNull))
                    .ifInterrupted("Nothing is changed: the constraint is added in one short transaction, retried on lock timeout. "
                            + "Run the script again.")
                    .build());
            steps.add(Step.builder(ctx.stepId(op, slug, part + "validate_not_null"), Phase.BUILD, Step.Kind.SCHEMA)
                    .summary("Validate the NOT NULL constraint " + name + " against the existing rows (reads and writes go on)")
                    .statement(doBlock(ifThen(constraintExists(t, name, false),
                            alterTable(t) + " VALIDATE CONSTRAINT " + PgSql.quote(name))))
                    .lock(scanning(t, PgLock.SHARE_UPDATE_EXCLUSIVE, rows, scan))
                    .estimate(scan)
                    .ifInterrupted("The constraint stays NOT VALID: new writes of NULL are already rejected. The scan fails on a "
                            + "row whose " + c + " is NULL (SQLSTATE 23502): fill those rows and run the script again.")
                    .build());
            return steps;
        }
        Constraint.Check check = notNullCheck(name, c, false);
        steps.add(Step.builder(ctx.stepId(op, slug, part + "add_check"), phase, Step.Kind.SCHEMA)
                .summary("Add the temporary check " + name + " (" + c + " IS NOT NULL) NOT VALID (checked for new writes only)")
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(ifThen("NOT " + columnNotNull(t, c) + " AND NOT "
                                + constraintExists(t, name, null),
                        alterTable(t) + " ADD CONSTRAINT " + PgSql.quote(name) + " " + definition(check) + " NOT VALID"))))
                .lock(instant(t, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(20))
                .effect(new SchemaChange.AddConstraint(t, check))
                // After a complete up script the check is gone already (the last step drops it): this only
                // cleans up after an interrupted one, so it changes nothing in the simulated schema.
                .inverse(Inverse.steps(Step.builder(ctx.stepId(op, slug, part + "undo_add_check"), phase, Step.Kind.SCHEMA)
                        .summary("Drop the temporary check " + name + " if an interrupted up script left it")
                        .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(alterTable(t) + " DROP CONSTRAINT IF EXISTS " + PgSql.quote(name))))
                        .lock(instant(t, PgLock.ACCESS_EXCLUSIVE))
                        .estimate(Duration.ofMillis(20))
                        .ifInterrupted("Nothing is changed: the step is one short transaction. Run it again.")
                        .build()))
                .ifInterrupted("Nothing is changed: the check is added in one short transaction, retried on lock timeout. "
                        + "Run the script again.")
                .build());
        steps.add(Step.builder(ctx.stepId(op, slug, part + "validate_check"), Phase.BUILD, Step.Kind.SCHEMA)
                .summary("Validate the check " + name + " against the existing rows (reads and writes go on)")
                .statement(doBlock(ifThen(constraintExists(t, name, false), alterTable(t) + " VALIDATE CONSTRAINT " + PgSql.quote(name))))
                .lock(scanning(t, PgLock.SHARE_UPDATE_EXCLUSIVE, rows, scan))
                .estimate(scan)
                .effect(new SchemaChange.ValidateConstraint(t, name))
                .ifInterrupted("The check stays NOT VALID: new writes of NULL are already rejected. The scan fails on a row "
                        + "whose " + c + " is NULL (SQLSTATE 23514): fill those rows and run the script again.")
                .build());
        String refuse = "RAISE EXCEPTION 'zerodown: the check % on % is missing or not validated, so SET NOT NULL would scan the "
                + "table under ACCESS EXCLUSIVE', " + PgSql.literal(name.value()) + ", " + PgSql.literal(t.value()) + "\n"
                + "  USING HINT = 'Run the script again from the start: the check is added and validated first.'";
        steps.add(Step.builder(ctx.stepId(op, slug, part + "set_not_null"), Phase.BUILD, Step.Kind.SCHEMA)
                .summary("Set " + t + "." + c + " NOT NULL (proved by the valid check: no scan) and drop the check " + name)
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(
                        ifThen("NOT " + columnNotNull(t, c),
                                ifThen("NOT " + constraintExists(t, name, true), refuse),
                                alterTable(t) + " ALTER COLUMN " + PgSql.quote(c) + " SET NOT NULL"),
                        alterTable(t) + " DROP CONSTRAINT IF EXISTS " + PgSql.quote(name))))
                .lock(instant(t, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(20))
                .effect(new SchemaChange.AlterColumn(t, notNull))
                .effect(new SchemaChange.DropConstraint(t, name))
                .inverse(Inverse.steps(dropNotNull))
                .ifInterrupted("Nothing is changed: both statements run in one short transaction, retried on lock timeout. "
                        + "Run the script again.")
                .build());
        return steps;
    }

    /** {@code SET NOT NULL} in one statement: its scan runs under ACCESS EXCLUSIVE. */
    static Step notNullDirect(PgContext ctx, Operation op, String slug, String part, Phase phase, Table table, Column column) {
        TableName t = table.name();
        long rows = ctx.profile(t).approximateRows();
        Duration scan = PostgresFacts.forRows(rows, PostgresFacts.SCAN_ROWS_PER_SECOND);
        return Step.builder(ctx.stepId(op, slug, part + "set_not_null"), phase, Step.Kind.SCHEMA)
                .summary("Set " + t + "." + column.name() + " NOT NULL, checking every row while reads and writes are blocked")
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(ifThen("NOT " + columnNotNull(t, column.name()),
                        alterTable(t) + " ALTER COLUMN " + PgSql.quote(column.name()) + " SET NOT NULL"))))
                .lock(scanning(t, PgLock.ACCESS_EXCLUSIVE, rows, scan))
                .estimate(scan)
                .effect(new SchemaChange.AlterColumn(t, column.withNullable(false)))
                .inverse(Inverse.steps(dropNotNull(ctx, op, slug, part + "undo_set_not_null", phase, t, column.withNullable(true))))
                .ifInterrupted("Nothing is changed: the statement rolls back whole (a NULL stops it: fill those rows and run "
                        + "the script again).")
                .build();
    }

    /** {@code DROP NOT NULL}: a catalog change (on 18 it also drops the column's not-null constraint). */
    static Step dropNotNull(PgContext ctx, Operation op, String slug, String part, Phase phase, TableName table, Column nullable) {
        return dropNotNull(ctx, op, slug, part, phase, table, nullable, Inverse.nothing());
    }

    static Step dropNotNull(PgContext ctx, Operation op, String slug, String part, Phase phase, TableName table, Column nullable,
                            Inverse inverse) {
        return Step.builder(ctx.stepId(op, slug, part), phase, Step.Kind.SCHEMA)
                .summary("Allow NULL in " + table + "." + nullable.name())
                .statement(PgLockRetry.wrap(ctx.lockPolicy(), List.of(alterTable(table) + " ALTER COLUMN " + PgSql.quote(nullable.name())
                        + " DROP NOT NULL")))
                .lock(instant(table, PgLock.ACCESS_EXCLUSIVE))
                .estimate(Duration.ofMillis(20))
                .effect(new SchemaChange.AlterColumn(table, nullable))
                .inverse(inverse)
                .ifInterrupted("Nothing is changed: the step is one short transaction, retried on lock timeout. Run it again.")
                .build();
    }

    /** {@code count(*)} of the rows whose column is NULL. */
    static String nullRows(TableName table, ColumnName column) {
        return "SELECT count(*) FROM " + PgSql.quote(table) + " WHERE " + PgSql.quote(column) + " IS NULL";
    }

    static String columnList(List<ColumnName> columns) {
        return columns.stream().map(ColumnName::value).collect(Collectors.joining(", "));
    }
}
