package org.pnnedge.runtime.service;

import java.util.Arrays;

/**
 * Inference counters and a window of recent latencies for telemetry (p50/p95/p99). Recording allocates
 * nothing; {@link #snapshot} does (it runs every telemetry interval, not per inference). Thread-safe.
 */
public final class LatencyStats {
    private final long[] window;
    private int next;
    private int filled;
    private long count;
    private long errors;

    public LatencyStats(int windowSize) {
        if (windowSize < 1) {
            throw new IllegalArgumentException("window must hold at least one latency");
        }
        this.window = new long[windowSize];
    }

    public synchronized void record(long nanos) {
        window[next] = nanos;
        next = (next + 1) % window.length;
        filled = Math.min(filled + 1, window.length);
        count++;
    }

    public synchronized void recordError() {
        errors++;
    }

    /** Inferences and errors since start, and latency percentiles (µs) over the window. */
    public record Snapshot(long inferences, long errors, double p50Micros, double p95Micros, double p99Micros,
                           double meanMicros, int window) {
    }

    public synchronized Snapshot snapshot() {
        if (filled == 0) {
            return new Snapshot(count, errors, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        long[] v = Arrays.copyOf(window, filled);
        Arrays.sort(v);
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        return new Snapshot(count, errors, pct(v, 0.50), pct(v, 0.95), pct(v, 0.99), mean / 1e3, filled);
    }

    private static double pct(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3;
    }
}
