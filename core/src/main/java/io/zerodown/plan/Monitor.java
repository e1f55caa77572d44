package io.zerodown.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * Something to watch while the migration runs.
 *
 * @param what     what it shows
 * @param sql      a query that shows it, when there is one
 * @param watchFor the values that mean trouble
 */
public record Monitor(String what, Optional<String> sql, String watchFor) {

    public Monitor {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(watchFor, "watchFor");
    }

    public static Monitor query(String what, String sql, String watchFor) {
        return new Monitor(what, Optional.of(sql), watchFor);
    }

    public static Monitor metric(String what, String watchFor) {
        return new Monitor(what, Optional.empty(), watchFor);
    }
}
