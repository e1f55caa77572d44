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

    /**
     * What the claim blocks for other sessions: the mode's effect, and for an UPDATE of every row
     * in one statement also writes, since it holds a row lock on every row until it commits.
     */
    public Blocking blocks() {
        if (work == TableWork.FULL_UPDATE && mode.blocks() == Blocking.NOTHING) {
            return Blocking.WRITES;
        }
        return mode.blocks();
    }

    /** True when the lock blocks reads or writes for time that grows with the table. */
    public boolean blocksForLong() {
        return blocks() != Blocking.NOTHING && duration instanceof LockDuration.ProportionalToRows;
    }

    public String describe() {
        return relation + ": " + mode.displayName() + (work == TableWork.FULL_UPDATE ? " and a lock on every row" : "")
                + " (" + blocks().description() + "), "
                + work.description() + ", held " + duration.describe();
    }
}
