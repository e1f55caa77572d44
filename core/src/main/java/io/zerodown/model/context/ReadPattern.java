package io.zerodown.model.context;

/** How a table is read, which decides how much an exclusive lock or a lock queue hurts. */
public enum ReadPattern {
    /** Mostly short reads (typical OLTP): a queued exclusive lock stalls every request at once. */
    MOSTLY_READS("mostly short reads"),
    /** Reads and writes in similar measure. */
    MIXED("mixed reads and writes"),
    /** Mostly writes: backfills and triggers compete with the application for row locks and WAL. */
    WRITE_HEAVY("mostly writes"),
    /** Long-running reads (reports, analytics): they hold locks and snapshots for a long time, so
     * an exclusive lock waits behind them and concurrent index builds wait for them. */
    LONG_RUNNING_READS("long-running reads (reports, analytics)");

    private final String description;

    ReadPattern(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
