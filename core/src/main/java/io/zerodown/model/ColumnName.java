package io.zerodown.model;

import java.util.Objects;

/** The name of a column, as the catalog stores it (see {@link SqlName}). */
public record ColumnName(String value) implements SqlName, Comparable<ColumnName> {

    public ColumnName {
        Objects.requireNonNull(value, "column name");
    }

    public static ColumnName of(String value) {
        return new ColumnName(value);
    }

    @Override
    public int compareTo(ColumnName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
