package io.zerodown.model.operation;

import java.time.Duration;
import java.util.Objects;

/**
 * How a backfill is cut: rows per batch (one transaction each) and a pause between batches that
 * leaves room for replication and for the application's own writes.
 */
public record Batching(int size, Duration pause) {

    public Batching {
        Objects.requireNonNull(pause, "pause");
    }

    /** 10,000 rows per batch, no pause. */
    public static Batching defaults() {
        return new Batching(10_000, Duration.ZERO);
    }

    public static Batching of(int size) {
        return new Batching(size, Duration.ZERO);
    }

    public Batching withPause(Duration newPause) {
        return new Batching(size, newPause);
    }

    /** Dialect-free problems with these numbers. */
    public java.util.List<String> problems() {
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (size < 1) {
            problems.add("batch size must be at least 1, got " + size);
        }
        if (pause.isNegative()) {
            problems.add("pause between batches must not be negative, got " + pause);
        }
        return problems;
    }
}
