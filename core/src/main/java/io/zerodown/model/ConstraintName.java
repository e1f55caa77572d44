package io.zerodown.model;

import java.util.Objects;

/** The name of a constraint, as the catalog stores it (see {@link SqlName}). */
public record ConstraintName(String value) implements SqlName, Comparable<ConstraintName> {

    public ConstraintName {
        Objects.requireNonNull(value, "constraint name");
    }

    public static ConstraintName of(String value) {
        return new ConstraintName(value);
    }

    @Override
    public int compareTo(ConstraintName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
