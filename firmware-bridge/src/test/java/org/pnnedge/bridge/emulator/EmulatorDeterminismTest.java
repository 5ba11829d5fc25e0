package org.pnnedge.bridge.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LabControl;
import org.pnnedge.bridge.LinkStats;
import org.pnnedge.bridge.SelfTestCheck;
import org.pnnedge.bridge.SensorReading;

/**
 * Pins what the emulator answers for a seed, bit for bit: shots (noise, mismatch, drift), sensors, self test, and
 * the fault injector's effect on the link counters. Written before EmulatedDevice was split into firmware, link
 * faults and world; any change of a number here means the seeded random sequences or the physics changed.
 */
class EmulatorDeterminismTest {

    @Test
    void shgSeed1() {
        assertEquals("d2874f23 b044a085 [requests=208, retries=0, timeouts=0]", fingerprint("emulator:shg?seed=1&timing=zero"));
    }

    @Test
    void circuitSeed7() {
        assertEquals("43a9cd35 a9af9316 [requests=208, retries=0, timeouts=0]", fingerprint("emulator:circuit?seed=7&timing=zero"));
    }

    @Test
    void shgWithFaults() {
        assertEquals("4e7767a4 f5860557 [requests=219, retries=25, timeouts=14]", fingerprint("emulator:shg?seed=3&timing=zero&corrupt=0.0005&drop=0.02&reboot=0.01"
                + "&stuck=0.005&timeout=40&retries=6"));
    }

    @Test
    void circuitWithFaultsNoMismatch() {
        assertEquals("776fba2e 49143fdc [requests=214, retries=14, timeouts=7]", fingerprint("emulator:circuit?seed=11&timing=zero&mismatch=off&corrupt=0.0001&drop=0.01"
                + "&reboot=0.02&timeout=40&retries=6"));
    }

    @Test
    void sessionZeroIsTheFreshDeviceAndOtherSessionsAreTheSameUnitAtAnotherTime() {
        String shg = "emulator:shg?seed=1&timing=zero";
        assertEquals(fingerprint(shg), fingerprint(shg + "&session=0"));
        assertNotEquals(fingerprint(shg), fingerprint(shg + "&session=1"), "another session, other noise and drift");
        assertNotEquals(fingerprint(shg + "&session=1"), fingerprint(shg + "&session=2"));
        assertEquals(fingerprint(shg + "&session=3"), fingerprint(shg + "&session=3"), "a session is reproducible");
        // the unit does not change: without noise and drift every session answers alike
        for (String kind : new String[] {"shg?seed=1", "circuit?seed=7"}) {
            String still = "emulator:" + kind + "&timing=zero&noise=off&drift=off";
            assertEquals(fingerprint(still), fingerprint(still + "&session=5"), kind);
            // the slow drift alone moves the outputs: it starts elsewhere in another session
            String drifting = "emulator:" + kind + "&timing=zero&noise=off";
            assertNotEquals(fingerprint(drifting), fingerprint(drifting + "&session=5"), kind);
        }
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink a = ctx.open(shg);
             DeviceLink b = ctx.open(shg + "&session=4")) {
            assertEquals(a.info().serialHex(), b.info().serialHex(), "the same unit");
        }
    }

    @Test
    void aNegativeSessionIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmulatorConfig.builder(org.pnnedge.bridge.PhysicsKind.SHG).session(-1).build());
        assertTrue(e.getMessage().contains("session"), e.getMessage());
    }

    /** CRC of every output code and of every sensor and self-test value, plus the link counters. */
    static String fingerprint(String uri) {
        CRC32 shots = new CRC32();
        CRC32 readings = new CRC32();
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uri)) {
            DeviceInfo info = link.info();
            int max = info.maxDacCode();
            int[] params = new int[info.params()];
            for (int i = 0; i < params.length; i++) {
                params[i] = (i * 977 + 13) % (max + 1);
            }
            link.loadParams(0, params);
            link.loadParams(1, new int[info.params()]);
            LabControl lab = link.lab().orElseThrow();
            int[] input = new int[info.inputs()];
            for (int s = 0; s < 200; s++) {
                for (int i = 0; i < input.length; i++) {
                    input[i] = (s * 31 + i * 4099) % (max + 1);
                }
                add(shots, link.shot(s % 2, input));
                if (s == 100) {
                    lab.setAmbientTemperature(35.5);
                    lab.advanceClock(600);
                }
            }
            int[][] batch = new int[40][info.inputs()];
            for (int s = 0; s < batch.length; s++) {
                for (int i = 0; i < info.inputs(); i++) {
                    batch[s][i] = (s * 7919 + i * 131) % (max + 1);
                }
            }
            for (int[] row : link.shotBatch(0, batch)) {
                add(shots, row);
            }
            for (SensorReading r : link.sensors().readings()) {
                if (r.id() != 3) { // uptime counts boots, which the fault cases vary on purpose; pinned by shots
                    readings.update(r.id());
                    add(readings, Double.doubleToLongBits(r.value()));
                }
            }
            for (SelfTestCheck c : link.selfTest().checks()) {
                readings.update(c.id());
                add(readings, Double.doubleToLongBits(c.measured()));
            }
            LinkStats st = link.stats();
            return "%08x %08x [requests=%d, retries=%d, timeouts=%d]".formatted(shots.getValue(), readings.getValue(),
                    st.requests(), st.retries(), st.timeouts());
        }
    }

    private static void add(CRC32 crc, int[] codes) {
        for (int c : codes) {
            crc.update(c >>> 8);
            crc.update(c);
        }
    }

    private static void add(CRC32 crc, long v) {
        for (int b = 56; b >= 0; b -= 8) {
            crc.update((int) (v >>> b));
        }
    }
}
