package io.zerodown.dsl;

/** What a foreign key references. */
public interface ForeignKeyTarget {

    /** The referenced table and its columns (its primary key when none are given). */
    ForeignKeyOptions references(String table, String... columns);
}
