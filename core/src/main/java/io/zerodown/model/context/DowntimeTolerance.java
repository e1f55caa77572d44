package io.zerodown.model.context;

import java.time.Duration;
import java.util.Objects;

/** How much unavailability the migration may cause. */
public sealed interface DowntimeTolerance {

    /** Production traffic must not be blocked beyond brief, bounded lock waits. */
    static DowntimeTolerance none() {
        return new None();
    }

    /** Traffic may be blocked for at most this long (a maintenance window). */
    static DowntimeTolerance maintenanceWindow(Duration length) {
        return new MaintenanceWindow(length);
    }

    /** A development or test database: blocking is fine, the direct statements are preferred. */
    static DowntimeTolerance devOnly() {
        return new DevOnly();
    }

    String describe();

    record None() implements DowntimeTolerance {
        @Override
        public String describe() {
            return "no downtime";
        }
    }

    record MaintenanceWindow(Duration length) implements DowntimeTolerance {
        public MaintenanceWindow {
            Objects.requireNonNull(length, "length");
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("a maintenance window must be longer than zero");
            }
        }

        @Override
        public String describe() {
            return "a maintenance window of " + Durations.human(length);
        }
    }

    record DevOnly() implements DowntimeTolerance {
        @Override
        public String describe() {
            return "development database (downtime allowed)";
        }
    }
}
