package io.zerodown.dsl;

import io.zerodown.model.operation.MigrationPlan;

/**
 * The changes that can be made to the current table; where every operation of the fluent DSL
 * starts. Obtain one with {@code Migration.on("users")}. Names are taken exactly as written and
 * quoted in the SQL; SQL expressions (defaults, checks, predicates) are parsed and validated when
 * the plan is compiled.
 */
public interface TableChanges {

    // columns

    /** Adds a column: {@code .addColumn("status", "text").notNull().defaultValue("'active'")}. */
    AddColumnOptions addColumn(String column, String type);

    /** Drops a column, in the contract phase. */
    TableChanges dropColumn(String column);

    /** Renames a column: {@code .renameColumn("email").to("email_address")}. */
    RenameColumnTarget renameColumn(String column);

    /** Changes a column's type: {@code .changeType("id", "bigint")}. */
    ChangeTypeOptions changeType(String column, String type);

    /** Splits a text column into two new columns: {@code .splitColumn("full_name").atFirst(" ").into("first_name", "last_name")}. */
    SplitColumnSeparator splitColumn(String column);

    /** Merges columns into a new one: {@code .mergeColumns("first_name", "last_name").with(" ").into("full_name")}. */
    MergeColumnsSeparator mergeColumns(String... columns);

    /** Fills a column from an SQL expression over the row: {@code .backfill("slug").with("lower(name)")}. */
    BackfillValue backfill(String column);

    /** Makes a column NOT NULL. */
    TableChanges setNotNull(String column);

    /** Allows NULL in a column. */
    TableChanges dropNotNull(String column);

    /** Sets a column's default to an SQL expression: {@code .setDefault("status", "'active'")}. */
    TableChanges setDefault(String column, String expression);

    /** Removes a column's default. */
    TableChanges dropDefault(String column);

    // constraints

    /** Adds a foreign key: {@code .addForeignKey("user_id").references("users", "id")}. */
    ForeignKeyTarget addForeignKey(String... columns);

    /** Adds a CHECK constraint: {@code .addCheck("price >= 0")}. */
    ConstraintOptions addCheck(String expression);

    /** Adds a UNIQUE constraint on these columns. */
    ConstraintOptions addUnique(String... columns);

    /** Adds a PRIMARY KEY on these columns. */
    ConstraintOptions addPrimaryKey(String... columns);

    /** Drops a constraint (foreign key, check, unique or primary key) by name. */
    TableChanges dropConstraint(String name);

    // indexes

    /** Creates an index on these columns, in this order: {@code .createIndex("last_name").where("last_name IS NOT NULL")}. */
    CreateIndexOptions createIndex(String... columns);

    /** Creates an index on SQL expressions: {@code .createIndexOnExpressions("lower(email)")}. */
    CreateIndexOptions createIndexOnExpressions(String... expressions);

    /** Drops an index. */
    TableChanges dropIndex(String name);

    /** Rebuilds an index. */
    TableChanges reindex(String name);

    // tables

    /** Creates the current table: {@code Migration.on("orders").createTable().column("id", "bigint").notNull().primaryKey("id")}. */
    CreateTableOptions createTable();

    /** Renames the current table; later changes apply to the new name. */
    TableChanges renameTo(String newName);

    /** Drops the current table, in the contract phase. */
    DropTableOptions dropTable();

    /** Continues with changes to another table. */
    TableChanges on(String table);

    /** The operations described so far, as an immutable plan. Nothing is rendered or checked yet. */
    MigrationPlan plan();
}
