package org.pnnedge.bridge.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pnnedge.bridge.StatusAssertions.assertRefused;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.SelfTestReport;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.Sensors;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.protocol.Status;

/** Every opcode over the in-process and TCP transports, for both physics (Pi4J: Pi4jSpiTransportTest). */
class OpcodesOverTransportsTest {
    static Stream<Arguments> rigs() {
        return Stream.of(Rig.Kind.values()).flatMap(t -> Stream.of(PhysicsKind.values()).map(p -> Arguments.of(t, p)));
    }

    static EmulatorConfig quiet(PhysicsKind kind, long seed) {
        return EmulatorConfig.builder(kind).seed(seed).noise(false).drift(false).timing(Timing.ZERO).build();
    }

    static int[] random(SplittableRandom r, int n, int max) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(max + 1);
        }
        return v;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rigs")
    void everyOpcode(Rig.Kind transport, PhysicsKind kind) throws Exception {
        try (Rig rig = Rig.open(transport, quiet(kind, 11), Rig.fastOptions())) {
            DeviceLink link = rig.link;
            DeviceInfo info = link.identify();
            assertEquals(kind, info.kind());
            assertEquals(rig.device.info(), info);
            assertTrue(info.emulated());

            SplittableRandom r = new SplittableRandom(5);
            int[] params = random(r, info.params(), info.maxDacCode());
            link.loadParams(3, params);
            int[] input = random(r, info.inputs(), info.maxDacCode());
            int[] out = link.shot(3, input);
            assertEquals(info.outputs(), out.length);
            for (int o : out) {
                assertTrue(o >= 0 && o <= info.maxAdcCode());
            }
            assertArrayEquals(out, link.shot(3, input), "noise off: same input, same output");

            // a batch larger than the device's limit is split transparently and matches single shots
            int n = info.maxBatch() + 7;
            int[][] inputs = new int[n][];
            for (int i = 0; i < n; i++) {
                inputs[i] = i == n - 1 ? input : random(r, info.inputs(), info.maxDacCode());
            }
            int[][] outs = link.shotBatch(3, inputs);
            assertEquals(n, outs.length);
            assertArrayEquals(out, outs[n - 1]);
            assertArrayEquals(link.shot(3, inputs[5]), outs[5]);

            assertEquals(0, link.verifyParams(), "SLOT_CHECKSUMS: every loaded slot holds what the link loaded");

            Sensors s = link.sensors();
            assertEquals(22.0, s.temperatureC(), 0.5);
            assertTrue(s.get(Sensor.SHOT_COUNT).getAsDouble() >= n + 3);
            assertTrue(s.get(kind == PhysicsKind.SHG ? Sensor.LASER_POWER : Sensor.SUPPLY_VOLTAGE).isPresent());

            SelfTestReport st = link.selfTest();
            assertTrue(st.passed(), () -> "self test: " + st);
            assertFalse(st.checks().isEmpty());

            link.lab().orElseThrow().setAmbientTemperature(40);
            link.lab().orElseThrow().advanceClock(3600);
            double warmed = link.sensors().temperatureC();
            assertTrue(warmed > 39, "device follows ambient after an hour: " + warmed);

            double boots = link.sensors().get(Sensor.BOOT_COUNT).getAsDouble();
            link.reset();
            assertEquals(boots + 1, link.sensors().get(Sensor.BOOT_COUNT).getAsDouble());
            // after an explicit reset the slots are empty and the link forgets them
            assertRefused(Status.SLOT_EMPTY, () -> link.shot(3, input));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rigs")
    void transportsAgreeByteForByte(Rig.Kind transport, PhysicsKind kind) throws Exception {
        try (Rig a = Rig.open(Rig.Kind.IN_PROCESS, quiet(kind, 99), Rig.fastOptions());
             Rig b = Rig.open(transport, quiet(kind, 99), Rig.fastOptions())) {
            SplittableRandom r = new SplittableRandom(1);
            DeviceInfo info = a.link.info();
            int[] params = random(r, info.params(), info.maxDacCode());
            a.link.loadParams(0, params);
            b.link.loadParams(0, params);
            for (int i = 0; i < 20; i++) {
                int[] in = random(r, info.inputs(), info.maxDacCode());
                assertArrayEquals(a.link.shot(0, in), b.link.shot(0, in));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rigs")
    void seedsGiveDifferentDevices(Rig.Kind transport, PhysicsKind kind) throws Exception {
        try (Rig a = Rig.open(transport, quiet(kind, 1), Rig.fastOptions());
             Rig b = Rig.open(transport, quiet(kind, 2), Rig.fastOptions())) {
            assertNotEquals(a.link.info().serial(), b.link.info().serial());
            SplittableRandom r = new SplittableRandom(1);
            int[] params = random(r, a.link.info().params(), 4095);
            int[] in = random(r, a.link.info().inputs(), 4095);
            a.link.loadParams(0, params);
            b.link.loadParams(0, params);
            assertFalse(java.util.Arrays.equals(a.link.shot(0, in), b.link.shot(0, in)),
                    "manufacturing mismatch must make two seeds differ");
        }
    }
}
