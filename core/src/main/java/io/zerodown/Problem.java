package io.zerodown;

import java.util.Objects;

/**
 * One thing wrong with a migration: where it is and what is wrong, with what to do about it.
 *
 * @param location where: {@code "operation 2 (create index on users)"}, {@code "DDL statement 3 (line 7)"}
 * @param message  what is wrong and, where possible, how to fix it
 */
public record Problem(String location, String message) {

    public Problem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
