package org.pnnedge.bridge;

import java.time.Duration;
import java.util.Objects;

/**
 * How patient a link is. Immutable; {@link #defaults()} suits real devices.
 *
 * @param responseTimeout      base wait for a response; each shot in the request adds twice the device's typical shot time
 * @param maxAttempts          sends of one request before giving up (1 = no retry)
 * @param timeoutsBeforeReset  consecutive timeouts after which the RESET line is pulsed and slots are reloaded
 * @param maxLineResets        line resets allowed within one request before it fails
 */
public record LinkOptions(Duration responseTimeout, int maxAttempts, int timeoutsBeforeReset, int maxLineResets) {
    public LinkOptions {
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("response timeout must be positive");
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be in 1..100, got " + maxAttempts);
        }
        if (timeoutsBeforeReset < 1) {
            throw new IllegalArgumentException("timeoutsBeforeReset must be >= 1");
        }
        if (maxLineResets < 0 || maxLineResets > 10) {
            throw new IllegalArgumentException("maxLineResets must be in 0..10");
        }
    }

    public static LinkOptions defaults() {
        return new LinkOptions(Duration.ofMillis(250), 4, 2, 2);
    }

    public LinkOptions withResponseTimeout(Duration d) {
        return new LinkOptions(d, maxAttempts, timeoutsBeforeReset, maxLineResets);
    }

    public LinkOptions withMaxAttempts(int n) {
        return new LinkOptions(responseTimeout, n, timeoutsBeforeReset, maxLineResets);
    }
}
