package org.pnnedge.bridge.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

class FrameCodecTest {
    @Test
    void crc32cCheckValue() {
        byte[] s = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, Crc32c.compute(s, 0, s.length));
    }

    @Test
    void crc32cAgreesWithJdkOnRandomData() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[r.nextInt(0, 3000)];
            r.nextBytes(b);
            int off = b.length == 0 ? 0 : r.nextInt(b.length);
            CRC32C jdk = new CRC32C();
            jdk.update(b, off, b.length - off);
            assertEquals((int) jdk.getValue(), Crc32c.compute(b, off, b.length - off));
        }
    }

    @Test
    void randomFramesRoundTrip() throws Exception {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 2000; i++) {
            byte[] payload = new byte[i % 50 == 0 ? FrameCodec.MAX_PAYLOAD : r.nextInt(0, 600)];
            r.nextBytes(payload);
            Frame f = new Frame(r.nextInt(256), r.nextInt(65536), r.nextInt(256), payload);
            byte[] wire = f.encode();
            assertEquals(payload.length + FrameCodec.OVERHEAD, wire.length);
            Frame back = Frame.decode(wire, wire.length);
            assertEquals(f, back);
            assertArrayEquals(payload, back.payload());
        }
    }

    @Test
    void everySingleBitFlipIsRejected() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            byte[] payload = new byte[r.nextInt(0, 200)];
            r.nextBytes(payload);
            byte[] wire = new Frame(Opcode.SHOT.code(), r.nextInt(65536), 0, payload).encode();
            for (int bit = 0; bit < wire.length * 8; bit += 1 + r.nextInt(5)) {
                byte[] bad = wire.clone();
                bad[bit / 8] ^= (byte) (1 << (bit % 8));
                assertNotNull(FrameCodec.check(bad, bad.length), "flip of bit " + bit + " went unnoticed");
            }
        }
    }

    @Test
    void namesEachProblem() {
        byte[] wire = new Frame(Opcode.IDENTIFY.code(), 9, 0, new byte[] {1, 2, 3}).encode();
        assertNull(FrameCodec.check(wire, wire.length));
        assertEquals(FrameProblem.TRUNCATED, FrameCodec.check(wire, wire.length - 1));
        assertEquals(FrameProblem.TRUNCATED, FrameCodec.check(wire, 5));

        byte[] sync = wire.clone();
        sync[0] = 0x00;
        assertEquals(FrameProblem.BAD_SYNC, FrameCodec.check(sync, sync.length));

        byte[] crc = wire.clone();
        crc[FrameCodec.PAYLOAD_OFFSET] ^= 0x10;
        assertEquals(FrameProblem.BAD_CRC, FrameCodec.check(crc, crc.length));

        byte[] longer = java.util.Arrays.copyOf(wire, wire.length + 3);
        assertEquals(FrameProblem.BAD_LENGTH, FrameCodec.check(longer, longer.length));

        byte[] huge = wire.clone();
        FrameCodec.putU16(huge, 8, FrameCodec.MAX_PAYLOAD + 1);
        assertEquals(FrameProblem.BAD_LENGTH, FrameCodec.check(huge, huge.length));

        byte[] v3 = new byte[FrameCodec.OVERHEAD];
        FrameCodec.seal(v3, 1, 1, 0, 0);
        v3[2] = 3; // newer than this code speaks
        FrameCodec.putI32(v3, FrameCodec.HEADER_BYTES, Crc32c.compute(v3, 2, FrameCodec.HEADER_BYTES - 2));
        assertEquals(FrameProblem.UNSUPPORTED_VERSION, FrameCodec.check(v3, v3.length));
        byte[] v0 = v3.clone();
        v0[2] = 0;
        FrameCodec.putI32(v0, FrameCodec.HEADER_BYTES, Crc32c.compute(v0, 2, FrameCodec.HEADER_BYTES - 2));
        assertEquals(FrameProblem.UNSUPPORTED_VERSION, FrameCodec.check(v0, v0.length));
        byte[] v1 = new byte[FrameCodec.OVERHEAD];
        FrameCodec.seal(v1, 1, 1, 1, 0, 0); // version 1 frames are still spoken
        assertEquals(null, FrameCodec.check(v1, v1.length));
        assertEquals(1, FrameCodec.version(v1));

        FrameFormatException e = assertThrows(FrameFormatException.class, () -> Frame.decode(crc, crc.length));
        assertEquals(FrameProblem.BAD_CRC, e.problem());
    }

    @Test
    void refusesOversizePayload() {
        assertThrows(IllegalArgumentException.class, () -> new Frame(1, 1, 0, new byte[FrameCodec.MAX_PAYLOAD + 1]));
        assertThrows(IllegalArgumentException.class, () -> new Frame(1, 65536, 0, new byte[0]));
    }
}
