package org.pnnedge.bridge.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pnnedge.bridge.StatusAssertions.assertRefused;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.DeviceStatusException;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.protocol.Crc32c;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;

/** Raw malformed frames get a specific status from the firmware; the host maps each to a specific exception. */
class MalformedRequestTest {
    private EmulatedDevice device;
    private InProcessTransport wire;
    private final byte[] rx = new byte[FrameCodec.MAX_FRAME];

    @BeforeEach
    void setUp() {
        device = new EmulatedDevice(EmulatorConfig.builder(PhysicsKind.SHG).seed(4).noise(false)
                .timing(Timing.ZERO).build());
        wire = new InProcessTransport(device, "test");
    }

    /** Sends raw bytes and returns the status of the answer (which must echo the sequence number). */
    private int statusOf(byte[] frame, int len, int seq) {
        wire.send(frame, len);
        int n = wire.receive(rx, 100_000_000L);
        assertTrue(n > 0, "device must answer a malformed request");
        assertNull(FrameCodec.check(rx, n));
        assertEquals(seq, FrameCodec.seq(rx));
        return FrameCodec.status(rx);
    }

    private int send(int opcode, int seq, byte[] payload) {
        byte[] f = new byte[payload.length + FrameCodec.OVERHEAD];
        System.arraycopy(payload, 0, f, FrameCodec.PAYLOAD_OFFSET, payload.length);
        int len = FrameCodec.seal(f, opcode, seq, 0, payload.length);
        return statusOf(f, len, seq);
    }

    private static byte[] vector(int slot, int count, int code) {
        byte[] p = new byte[3 + 2 * count];
        p[0] = (byte) slot;
        FrameCodec.putU16(p, 1, count);
        for (int i = 0; i < count; i++) {
            FrameCodec.putU16(p, 3 + 2 * i, code);
        }
        return p;
    }

    @Test
    void badCrc() {
        byte[] f = new byte[FrameCodec.OVERHEAD];
        int len = FrameCodec.seal(f, Opcode.IDENTIFY.code(), 77, 0, 0);
        f[len - 1] ^= 1;
        assertEquals(Status.BAD_CRC.code(), statusOf(f, len, 77));
    }

    @Test
    void lengthFieldLongerThanTheBytesSent() {
        byte[] f = new byte[FrameCodec.OVERHEAD + 10];
        int len = FrameCodec.seal(f, Opcode.IDENTIFY.code(), 5, 0, 10);
        assertEquals(Status.BAD_LENGTH.code(), statusOf(f, len - 6, 5));
    }

    @Test
    void payloadOnAnOpcodeThatTakesNone() {
        assertEquals(Status.BAD_LENGTH.code(), send(Opcode.IDENTIFY.code(), 6, new byte[] {1}));
        assertEquals(Status.BAD_LENGTH.code(), send(Opcode.SLOT_CHECKSUMS.code(), 6, new byte[] {1}));
    }

    @Test
    void unknownOpcodeAndBridgeOnlyOpcode() {
        assertEquals(Status.UNKNOWN_OPCODE.code(), send(0x33, 7, new byte[0]));
        assertEquals(Status.UNKNOWN_OPCODE.code(), send(Opcode.LINE_RESET.code(), 8, new byte[0]));
        assertEquals(Status.UNKNOWN_OPCODE.code(), send(Opcode.SHOT.code() | 0x80, 9, new byte[0]));
    }

    @Test
    void unsupportedVersion() {
        byte[] f = new byte[FrameCodec.OVERHEAD];
        FrameCodec.seal(f, Opcode.IDENTIFY.code(), 10, 0, 0);
        f[2] = 9;
        FrameCodec.putI32(f, FrameCodec.HEADER_BYTES, Crc32c.compute(f, 2, FrameCodec.HEADER_BYTES - 2));
        assertEquals(Status.UNSUPPORTED_VERSION.code(), statusOf(f, f.length, 10));
    }

    @Test
    void slotVectorAndRangeChecks() {
        int params = device.info().params();
        int inputs = device.info().inputs();
        assertEquals(Status.BAD_SLOT.code(), send(Opcode.LOAD_PARAMS.code(), 11, vector(8, params, 0)));
        assertEquals(Status.BAD_VECTOR_LENGTH.code(), send(Opcode.LOAD_PARAMS.code(), 12, vector(0, params - 1, 0)));
        assertEquals(Status.CODE_OUT_OF_RANGE.code(), send(Opcode.LOAD_PARAMS.code(), 13, vector(0, params, 4096)));
        assertEquals(Status.SLOT_EMPTY.code(), send(Opcode.SHOT.code(), 14, vector(1, inputs, 0)));
        assertEquals(Status.OK.code(), send(Opcode.LOAD_PARAMS.code(), 15, vector(1, params, 100)));
        assertEquals(Status.OK.code(), send(Opcode.SHOT.code(), 16, vector(1, inputs, 4095)));
        assertEquals(Status.BAD_VECTOR_LENGTH.code(), send(Opcode.SHOT.code(), 17, vector(1, inputs + 1, 0)));
        assertEquals(Status.CODE_OUT_OF_RANGE.code(), send(Opcode.SHOT.code(), 18, vector(1, inputs, 65535)));
    }

    @Test
    void batchChecks() {
        int inputs = device.info().inputs();
        assertEquals(Status.OK.code(), send(Opcode.LOAD_PARAMS.code(), 20, vector(0, device.info().params(), 7)));
        int shots = device.info().maxBatch() + 1;
        byte[] p = new byte[5 + 2 * 2 * inputs];
        FrameCodec.putU16(p, 1, 2);
        FrameCodec.putU16(p, 3, inputs);
        assertEquals(Status.OK.code(), send(Opcode.SHOT_BATCH.code(), 21, p));
        FrameCodec.putU16(p, 1, 3); // announces more shots than carried
        assertEquals(Status.BAD_LENGTH.code(), send(Opcode.SHOT_BATCH.code(), 22, p));
        byte[] big = new byte[5 + 2 * shots * inputs];
        FrameCodec.putU16(big, 1, shots);
        FrameCodec.putU16(big, 3, inputs);
        int expected = big.length > FrameCodec.MAX_PAYLOAD ? -1 : Status.BATCH_TOO_LARGE.code();
        if (expected > 0) {
            assertEquals(expected, send(Opcode.SHOT_BATCH.code(), 23, big));
        }
        byte[] zero = new byte[5];
        FrameCodec.putU16(zero, 3, inputs);
        assertEquals(Status.BATCH_TOO_LARGE.code(), send(Opcode.SHOT_BATCH.code(), 24, zero));
    }

    @Test
    void oneExceptionCarriesStatusAndRequest() {
        for (Status s : Status.values()) {
            if (s != Status.OK) {
                DeviceStatusException e = new DeviceStatusException(s, Opcode.SHOT, "SHOT refused");
                assertEquals(s, e.status());
                assertEquals(Opcode.SHOT, e.request().orElseThrow());
                assertEquals("SHOT refused [" + s + "]", e.getMessage());
            }
        }
        assertTrue(new DeviceStatusException(Status.BUSY, null, "x").request().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new DeviceStatusException(Status.OK, null, "x"));
    }

    @Test
    void hostRefusesBadRequestsWithTheSameExceptions() {
        try (DeviceLink link = DeviceLink.over(wire, LinkOptions.defaults())) {
            int[] p = new int[link.info().params()];
            assertRefused(Status.BAD_SLOT, () -> link.loadParams(8, p));
            assertRefused(Status.BAD_VECTOR_LENGTH, () -> link.loadParams(0, new int[3]));
            int[] high = p.clone();
            high[4] = 4096;
            DeviceStatusException e = assertRefused(Status.CODE_OUT_OF_RANGE,
                    () -> link.loadParams(0, high));
            assertTrue(e.getMessage().contains("index 4"), e.getMessage());
            assertEquals(Opcode.LOAD_PARAMS, e.request().orElseThrow());
            link.loadParams(0, p);
            assertRefused(Status.BAD_VECTOR_LENGTH,
                    () -> link.shot(0, new int[link.info().inputs() + 1]));
            assertRefused(Status.SLOT_EMPTY, () -> link.shot(2, new int[link.info().inputs()]));
            // only the device's own answer reaches the counters; the host's refusals cost no bus time
            assertEquals(java.util.Map.of(Status.SLOT_EMPTY, 1L), link.stats().deviceStatuses());
            assertThrows(IllegalArgumentException.class,
                    () -> link.shot(0, new int[link.info().inputs()], new int[1]));
        }
    }
}
