package io.zerodown.dsl;

/** Options of a new column; any other change can follow. */
public interface AddColumnOptions extends TableChanges {

    /** NOT NULL (with a default, or on an empty table). */
    AddColumnOptions notNull();

    /** A default, as an SQL expression: {@code "'active'"}, {@code "0"}, {@code "now()"}, {@code "gen_random_uuid()"}. */
    AddColumnOptions defaultValue(String expression);

    /** {@code GENERATED ALWAYS AS IDENTITY}. */
    AddColumnOptions identity();

    /** {@code GENERATED ALWAYS AS (expression) STORED}. */
    AddColumnOptions generatedAs(String expression);

    /** Rows per batch where existing rows are backfilled (default 10,000). */
    AddColumnOptions batched(int rowsPerBatch);
}
