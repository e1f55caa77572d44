package io.zerodown.dsl;

/** Options of a type change; any other change can follow. */
public interface ChangeTypeOptions extends TableChanges {

    /** How old values become new ones, an SQL expression over the row (default: a cast). */
    ChangeTypeOptions using(String expression);

    /** Rows per batch where the values are copied (default 10,000). */
    ChangeTypeOptions batched(int rowsPerBatch);
}
