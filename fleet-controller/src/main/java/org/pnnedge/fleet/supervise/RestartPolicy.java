package org.pnnedge.fleet.supervise;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * When a dead child is started again: after a back-off of 1 s doubling with each death within the last minute (1, 2,
 * 4, 8, 16 s), and not at all once it died more than {@link #MAX_DEATHS_PER_MINUTE} times within one minute —
 * a child that dies that fast has a cause no restart cures (a database that is gone, a broken configuration), and
 * the supervisor then says so in {@code status.json} instead of burning the machine's two cores on JVM starts.
 * Not thread-safe: the supervisor's loop owns it.
 */
public final class RestartPolicy {
    public static final int MAX_DEATHS_PER_MINUTE = 5;
    static final long WINDOW_NANOS = 60_000_000_000L;
    static final long FIRST_DELAY_NANOS = 1_000_000_000L;

    private final Deque<Long> deaths = new ArrayDeque<>();

    /**
     * A death at {@code nowNanos} ({@link System#nanoTime}); returns when to start again, or empty: give up.
     */
    public OptionalLong died(long nowNanos) {
        while (!deaths.isEmpty() && nowNanos - deaths.peekFirst() > WINDOW_NANOS) {
            deaths.removeFirst();
        }
        deaths.addLast(nowNanos);
        int n = deaths.size();
        if (n > MAX_DEATHS_PER_MINUTE) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(nowNanos + (FIRST_DELAY_NANOS << (n - 1)));
    }

    /** Deaths within the last minute as of the last {@link #died} call. */
    public int recentDeaths() {
        return deaths.size();
    }
}
