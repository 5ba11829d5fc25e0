package org.pnnedge.bridge.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pnnedge.bridge.DeviceTimeoutException;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.LinkStats;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.FaultConfig;
import org.pnnedge.bridge.emulator.Timing;

/**
 * Fault injection with recovery: results under faults must equal results without faults (noise off), and the
 * link's counters must show that the faults happened and were handled.
 */
class FaultRecoveryTest {
    private static final int SHOTS = 150;

    /** Reference outputs from a fault-free device with the same seed. */
    private static int[][] reference(int[] params, int[][] inputs) throws Exception {
        try (Rig rig = Rig.open(Rig.Kind.IN_PROCESS, config(FaultConfig.NONE), Rig.fastOptions())) {
            rig.link.loadParams(0, params);
            int[][] out = new int[inputs.length][];
            for (int i = 0; i < inputs.length; i++) {
                out[i] = rig.link.shot(0, inputs[i]);
            }
            return out;
        }
    }

    private static EmulatorConfig config(FaultConfig faults) {
        return EmulatorConfig.builder(PhysicsKind.SHG).seed(21).noise(false).drift(false).timing(Timing.ZERO)
                .faults(faults).build();
    }

    private static LinkStats runUnderFaults(Rig.Kind transport, FaultConfig faults) throws Exception {
        SplittableRandom r = new SplittableRandom(8);
        int[] params = OpcodesOverTransportsTest.random(r, 32, 4095);
        int[][] inputs = new int[SHOTS][];
        for (int i = 0; i < SHOTS; i++) {
            inputs[i] = OpcodesOverTransportsTest.random(r, 16, 4095);
        }
        int[][] expected = reference(params, inputs);
        try (Rig rig = Rig.open(transport, config(FaultConfig.NONE), Rig.fastOptions())) {
            rig.link.loadParams(0, params);
            rig.device.setFaults(faults);
            for (int i = 0; i < SHOTS; i++) {
                assertArrayEquals(expected[i], rig.link.shot(0, inputs[i]), "shot " + i + " under " + faults);
            }
            return rig.link.stats();
        }
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void corruptedBytesAreDetectedAndRetried(Rig.Kind transport) throws Exception {
        LinkStats s = runUnderFaults(transport, new FaultConfig(2e-3, 0, 0, 0));
        assertTrue(s.corruptFrames() > 0 && s.retries() > 0, s.toString());
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void droppedResponsesTimeOutAndAreRetried(Rig.Kind transport) throws Exception {
        LinkStats s = runUnderFaults(transport, new FaultConfig(0, 0.05, 0, 0));
        assertTrue(s.timeouts() > 0 && s.retries() > 0, s.toString());
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void stuckDataReadyIsClearedByTheResetLine(Rig.Kind transport) throws Exception {
        LinkStats s = runUnderFaults(transport, new FaultConfig(0, 0, 0.03, 0));
        assertTrue(s.lineResets() > 0 && s.paramReloads() > 0, s.toString());
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void spontaneousRebootLosesParametersAndTheLinkReloadsThem(Rig.Kind transport) throws Exception {
        LinkStats s = runUnderFaults(transport, new FaultConfig(0, 0, 0, 0.04));
        assertTrue(s.paramReloads() > 0, s.toString());
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void everythingAtOnce(Rig.Kind transport) throws Exception {
        LinkStats s = runUnderFaults(transport, new FaultConfig(5e-4, 0.02, 0.01, 0.01));
        assertTrue(s.retries() > 0, s.toString());
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void aDeadDeviceFailsWithinBoundedTimeInsteadOfHanging(Rig.Kind transport) throws Exception {
        LinkOptions opts = new LinkOptions(Duration.ofMillis(40), 3, 2, 2);
        try (Rig rig = Rig.open(transport, config(FaultConfig.NONE), opts)) {
            rig.link.loadParams(0, new int[32]);
            rig.device.setFaults(new FaultConfig(0, 1.0, 0, 0)); // never answers again
            DeviceTimeoutException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(DeviceTimeoutException.class, () -> rig.link.shot(0, new int[16])));
            assertTrue(e.getMessage().contains("SHOT"), e.getMessage());
            assertTrue(rig.link.stats().lineResets() == 2, rig.link.stats().toString());
        }
    }

    /**
     * A device that stays silent: each failed shot pulses RESET and fails to reload its slots, and every pulse and
     * failed reload is counted, but the log gets at most one line of each kind per 10 s, not about five per shot.
     */
    @Test
    void aSilentDeviceIsCountedButTheLogIsRateLimited() throws Exception {
        LinkOptions opts = new LinkOptions(Duration.ofMillis(10), 2, 1, 2);
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Rig rig = Rig.open(Rig.Kind.IN_PROCESS, config(FaultConfig.NONE), opts)) {
            rig.link.loadParams(0, new int[32]);
            rig.link.loadParams(1, new int[32]);
            rig.device.setFaults(new FaultConfig(0, 1.0, 0, 0)); // never answers again
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // tinylog's console looks it up
            for (int i = 0; i < 10; i++) {
                assertThrows(DeviceTimeoutException.class, () -> rig.link.shot(0, new int[16]));
            }
            System.setErr(err);
            String text = log.toString(StandardCharsets.UTF_8);
            long resets = text.lines().filter(l -> l.contains("pulsing RESET")).count();
            long reloads = text.lines().filter(l -> l.contains("after reset failed")).count();
            assertTrue(rig.link.stats().lineResets() >= 10, rig.link.stats().toString());
            assertTrue(resets == 1 && reloads == 1, resets + " RESET and " + reloads + " reload lines for "
                    + rig.link.stats().lineResets() + " resets:\n" + text);
        } finally {
            System.setErr(err);
        }
    }
}
