package org.pnnedge.fleet.dispatch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.tinylog.Logger;

/**
 * Warnings bounded in rate: per kind at most one line per interval, carrying how many occurred since the last line,
 * so a flood of bad requests or timeouts cannot fill the log.
 */
final class RateLog {
    private final long intervalNanos;
    private final ConcurrentHashMap<String, long[]> kinds = new ConcurrentHashMap<>();
    private final AtomicLong suppressed = new AtomicLong();

    RateLog(java.time.Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Logs {@code message} (a tinylog format) unless a line of this kind went out within the interval. */
    void warn(String kind, String message, Object... args) {
        long now = System.nanoTime();
        long[] s = kinds.computeIfAbsent(kind, k -> new long[] {now - intervalNanos, 0});
        long skipped;
        synchronized (s) {
            s[1]++;
            if (now - s[0] < intervalNanos) {
                suppressed.incrementAndGet();
                return;
            }
            s[0] = now;
            skipped = s[1] - 1;
            s[1] = 0;
        }
        Logger.warn(message + (skipped > 0 ? " (" + skipped + " more like it not logged; one line per kind per "
                + intervalNanos / 1_000_000_000L + " s)" : ""), args);
    }

    /** Lines not written because of the bound. */
    long suppressed() {
        return suppressed.get();
    }
}
