package io.zerodown.plan;

import java.util.Objects;

/**
 * A check that must pass right before a step runs, not before the whole migration: it belongs to
 * an operation whose table an earlier operation of the same plan changes first (a backfill that
 * fills the NULLs a later NOT NULL would reject, say), so its answer at the start would be wrong.
 *
 * @param stepId the step it guards: the first step of its operation in the up script
 * @param check  the check
 */
public record CheckBeforeStep(String stepId, Check check) {

    public CheckBeforeStep {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(check, "check");
    }
}
