package io.zerodown.plan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An SQL script of a package: its steps, and the SQL text rendered from them by the dialect.
 *
 * @param fileName           the suggested file name
 * @param steps              the steps, in order
 * @param sql                the whole script, ready to run
 * @param estimatedRunTime   the sum of the steps' estimates
 * @param blockingLockTime   the longest any step holds a lock that blocks reads or writes, once granted
 */
public record Script(String fileName, List<Step> steps, String sql, Duration estimatedRunTime, Duration blockingLockTime) {

    public Script {
        Objects.requireNonNull(fileName, "fileName");
        steps = List.copyOf(steps);
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(estimatedRunTime, "estimatedRunTime");
        Objects.requireNonNull(blockingLockTime, "blockingLockTime");
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
