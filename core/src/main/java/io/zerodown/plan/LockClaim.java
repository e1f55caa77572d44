package io.zerodown.plan;

import java.util.Objects;

/**
 * The lock a step takes on one relation, what it does under it and for how long: the claim the
 * risk assessment makes, and that the dialect's tests check on a real server.
 *
 * @param relation the table or index name, unquoted
 * @param mode     the strongest lock mode the step takes on it
 * @param work     what happens to the data while the lock is held
 * @param duration how long it is held once granted
 */
public record LockClaim(String relation, LockMode mode, TableWork work, LockDuration duration) {

    public LockClaim {
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(duration, "duration");
    }

    public Blocking blocks() {
        return mode.blocks();
    }

    /** True when the lock blocks reads or writes for time that grows with the table. */
    public boolean blocksForLong() {
        return mode.blocks() != Blocking.NOTHING && duration instanceof LockDuration.ProportionalToRows;
    }

    public String describe() {
        return relation + ": " + mode.displayName() + " (" + mode.blocks().description() + "), "
                + work.description() + ", held " + duration.describe();
    }
}
