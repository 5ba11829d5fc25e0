package org.pnnedge.bridge.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pnnedge.bridge.AnswerCodec;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.EnergyCounters;
import org.pnnedge.bridge.EnergyProfile;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Payloads;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;

/**
 * Protocol 2's energy counters (READ_ENERGY) over both transports, and the version negotiation both ways: a
 * version-2 host serves version-1 firmware (no counters: the host falls back to the model), and version-2 firmware
 * answers a version-1 host as a version-1 device.
 */
class EnergyProtocolTest {
    private static EmulatorConfig.Builder quiet(PhysicsKind kind) {
        return EmulatorConfig.builder(kind).seed(3).noise(false).drift(false).timing(Timing.ZERO);
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void countersGrowByTheProfilesShotEnergyPerSlot(Rig.Kind transport) throws Exception {
        for (PhysicsKind kind : PhysicsKind.values()) {
            try (Rig rig = Rig.open(transport, quiet(kind).energy("benchtop").build(), Rig.fastOptions())) {
                DeviceLink link = rig.link;
                DeviceInfo info = link.info();
                assertEquals(2, info.protocolVersion());
                assertTrue(info.energyCounter());
                EnergyProfile p = EnergyProfile.of(kind, "benchtop");
                int[] params = new int[info.params()];
                link.loadParams(1, params);
                link.loadParams(4, params);
                EnergyCounters before = link.energy().orElseThrow();
                assertEquals(info.slots(), before.slots());
                int[] in = new int[info.inputs()];
                for (int i = 0; i < 5; i++) {
                    link.shot(1, in);
                }
                link.shotBatch(4, new int[3][info.inputs()]);
                EnergyCounters after = link.energy().orElseThrow();
                // nJ on the wire: compare within rounding
                assertEquals(5 * p.shotJoules() * 1e6, after.slot(1) - before.slot(1), 2e-3);
                assertEquals(3 * p.shotJoules() * 1e6, after.slot(4) - before.slot(4), 2e-3);
                assertEquals(p.loadJoules() * 1e6, before.slot(1), 2e-3);
                assertEquals(0, after.slot(0));
                double slots = 0;
                for (double v : after.slotMicrojoules()) {
                    slots += v;
                }
                assertTrue(after.totalMicrojoules() > slots, "the total also holds each request's overhead");
                link.reset();
                EnergyCounters booted = link.energy().orElseThrow();
                assertEquals(0, booted.slot(1), "counters restart at a boot");
                // what is left is the overhead of the one request since (READ_ENERGY itself, 150 µs)
                assertEquals(p.requestJoules(150e-6) * 1e6, booted.totalMicrojoules(), 2e-3);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void aVersionTwoHostServesVersionOneFirmwareWithoutCounters(Rig.Kind transport) throws Exception {
        try (Rig rig = Rig.open(transport, quiet(PhysicsKind.SHG).protocolVersion(1).build(), Rig.fastOptions())) {
            DeviceLink link = rig.link;
            assertEquals(1, link.info().protocolVersion());
            assertFalse(link.info().energyCounter());
            assertTrue(link.energy().isEmpty());
            link.loadParams(0, new int[link.info().params()]);
            assertEquals(link.info().outputs(), link.shot(0, new int[link.info().inputs()]).length);
            assertTrue(link.sensors().temperatureC() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void firmwareWithoutCountersIsServedTooAndSaysSo(Rig.Kind transport) throws Exception {
        try (Rig rig = Rig.open(transport, quiet(PhysicsKind.CIRCUIT).energy("off").build(), Rig.fastOptions())) {
            assertEquals(2, rig.link.info().protocolVersion());
            assertFalse(rig.link.info().energyCounter());
            assertTrue(rig.link.energy().isEmpty());
        }
    }

    @org.junit.jupiter.api.Test
    void aVersionOneHostSeesAVersionOneDevice() {
        EmulatedDevice device = new EmulatedDevice(quiet(PhysicsKind.SHG).build());
        try (InProcessTransport t = new InProcessTransport(device, "old host")) {
            byte[] rx = new byte[FrameCodec.MAX_FRAME];
            byte[] id = v1Request(Opcode.IDENTIFY, 1);
            t.send(id, id.length);
            int n = t.receive(rx, 1_000_000_000L);
            assertEquals(null, FrameCodec.check(rx, n));
            assertEquals(1, FrameCodec.version(rx), "answered in the request's version");
            DeviceInfo seen = AnswerCodec.readIdentity(rx, FrameCodec.PAYLOAD_OFFSET, FrameCodec.payloadLength(rx));
            assertEquals(1, seen.protocolVersion());
            assertFalse(seen.energyCounter());
            assertEquals(0, rx[FrameCodec.PAYLOAD_OFFSET + 13] & Payloads.CAP_ENERGY, "no version-2 capability bits");

            byte[] energy = v1Request(Opcode.READ_ENERGY, 2);
            t.send(energy, energy.length);
            n = t.receive(rx, 1_000_000_000L);
            assertEquals(null, FrameCodec.check(rx, n));
            assertEquals(Status.UNKNOWN_OPCODE.code(), FrameCodec.status(rx), "READ_ENERGY is not part of version 1");
        }
    }

    private static byte[] v1Request(Opcode op, int seq) {
        byte[] f = new byte[FrameCodec.OVERHEAD];
        FrameCodec.seal(f, 1, op.code(), seq, 0, 0);
        return f;
    }
}
