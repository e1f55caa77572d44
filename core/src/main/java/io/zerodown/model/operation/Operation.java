package io.zerodown.model.operation;

import io.zerodown.model.TableName;
import io.zerodown.model.schema.Schema;
import java.util.List;

/**
 * A schema change a migration author asks for, free of any dialect. Built by the fluent DSL
 * ({@code io.zerodown.Migration}) and compiled by a dialect into steps.
 *
 * <p>Sealed, with a visitor without defaults: a new operation does not compile until every
 * dialect says how it handles it.
 */
public sealed interface Operation permits SplitColumn, CreateIndex, AddColumn, DropColumn, RenameColumn, RenameTable, ChangeColumnType, MergeColumns, BackfillColumn, SetNotNull, DropNotNull, SetDefault, DropDefault, AddForeignKey, AddCheck, AddUnique, AddPrimaryKey, DropConstraint, DropIndex, Reindex, CreateTable, DropTable {

    /** The table the operation changes. */
    TableName table();

    /** One line for people: {@code split users.full_name into first_name, last_name}. */
    String describe();

    /**
     * What is wrong with the operation against the schema it will run on, dialect-free (unknown
     * names, collisions, impossible arguments). Empty when it is valid here.
     */
    List<String> problems(Schema schema);

    /**
     * The schema once the operation is complete (every phase run), as far as a dialect-free view
     * can tell; used to validate the operations that follow it.
     */
    Schema applyTo(Schema schema);

    <R> R accept(OperationVisitor<R> visitor);

    /**
     * Columns of {@link #table()} whose values the database computes from other columns (by a
     * trigger and a batched backfill) until this operation's migration is complete: a split's
     * parts, a merge's target, a backfilled column, the copy behind a type change or rename.
     * Their values are incomplete while the migration runs, so no later operation of the same
     * plan may compute from them. Conservative: a type change counts even where a dialect makes it
     * in place.
     */
    default java.util.Set<io.zerodown.model.ColumnName> derivedColumns() {
        return java.util.Set.of();
    }

    /** Columns of {@link #table()} whose values this operation computes other values from, by trigger and backfill. */
    default java.util.Set<io.zerodown.model.ColumnName> sourceColumns() {
        return java.util.Set.of();
    }
}
