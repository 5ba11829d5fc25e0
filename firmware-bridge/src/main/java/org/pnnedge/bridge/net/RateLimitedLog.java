package org.pnnedge.bridge.net;

import java.time.Duration;

import org.tinylog.Logger;

/**
 * A warning logged at most once per interval, with the number of warnings passed over since the last one, so a
 * flood of refused or failing connections cannot fill the disk with log lines.
 */
public final class RateLimitedLog {
    private final long intervalNanos;
    private long lastLog;
    private long unlogged;

    /** At most one warning per {@code interval}; the first one is logged at once. */
    public RateLimitedLog(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.lastLog = System.nanoTime() - intervalNanos;
    }

    /** Logs {@code message} as a warning, or counts it when the last one was logged less than an interval ago. */
    public synchronized void warn(String message) {
        long now = System.nanoTime();
        if (now - lastLog >= intervalNanos) {
            Logger.warn("{}{}", message, unlogged > 0 ? " (and " + unlogged + " more since the last report)" : "");
            lastLog = now;
            unlogged = 0;
        } else {
            unlogged++;
        }
    }
}
