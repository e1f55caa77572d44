package io.zerodown.model.context;

import java.time.Duration;
import java.util.Objects;

/** Whether and for how long the change must stay reversible without losing data. */
public sealed interface RollbackRequirement {

    /** Old data is kept, and kept current, for this long; only then is it dropped. */
    static RollbackRequirement reversibleFor(Duration period) {
        return new ReversibleFor(period);
    }

    /** No way back is needed: old data may be dropped as soon as the change is complete. */
    static RollbackRequirement oneWay() {
        return new OneWay();
    }

    String describe();

    record ReversibleFor(Duration period) implements RollbackRequirement {
        public ReversibleFor {
            Objects.requireNonNull(period, "period");
            if (period.isNegative()) {
                throw new IllegalArgumentException("the rollback period must not be negative");
            }
        }

        @Override
        public String describe() {
            return "reversible for " + Durations.human(period);
        }
    }

    record OneWay() implements RollbackRequirement {
        @Override
        public String describe() {
            return "one-way";
        }
    }
}
