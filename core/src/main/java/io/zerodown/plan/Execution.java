package io.zerodown.plan;

/** How the statements of a step are sent. */
public enum Execution {
    /** All statements in one transaction: they take effect together or not at all. */
    IN_TRANSACTION,
    /**
     * Each statement alone, outside any transaction block: required by
     * {@code CREATE INDEX CONCURRENTLY}, and by blocks that commit as they go (batched backfills).
     * Never run such a step inside {@code BEGIN … COMMIT} or with {@code psql --single-transaction}.
     */
    OUTSIDE_TRANSACTION
}
