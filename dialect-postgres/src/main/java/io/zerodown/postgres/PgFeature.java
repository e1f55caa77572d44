package io.zerodown.postgres;

import io.zerodown.model.context.Version;

/**
 * What a PostgreSQL version can do, as data: each feature with the first version that has it.
 * Checked by {@link PostgresFacts}; never by a scattered {@code if (major >= …)}.
 */
public enum PgFeature {
    /** {@code SET NOT NULL} skips its scan when a valid {@code CHECK (c IS NOT NULL)} exists. */
    NOT_NULL_FROM_VALID_CHECK(Version.of(12)),
    /** {@code REINDEX … CONCURRENTLY}. */
    REINDEX_CONCURRENTLY(Version.of(12)),
    /** {@code pg_stat_progress_create_index}. */
    CREATE_INDEX_PROGRESS_VIEW(Version.of(12)),
    /** {@code CREATE OR REPLACE TRIGGER}. */
    CREATE_OR_REPLACE_TRIGGER(Version.of(14)),
    /** {@code idle_session_timeout}. */
    IDLE_SESSION_TIMEOUT(Version.of(14)),
    /**
     * {@code CREATE VIEW … WITH (security_invoker = true)}: privileges and row-level security of the
     * view's tables are checked for the user of the view, not for its owner.
     */
    VIEW_SECURITY_INVOKER(Version.of(15)),
    /** {@code transaction_timeout}. */
    TRANSACTION_TIMEOUT(Version.of(17)),
    /** {@code ALTER TABLE … ADD … NOT NULL … NOT VALID}. */
    NOT_NULL_NOT_VALID(Version.of(18)),
    /** {@code ADD FOREIGN KEY … NOT VALID} on a partitioned table (refused on 12 and 15, accepted on 18: checked). */
    NOT_VALID_FOREIGN_KEY_ON_PARTITIONED_TABLE(Version.of(18)),
    /** {@code GENERATED ALWAYS AS (…) VIRTUAL}: computed on read, added without a rewrite. */
    VIRTUAL_GENERATED_COLUMN(Version.of(18)),
    /** {@code gen_random_uuid()} built in (before 13 it comes from the pgcrypto extension). */
    GEN_RANDOM_UUID_BUILT_IN(Version.of(13));

    private final Version since;

    PgFeature(Version since) {
        this.since = since;
    }

    public Version since() {
        return since;
    }
}
