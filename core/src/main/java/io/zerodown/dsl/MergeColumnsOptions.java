package io.zerodown.dsl;

/** Options of a merge; any other change can follow. */
public interface MergeColumnsOptions extends TableChanges {

    /** The new column's type (default {@code text}). */
    MergeColumnsOptions type(String type);

    /** Rows per backfill batch (default 10,000). */
    MergeColumnsOptions batched(int rowsPerBatch);

    /** Never drop the source columns. */
    MergeColumnsOptions keepSources();
}
