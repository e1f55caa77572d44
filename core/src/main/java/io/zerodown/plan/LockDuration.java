package io.zerodown.plan;

import io.zerodown.model.context.Durations;
import java.time.Duration;
import java.util.Objects;

/** How long a lock is held once granted. */
public sealed interface LockDuration {

    String describe();

    /** Held for a catalog change: milliseconds, whatever the table's size. */
    record Instant() implements LockDuration {
        @Override
        public String describe() {
            return "instant (catalog change, milliseconds)";
        }
    }

    /** Held while every row is processed; {@code estimate} is computed from the table's row count. */
    record ProportionalToRows(long rows, Duration estimate) implements LockDuration {
        public ProportionalToRows {
            Objects.requireNonNull(estimate, "estimate");
        }

        @Override
        public String describe() {
            return "proportional to rows: about " + Durations.human(estimate) + " for " + String.format("%,d", rows) + " rows";
        }
    }

    /** Held for one batch at a time, then released by its commit. */
    record PerBatch(int batchSize, Duration estimate) implements LockDuration {
        public PerBatch {
            Objects.requireNonNull(estimate, "estimate");
        }

        @Override
        public String describe() {
            return "one batch at a time: about " + Durations.human(estimate) + " per batch of " + String.format("%,d", batchSize) + " rows";
        }
    }

    static LockDuration instant() {
        return new Instant();
    }
}
