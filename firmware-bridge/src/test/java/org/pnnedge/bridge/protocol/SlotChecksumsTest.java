package org.pnnedge.bridge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The SLOT_CHECKSUMS checksum is the CRC-32C of the codes exactly as LOAD_PARAMS carries them (protocol.md). */
class SlotChecksumsTest {
    @Test
    void checksumIsTheCrcOfTheLoadParamsCodeBytes() {
        int[] codes = {0, 1, 4095, 0x1234, 65535, 77};
        byte[] frame = new byte[FrameCodec.MAX_FRAME];
        int n = Payloads.writeVector(frame, 0, 3, codes);
        int expected = Crc32c.compute(frame, Payloads.VECTOR_HEADER, n - Payloads.VECTOR_HEADER);
        assertEquals(expected, SlotChecksums.checksum(codes, codes.length));
    }

    @Test
    void answerRoundTrip() {
        boolean[] loaded = {true, false, true};
        int[][] codes = {{1, 2}, {0, 0}, {3, 4}};
        byte[] b = new byte[64];
        int len = SlotChecksums.write(b, 5, loaded, codes, 2);
        assertEquals(1 + 3 * SlotChecksums.ENTRY, len);
        assertEquals(3, SlotChecksums.slots(b, 5, len));
        assertEquals(-1, SlotChecksums.slots(b, 5, len - 1));
        assertTrue(SlotChecksums.loaded(b, 5, 0));
        assertFalse(SlotChecksums.loaded(b, 5, 1));
        assertEquals(0, SlotChecksums.checksum(b, 5, 1));
        assertEquals(SlotChecksums.checksum(codes[2], 2), SlotChecksums.checksum(b, 5, 2));
    }
}
