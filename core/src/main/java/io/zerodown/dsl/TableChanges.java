package io.zerodown.dsl;

import io.zerodown.model.operation.MigrationPlan;

/**
 * The changes that can be made to the current table; where every operation of the fluent DSL
 * starts. Obtain one with {@code Migration.on("users")}.
 */
public interface TableChanges {

    /** Splits a text column into two new columns: {@code .splitColumn("full_name").atFirst(" ").into("first_name", "last_name")}. */
    SplitColumnSeparator splitColumn(String column);

    /** Creates an index on these columns, in this order: {@code .createIndex("last_name").where("last_name IS NOT NULL")}. */
    CreateIndexOptions createIndex(String... columns);

    /** Creates an index on SQL expressions: {@code .createIndexOnExpressions("lower(email)")}. */
    CreateIndexOptions createIndexOnExpressions(String... expressions);

    /** Continues with changes to another table. */
    TableChanges on(String table);

    /** The operations described so far, as an immutable plan. Nothing is rendered or checked yet. */
    MigrationPlan plan();
}
