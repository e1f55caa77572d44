package io.zerodown.model;

import java.util.Objects;

/** The name of a index, as the catalog stores it (see {@link SqlName}). */
public record IndexName(String value) implements SqlName, Comparable<IndexName> {

    public IndexName {
        Objects.requireNonNull(value, "index name");
    }

    public static IndexName of(String value) {
        return new IndexName(value);
    }

    @Override
    public int compareTo(IndexName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
