package io.zerodown.plan;

import java.util.Objects;

/**
 * A change the application must make, and when: before or after a phase.
 *
 * @param timing        before or after {@code phase}
 * @param phase         the phase it is ordered against
 * @param change        what to change in the code
 * @param compatibility whether code that has not made the change keeps working, and until when
 */
public record AppChange(Timing timing, Phase phase, String change, String compatibility) {

    public AppChange {
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(compatibility, "compatibility");
    }

    public static AppChange before(Phase phase, String change, String compatibility) {
        return new AppChange(Timing.BEFORE, phase, change, compatibility);
    }

    public static AppChange after(Phase phase, String change, String compatibility) {
        return new AppChange(Timing.AFTER, phase, change, compatibility);
    }

    /** Position on the timeline: before a phase, or after it. */
    public enum Timing {
        BEFORE, AFTER
    }

    /** Sort key: the order in which the changes happen. */
    public int order() {
        return phase.ordinal() * 2 + (timing == Timing.AFTER ? 1 : 0);
    }
}
