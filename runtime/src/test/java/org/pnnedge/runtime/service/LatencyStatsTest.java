package org.pnnedge.runtime.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void percentilesOverTheWindow() {
        LatencyStats s = new LatencyStats(100);
        assertTrue(Double.isNaN(s.snapshot().p50Micros()));
        for (int i = 1; i <= 1000; i++) {
            s.record(i * 1000L); // 1..1000 µs; the window keeps the last 100 (901..1000)
        }
        s.recordError();
        LatencyStats.Snapshot snap = s.snapshot();
        assertEquals(1000, snap.inferences());
        assertEquals(1, snap.errors());
        assertEquals(100, snap.window());
        assertEquals(950, snap.p50Micros(), 1e-9);
        assertEquals(995, snap.p95Micros(), 1e-9);
        assertEquals(999, snap.p99Micros(), 1e-9);
        assertEquals(950.5, snap.meanMicros(), 1e-9);
    }
}
