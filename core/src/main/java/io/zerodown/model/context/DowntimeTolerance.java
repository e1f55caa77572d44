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

    /**
     * A maintenance window.
     *
     * @param length the window
     * @param used   how much of it earlier operations of the same plan already block traffic for
     *               (set while a plan is compiled, so that the operations together fit in it)
     */
    record MaintenanceWindow(Duration length, Duration used) implements DowntimeTolerance {
        public MaintenanceWindow {
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(used, "used");
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("a maintenance window must be longer than zero");
            }
            if (used.isNegative()) {
                throw new IllegalArgumentException("the used part of a maintenance window cannot be negative");
            }
        }

        public MaintenanceWindow(Duration length) {
            this(length, Duration.ZERO);
        }

        /** What is left of the window for the next operation. */
        public Duration remaining() {
            Duration left = length.minus(used);
            return left.isNegative() ? Duration.ZERO : left;
        }

        /** The same window with {@code more} of it used. */
        public MaintenanceWindow using(Duration more) {
            return new MaintenanceWindow(length, used.plus(more));
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
