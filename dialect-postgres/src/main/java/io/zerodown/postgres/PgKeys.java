package io.zerodown.postgres;

import io.zerodown.model.ColumnName;
import io.zerodown.model.ConstraintName;
import io.zerodown.model.IndexName;
import io.zerodown.model.TableName;
import io.zerodown.model.schema.Column;
import io.zerodown.model.schema.Index;
import io.zerodown.model.schema.Table;
import io.zerodown.plan.Check;
import io.zerodown.plan.Execution;
import io.zerodown.plan.Expectation;
import io.zerodown.plan.LockClaim;
import io.zerodown.plan.LockDuration;
import io.zerodown.plan.Phase;
import io.zerodown.plan.Step;
import io.zerodown.plan.TableWork;
import io.zerodown.model.operation.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What adding a UNIQUE constraint and adding a PRIMARY KEY share on PostgreSQL: the checks of the
 * key, the unique index built for it (named after the constraint, so that {@code ADD CONSTRAINT …
 * USING INDEX} has nothing to rename), and the catalog queries that verify it.
 */
final class PgKeys {

    /** Types without a btree operator class: no unique index, hence no key, can be built on them. */
    private static final Set<String> NO_BTREE = Set.of("json", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle");

    private PgKeys() {
    }

    /** PostgreSQL-specific problems of a key named {@code name} on {@code columns}. */
    static List<String> problems(PgContext ctx, TableName tableName, ConstraintName name, List<ColumnName> columns, String what) {
        List<String> problems = new ArrayList<>();
        if (PgNames.tooLong(name.value())) {
            problems.add(what + " name \"" + name + "\" is longer than 63 bytes; PostgreSQL would silently cut it. Choose a shorter "
                    + "one with named(…)");
        }
        if (ctx.schema().table(TableName.of(name.value())).isPresent()) {
            problems.add("a table named \"" + name + "\" exists; the " + what + "'s index takes the constraint's name and cannot share "
                    + "it with a table: choose another with named(…)");
        }
        Table table = ctx.schema().requireTable(tableName);
        for (ColumnName column : columns) {
            table.column(column).filter(c -> NO_BTREE.contains(c.type().name())).ifPresent(c -> problems.add("column \"" + column
                    + "\" is " + c.type().sql() + ", which has no btree operator class: PostgreSQL cannot build the unique index a "
                    + what + " needs on it (use jsonb instead of json, or a unique index on an expression)"));
        }
        return problems;
    }

    /** The unique btree index the key is built from, named after the constraint. */
    static Index index(TableName table, ConstraintName name, List<ColumnName> columns) {
        return new Index(IndexName.of(name.value()), table, columns.stream()
                .map(c -> (Index.Element) new Index.Element.OfColumn(c, false)).toList(), true, Optional.empty(), "btree", true);
    }

    /** {@code EXISTS (…)} over pg_constraint: the table has a constraint of this name (and kind, when given). */
    static String constraintExists(TableName table, ConstraintName name, Optional<Character> type) {
        return "EXISTS (SELECT FROM pg_constraint WHERE conrelid = " + PgSql.regclass(table) + " AND conname = " + PgSql.literal(name.value())
                + type.map(t -> " AND contype = '" + t + "'").orElse("") + ")";
    }

    /** A verification: the constraint exists, of this kind, on exactly these columns in order, and its index is valid. */
    static Check verifyConstraint(TableName table, ConstraintName name, List<ColumnName> columns, char type, String what) {
        String expected = "ARRAY[" + columns.stream().map(c -> PgSql.literal(c.value())).collect(Collectors.joining(", ")) + "]::text[]";
        return new Check("The " + what + " " + name + " exists on " + table + " (" + names(columns) + ") and its index is valid.",
                "SELECT count(*) FROM pg_constraint c JOIN pg_index i ON i.indexrelid = c.conindid\n"
                        + "WHERE c.conrelid = " + PgSql.regclass(table) + " AND c.conname = " + PgSql.literal(name.value())
                        + " AND c.contype = '" + type + "' AND i.indisvalid\n"
                        + "  AND ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)\n"
                        + "            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) = " + expected,
                Expectation.count(1), "run the up script again; if it fails, read its error (duplicates, NULLs, a lock it could not get).");
    }

    /** A pre-check: no relation has the constraint's name yet (its index will take it). */
    static Check nameIsFree(ConstraintName name) {
        return new Check("No index or other relation named " + name + " exists yet (on a re-run it does: expected).",
                "SELECT count(*) FROM pg_class WHERE oid = " + PgSql.toRegclass(IndexName.of(name.value())), Expectation.count(0),
                "the name is taken; choose another with named(…) and compile again.");
    }

    /**
     * The down step for an interrupted up script: drops the index if it exists without the
     * constraint it was built for. Guarded; no schema effect, since in the simulated sequence the
     * constraint's own undo removes the index with it.
     */
    static Step dropOrphanIndex(PgContext ctx, Operation op, String slug, Index index) {
        return Step.builder(ctx.stepId(op, slug, "undo_build"), Phase.BUILD, Step.Kind.REPAIR)
                .summary("Drop the index " + index.name() + " if an interrupted up script left it without its constraint")
                .execution(Execution.OUTSIDE_TRANSACTION)
                .guard("SELECT EXISTS (SELECT FROM pg_index i WHERE i.indexrelid = " + PgSql.toRegclass(index.name())
                        + "\n              AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid))")
                .statement(PgConcurrentIndex.dropConcurrently(index.name()))
                .lock(new LockClaim(index.table().value(), PgLock.SHARE_UPDATE_EXCLUSIVE, TableWork.NONE, LockDuration.instant()))
                .ifInterrupted("The index may be left INVALID; run the down script again.")
                .build();
    }

    /** Rows whose key has a NULL. */
    static String nullsQuery(TableName table, List<Column> columns) {
        return "SELECT count(*) FROM " + PgSql.quote(table) + " WHERE "
                + columns.stream().map(c -> PgSql.quote(c.name()) + " IS NULL").collect(Collectors.joining(" OR "));
    }

    static String names(List<ColumnName> columns) {
        return columns.stream().map(ColumnName::value).collect(Collectors.joining(", "));
    }

    static String quotedList(List<ColumnName> columns) {
        return PgSql.quoteAll(columns);
    }
}
