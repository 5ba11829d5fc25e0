package org.pnnedge.runtime.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.EnergyProfile;
import org.pnnedge.bridge.PhysicsKind;

/** The ledger's arithmetic against hand-computed values, its window statistics, and an allocation-free hot path. */
class EnergyLedgerTest {
    private static final EnergyProfile SHG = EnergyProfile.of(PhysicsKind.SHG, "benchtop");

    @Test
    void pricesDeviceLinkAndHostAsDocumented() {
        // 0.85 W per core (pi4), 326.7 pJ/bit at 10 MHz = 2.6136 nJ per byte
        EnergyLedger.Pricing p = EnergyLedger.Pricing.of(SHG, 0.85, 10e6, "pi4");
        assertEquals(8 * 326.7e-12, p.linkJoulesPerByte(), 1e-18);
        EnergyLedger l = new EnergyLedger(p, 8);
        // an inference of 2 shots that moved 194 bytes: device 2 × 1.46 J, link 194 × 2.6136 nJ
        l.begin(1000);
        l.end(1194, 2);
        EnergyLedger.Snapshot s = l.snapshot();
        assertEquals("modelled", s.deviceSource());
        assertEquals(2.92, s.deviceJoules(), 1e-12);
        assertEquals(194 * 8 * 326.7e-12, s.linkJoules(), 1e-15);
        assertTrue(s.hostJoules() >= 0 && s.hostJoules() < 0.85 * 0.1, "host share: CPU seconds × 0.85 W");
        assertEquals(s.deviceJoules() + s.linkJoules() + s.hostJoules(), s.meanJoules(), 1e-12);
        assertEquals(s.meanJoules(), s.totalJoules(), 1e-12);
        assertEquals(s.totalJoules() / 3.6e6, s.totalKilowattHours(), 1e-18);
    }

    @Test
    void measuredFiguresReplaceTheModelAndTheWindowGivesMeanAndP95() {
        EnergyLedger l = new EnergyLedger(new EnergyLedger.Pricing(SHG, 0, 0, "none"), 20);
        assertEquals(SHG.shotJoules(), l.snapshot().devicePerShot());
        l.measuredDevicePerShot(1.0);
        for (int shots = 1; shots <= 20; shots++) {
            l.begin(0);
            l.end(0, shots); // 1 J, 2 J, … 20 J: no host or link price
        }
        EnergyLedger.Snapshot s = l.snapshot();
        assertEquals("measured", s.deviceSource());
        assertEquals(10.5, s.meanJoules(), 1e-12);
        assertEquals(19.0, s.p95Joules(), 1e-12); // ceil(0.95 × 20) = 19th of 20 sorted
        assertEquals(210.0, s.totalJoules(), 1e-12);
        for (int i = 0; i < 20; i++) {
            l.begin(0);
            l.end(0, 1); // the window forgets, the total does not
        }
        assertEquals(1.0, l.snapshot().meanJoules(), 1e-12);
        assertEquals(230.0, l.snapshot().totalJoules(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> l.measuredDevicePerShot(Double.NaN));
    }

    @Test
    void beginAndEndAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open("emulator:shg?seed=1&timing=zero")) {
            EnergyLedger l = new EnergyLedger(EnergyLedger.Pricing.of(SHG, 0.85, 10e6, "pi4"), 64);
            for (int i = 0; i < 20_000; i++) {
                l.begin(link.bytesTransferred());
                l.end(link.bytesTransferred(), 1);
            }
            long tid = Thread.currentThread().threadId();
            long before = threads.getThreadAllocatedBytes(tid);
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                l.begin(link.bytesTransferred());
                l.end(link.bytesTransferred(), 1);
            }
            long bytes = threads.getThreadAllocatedBytes(tid) - before;
            assertTrue(bytes < n / 2, n + " ledger entries allocated " + bytes + " bytes");
        }
    }
}
