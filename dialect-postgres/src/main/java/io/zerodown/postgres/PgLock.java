package io.zerodown.postgres;

import io.zerodown.plan.Blocking;
import io.zerodown.plan.LockMode;

/**
 * PostgreSQL's table-level lock modes, weakest first, with what each blocks for other sessions
 * (https://www.postgresql.org/docs/current/explicit-locking.html).
 */
public enum PgLock implements LockMode {
    ACCESS_SHARE("ACCESS SHARE", "AccessShareLock", Blocking.NOTHING),
    ROW_SHARE("ROW SHARE", "RowShareLock", Blocking.NOTHING),
    ROW_EXCLUSIVE("ROW EXCLUSIVE", "RowExclusiveLock", Blocking.NOTHING),
    /** Conflicts with itself, VACUUM and other DDL; ordinary reads and writes go on. */
    SHARE_UPDATE_EXCLUSIVE("SHARE UPDATE EXCLUSIVE", "ShareUpdateExclusiveLock", Blocking.NOTHING),
    SHARE("SHARE", "ShareLock", Blocking.WRITES),
    SHARE_ROW_EXCLUSIVE("SHARE ROW EXCLUSIVE", "ShareRowExclusiveLock", Blocking.WRITES),
    /** Blocks writes and {@code SELECT … FOR UPDATE/SHARE}; plain reads go on. */
    EXCLUSIVE("EXCLUSIVE", "ExclusiveLock", Blocking.WRITES),
    ACCESS_EXCLUSIVE("ACCESS EXCLUSIVE", "AccessExclusiveLock", Blocking.READS_AND_WRITES);

    private final String displayName;
    private final String pgLocksMode;
    private final Blocking blocks;

    PgLock(String displayName, String pgLocksMode, Blocking blocks) {
        this.displayName = displayName;
        this.pgLocksMode = pgLocksMode;
        this.blocks = blocks;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public Blocking blocks() {
        return blocks;
    }

    /** The mode as {@code pg_locks.mode} names it. */
    public String pgLocksMode() {
        return pgLocksMode;
    }

    /** Whether statements taking this mode must run under {@code lock_timeout} (it blocks, or queues others behind it). */
    public boolean needsLockTimeout() {
        return this == SHARE || this == SHARE_ROW_EXCLUSIVE || this == EXCLUSIVE || this == ACCESS_EXCLUSIVE;
    }

    /** The mode named as in {@code pg_locks.mode}. */
    public static PgLock fromPgLocks(String mode) {
        for (PgLock lock : values()) {
            if (lock.pgLocksMode.equals(mode)) {
                return lock;
            }
        }
        throw new IllegalArgumentException("unknown pg_locks mode " + mode);
    }
}
