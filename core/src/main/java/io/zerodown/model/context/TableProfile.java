package io.zerodown.model.context;

/**
 * What the migration author knows about a table's size and traffic.
 *
 * @param approximateRows  rows in the table (the planner's estimate is fine)
 * @param writesPerSecond  inserts, updates and deletes per second at peak
 * @param readPattern      how the table is read
 */
public record TableProfile(long approximateRows, double writesPerSecond, ReadPattern readPattern) {

    /** Above this many rows a table counts as large: a scan or rewrite takes seconds to hours. */
    public static final long LARGE_ROWS = 1_000_000;
    /** At or above this many writes per second a table counts as busy. */
    public static final double BUSY_WRITES_PER_SECOND = 10;

    public TableProfile {
        if (approximateRows < 0) {
            throw new IllegalArgumentException("approximateRows must not be negative");
        }
        if (writesPerSecond < 0) {
            throw new IllegalArgumentException("writesPerSecond must not be negative");
        }
        java.util.Objects.requireNonNull(readPattern, "readPattern");
    }

    public static TableProfile of(long approximateRows, double writesPerSecond, ReadPattern readPattern) {
        return new TableProfile(approximateRows, writesPerSecond, readPattern);
    }

    /**
     * The profile assumed for a table the author did not describe: large and busy, so that the
     * advice errs on the safe side. The package says when it used this.
     */
    public static TableProfile unknown() {
        return new TableProfile(100_000_000, 1_000, ReadPattern.MIXED);
    }

    public boolean isLarge() {
        return approximateRows >= LARGE_ROWS;
    }

    public boolean isBusy() {
        return writesPerSecond >= BUSY_WRITES_PER_SECOND;
    }
}
