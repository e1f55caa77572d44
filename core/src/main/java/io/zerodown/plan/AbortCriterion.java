package io.zerodown.plan;

import java.util.Objects;

/** When to stop the migration, and what to do then. */
public record AbortCriterion(String when, String action) {

    public AbortCriterion {
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(action, "action");
    }
}
