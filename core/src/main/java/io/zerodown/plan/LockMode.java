package io.zerodown.plan;

/**
 * A lock mode of a dialect ({@code ACCESS EXCLUSIVE} on PostgreSQL, an exclusive metadata lock on
 * MySQL, the database write lock on SQLite). Implemented by each dialect's enum of modes.
 */
public interface LockMode {

    /** The mode as the database names it. */
    String displayName();

    /** What it blocks for other sessions while held. */
    Blocking blocks();
}
