package io.zerodown.model;

import java.util.Objects;

/** The name of a function, as the catalog stores it (see {@link SqlName}). */
public record FunctionName(String value) implements SqlName, Comparable<FunctionName> {

    public FunctionName {
        Objects.requireNonNull(value, "function name");
    }

    public static FunctionName of(String value) {
        return new FunctionName(value);
    }

    @Override
    public int compareTo(FunctionName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
