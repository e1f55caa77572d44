package io.zerodown.model;

import java.util.Objects;

/** The name of a table, as the catalog stores it (see {@link SqlName}). */
public record TableName(String value) implements SqlName, Comparable<TableName> {

    public TableName {
        Objects.requireNonNull(value, "table name");
    }

    public static TableName of(String value) {
        return new TableName(value);
    }

    @Override
    public int compareTo(TableName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
