package io.zerodown.dsl;

/** The definition of a new table; any other change can follow. */
public interface CreateTableOptions extends TableChanges {

    /** A column, nullable until {@link #notNull()} says otherwise. */
    CreateTableOptions column(String name, String type);

    /** Makes the last column NOT NULL. */
    CreateTableOptions notNull();

    /** Gives the last column a default (an SQL expression). */
    CreateTableOptions defaultValue(String expression);

    /** The primary key (its columns become NOT NULL). */
    CreateTableOptions primaryKey(String... columns);

    /** A UNIQUE constraint. */
    CreateTableOptions unique(String... columns);
}
