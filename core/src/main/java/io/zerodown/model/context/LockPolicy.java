package io.zerodown.model.context;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a statement may wait for a blocking lock, and how it retries.
 *
 * <p>A statement waiting for an exclusive lock makes every later request on the table queue
 * behind it, plain reads included; {@code lockTimeout} bounds that stall. On a timeout the unit
 * is retried up to {@code attempts} times, sleeping a random time between half and all of
 * {@code min(maxBackoff, firstBackoff * 2^attempt)} (exponential backoff with jitter, so that
 * several migrations or replicas do not retry in step).
 */
public record LockPolicy(Duration lockTimeout, int attempts, Duration firstBackoff, Duration maxBackoff) {

    public LockPolicy {
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
    }

    /** 1 s lock timeout, 10 attempts, backoff from 200 ms up to 30 s. */
    public static LockPolicy defaults() {
        return new LockPolicy(Duration.ofSeconds(1), 10, Duration.ofMillis(200), Duration.ofSeconds(30));
    }

    /** The longest a unit can spend waiting and sleeping before it gives up. */
    public Duration worstCaseWait() {
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            total = total.plus(lockTimeout);
            if (attempt < attempts) {
                long backoff = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() * (1L << Math.min(attempt, 30)));
                total = total.plusMillis(backoff);
            }
        }
        return total;
    }
}
