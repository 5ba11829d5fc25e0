package org.pnnedge.fleet.rollout;

import java.time.Duration;

import org.pnnedge.fleet.rollout.RolloutException.Kind;

/**
 * How hard a stage pushes its bundle (fleet.md, "Re-sends"): a device without a verdict is sent the bundle again
 * after {@code first}, then after twice that, and so on up to {@code max} between two sends, at most
 * {@code maxResends} times per stage; and over the whole stage (first sends and re-sends together) at most
 * {@code sendsPerSecond} bundles leave the controller per second. The bounds keep a struggling cluster (a node
 * killed mid-stage) from being buried under re-sends of a 20 kB bundle. And at most {@code maxInFlight} devices
 * of a stage have been sent the bundle without answering yet: the next first sends wait for verdicts, so the
 * cluster never holds thousands of queued bundles (which a dying node takes with it, and which would all be due for a
 * re-send 30 s later although merely slow).
 *
 * @param first          the wait before the first re-send ({@code --resend-after})
 * @param max            the longest wait between two sends ({@code --resend-max-interval})
 * @param maxResends     re-sends per device per stage ({@code --max-resends}, 0 = never re-send)
 * @param sendsPerSecond bundles per second over the stage ({@code --max-send-rate}); the burst is one second's worth
 * @param maxInFlight    devices sent the bundle and still without a verdict, at most ({@code --max-in-flight})
 */
public record ResendPolicy(Duration first, Duration max, int maxResends, int sendsPerSecond, int maxInFlight) {
    /** Default of {@code --max-in-flight}. */
    public static final int DEFAULT_IN_FLIGHT = 500;
    /** The defaults of {@code pnn fleet rollout start}: 30 s, 60 s, 120 s, 120 s, 120 s; 200 bundles/s; 500 in flight. */
    public static final ResendPolicy DEFAULT = new ResendPolicy(Duration.ofSeconds(30), Duration.ofMinutes(2), 5, 200,
            DEFAULT_IN_FLIGHT);
    /** Upper bound of {@code --max-in-flight}. */
    public static final int MAX_IN_FLIGHT_LIMIT = 1_000_000;

    /** A policy with the default in-flight window. */
    public ResendPolicy(Duration first, Duration max, int maxResends, int sendsPerSecond) {
        this(first, max, maxResends, sendsPerSecond, DEFAULT_IN_FLIGHT);
    }
    /** Upper bound of {@code --max-resends}: more is a storm, whatever the interval. */
    public static final int MAX_RESENDS_LIMIT = 100;
    /** Upper bound of {@code --max-send-rate}. */
    public static final int MAX_RATE_LIMIT = 100_000;

    /** The defaults with another first interval (the older {@code --resend-after}-only form). */
    public static ResendPolicy after(Duration first) {
        return new ResendPolicy(first, first.compareTo(DEFAULT.max) > 0 ? first : DEFAULT.max, DEFAULT.maxResends,
                DEFAULT.sendsPerSecond, DEFAULT.maxInFlight);
    }

    /** Refuses a policy that cannot be followed, with a message naming the option. */
    public ResendPolicy check() throws RolloutException {
        if (first == null || first.isNegative() || first.isZero()) {
            throw new RolloutException(Kind.BAD_OPTION, "--resend-after must be > 0, got " + first);
        }
        if (max == null || max.compareTo(first) < 0) {
            throw new RolloutException(Kind.BAD_OPTION, "--resend-max-interval must be ≥ --resend-after (" + first
                    + "), got " + max);
        }
        if (maxResends < 0 || maxResends > MAX_RESENDS_LIMIT) {
            throw new RolloutException(Kind.BAD_OPTION, "--max-resends must be 0.." + MAX_RESENDS_LIMIT + ", got "
                    + maxResends);
        }
        if (sendsPerSecond < 1 || sendsPerSecond > MAX_RATE_LIMIT) {
            throw new RolloutException(Kind.BAD_OPTION, "--max-send-rate must be 1.." + MAX_RATE_LIMIT
                    + " bundles per second, got " + sendsPerSecond);
        }
        if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_LIMIT) {
            throw new RolloutException(Kind.BAD_OPTION, "--max-in-flight must be 1.." + MAX_IN_FLIGHT_LIMIT
                    + " devices, got " + maxInFlight);
        }
        return this;
    }

    /** The wait after a device's latest send when it has had {@code resends} re-sends: first · 2^resends, capped. */
    public Duration interval(int resends) {
        Duration d = first;
        for (int i = 0; i < resends && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
