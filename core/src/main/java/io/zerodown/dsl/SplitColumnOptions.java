package io.zerodown.dsl;

import java.time.Duration;

/** Options of a split; any other change can follow. */
public interface SplitColumnOptions extends TableChanges {

    /** Rows per backfill batch, each in its own transaction (default 10,000). */
    SplitColumnOptions batched(int rowsPerBatch);

    /** A pause between batches, to leave room for replicas and the application (default none). */
    SplitColumnOptions pausing(Duration pauseBetweenBatches);

    /** Types of the new columns, e.g. {@code types("varchar(100)", "varchar(150)")} (default: the source's type). */
    SplitColumnOptions types(String firstType, String secondType);

    /** Never drop the source column: the contract phase only removes the sync trigger. */
    SplitColumnOptions keepSource();
}
