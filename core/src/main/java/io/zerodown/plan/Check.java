package io.zerodown.plan;

import java.util.Objects;

/**
 * A query with the result that means all is well: used as a pre-check before a migration and as
 * a verification after it.
 *
 * @param description what it checks
 * @param sql         the query; its first row's first column is compared with {@code expected}
 * @param expected    the result that means success
 * @param ifFailed    what to do when it returns anything else
 */
public record Check(String description, String sql, Expectation expected, String ifFailed) {

    public Check {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(ifFailed, "ifFailed");
    }
}
