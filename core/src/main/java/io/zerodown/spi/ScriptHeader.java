package io.zerodown.spi;

import java.util.List;
import java.util.Objects;

/**
 * The comment block at the top of a rendered script.
 *
 * @param title the script's purpose ({@code up}, {@code contract}, {@code down},
 *              {@code contract-down})
 * @param lines {@code key: value} lines (name, author, date, risk, estimated run time, lock duration, …)
 */
public record ScriptHeader(String title, List<String> lines) {

    public ScriptHeader {
        Objects.requireNonNull(title, "title");
        lines = List.copyOf(lines);
    }
}
