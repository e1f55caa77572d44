package io.zerodown.model;

import java.util.Objects;

/** The name of a trigger, as the catalog stores it (see {@link SqlName}). */
public record TriggerName(String value) implements SqlName, Comparable<TriggerName> {

    public TriggerName {
        Objects.requireNonNull(value, "trigger name");
    }

    public static TriggerName of(String value) {
        return new TriggerName(value);
    }

    @Override
    public int compareTo(TriggerName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
