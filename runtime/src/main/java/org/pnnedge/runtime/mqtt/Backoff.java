package org.pnnedge.runtime.mqtt;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect back-off with "full jitter": the wait before reconnect attempt {@code n} (0 = the first after a lost
 * connection) is uniform in {@code [0, min(max, first · 2^n)]}. Without the random part every device of a broker
 * node that dies reconnects to the surviving nodes in the same instant, and again in lockstep after each failure;
 * spread over the window, the surviving nodes see a steady rate of logins instead of one wall (fleet.md,
 * "Reconnects after a node dies"). Used by the runtime's connection supervisor and the fleet simulator's agents.
 *
 * @param first the window of the first attempt after a lost connection
 * @param max   the widest window, reached after doubling
 */
public record Backoff(Duration first, Duration max) {
    /** The runtime's default (mqtt.reconnect min delay 1 s, max delay 60 s); the fleet simulator's agents use it too. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    /** Refuses a zero or negative window and a {@code max} below {@code first}. */
    public Backoff {
        if (first == null || max == null || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < first ≤ max, got first " + first + ", max " + max);
        }
    }

    /** The window of attempt {@code attempt}: {@code first · 2^attempt}, at most {@code max}. */
    public Duration window(int attempt) {
        long f = first.toMillis();
        long w = attempt >= 62 || f > (max.toMillis() >> Math.min(attempt, 62)) ? max.toMillis() : f << attempt;
        return Duration.ofMillis(Math.min(w, max.toMillis()));
    }

    /** The wait before attempt {@code attempt}: uniform in {@code [0, window(attempt)]}. */
    public Duration delay(int attempt, RandomGenerator random) {
        return Duration.ofMillis(random.nextLong(window(Math.max(0, attempt)).toMillis() + 1));
    }
}
