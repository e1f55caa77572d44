package io.zerodown.plan;

/** What a statement does to the table's data while it holds its lock. */
public enum TableWork {
    /** Catalog only: no row is read or written. */
    NONE("catalog only"),
    /** Every row is read (to validate a constraint, say); nothing is written. */
    SCAN("scans every row"),
    /** The table and all its indexes are written anew. */
    REWRITE("rewrites the table and its indexes"),
    /** An index is built from every row. */
    INDEX_BUILD("reads every row to build an index"),
    /** A bounded batch of rows is updated. */
    BATCH_UPDATE("updates one batch of rows"),
    /** Every row is updated in one statement. */
    FULL_UPDATE("updates every row in one statement");

    private final String description;

    TableWork(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
