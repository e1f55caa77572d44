package io.zerodown.dsl;

/** Options of a backfill; any other change can follow. */
public interface BackfillOptions extends TableChanges {

    /** Rows per batch, each in its own transaction (default 10,000). */
    BackfillOptions batched(int rowsPerBatch);
}
