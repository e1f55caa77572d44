package io.zerodown.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How a step is undone: by other steps (perhaps losing data), or not at all. */
public sealed interface Inverse {

    /** Nothing to undo: the step changed neither schema nor data (a check, a repair of a failed build). */
    static Inverse nothing() {
        return new Steps(List.of(), Optional.empty());
    }

    static Inverse steps(Step... steps) {
        return new Steps(List.of(steps), Optional.empty());
    }

    /** Undone by these steps, which lose the data described. */
    static Inverse lossy(String dataLoss, Step... steps) {
        return new Steps(List.of(steps), Optional.of(dataLoss));
    }

    static Inverse irreversible(String reason) {
        return new Irreversible(reason);
    }

    /** Undone by running {@code steps} in order; {@code dataLoss} says what is lost, if anything. */
    record Steps(List<Step> steps, Optional<String> dataLoss) implements Inverse {
        public Steps {
            steps = List.copyOf(steps);
            Objects.requireNonNull(dataLoss, "dataLoss");
        }
    }

    /** Cannot be undone; {@code reason} says why (and what a person could do instead). */
    record Irreversible(String reason) implements Inverse {
        public Irreversible {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
