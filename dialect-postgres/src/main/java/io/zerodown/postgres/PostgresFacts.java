package io.zerodown.postgres;

import io.zerodown.model.context.Version;
import java.time.Duration;
import java.util.Optional;

/**
 * Facts about one PostgreSQL version: which {@link PgFeature}s it has, its known defects, and the
 * throughput figures used to estimate durations.
 *
 * <p>The throughput figures are deliberately round: they turn a row count into an order of
 * magnitude (seconds, minutes, hours), which is what the risk assessment needs. They were measured
 * on the embedded test server (see {@code docs/estimates.md}); real hardware, row width, indexes
 * and concurrent load move them by a factor of several either way, so the package always says
 * "about" and recommends a rehearsal on a copy of production for precise figures.
 */
public record PostgresFacts(Version version) {

    /** The oldest and newest majors zerodown compiles for. */
    public static final int OLDEST_MAJOR = 12;
    public static final int NEWEST_MAJOR = 18;

    /** Rows per second updated by batched backfills, sync trigger included. */
    static final long BACKFILL_ROWS_PER_SECOND = 50_000;
    /** Rows per second updated by one UPDATE over the whole table. */
    static final long FULL_UPDATE_ROWS_PER_SECOND = 100_000;
    /** Rows per second read into a plain index build. */
    static final long INDEX_BUILD_ROWS_PER_SECOND = 500_000;
    /** Rows per second for a concurrent build: two passes over the table, plus waits for older transactions. */
    static final long CONCURRENT_INDEX_BUILD_ROWS_PER_SECOND = 250_000;
    /** Rows per second for a scan that validates a constraint. */
    static final long SCAN_ROWS_PER_SECOND = 2_000_000;
    /** Rows per second for a table rewrite (table and indexes written anew). */
    static final long REWRITE_ROWS_PER_SECOND = 300_000;

    public boolean has(PgFeature feature) {
        return version.atLeast(feature.since());
    }

    /** A defect of this exact version that a package must warn about, if any. */
    public Optional<String> concurrentIndexDefect() {
        if (version.major() == 14 && version.minor() < 4) {
            return Optional.of("PostgreSQL 14.0 to 14.3 can build indexes with CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY "
                    + "that silently miss rows (fixed in 14.4, https://www.postgresql.org/docs/release/14.4/): upgrade to 14.4 or "
                    + "later first, and rebuild indexes built concurrently on 14.0 to 14.3");
        }
        return Optional.empty();
    }

    static Duration forRows(long rows, long rowsPerSecond) {
        return Duration.ofMillis(Math.max(1, rows * 1_000 / rowsPerSecond));
    }
}
