package io.zerodown.dsl;

/** Options of an index; any other change can follow. */
public interface CreateIndexOptions extends TableChanges {

    /** The index name (default: the dialect's convention, e.g. {@code users_last_name_idx}). */
    CreateIndexOptions named(String name);

    /** Makes it a unique index. */
    CreateIndexOptions unique();

    /** Makes it a partial index over the rows where {@code predicate} holds. */
    CreateIndexOptions where(String predicate);

    /** The access method, e.g. {@code gin} (default {@code btree}). */
    CreateIndexOptions using(String method);
}
