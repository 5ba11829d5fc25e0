package org.pnnedge.bridge.protocol;

/**
 * CRC-32C (Castagnoli): polynomial 0x1EDC6F41 (reflected 0x82F63B78), init 0xFFFFFFFF, reflected in and out,
 * final XOR 0xFFFFFFFF; check value for ASCII "123456789" is 0xE3069283. Table-driven and allocation-free;
 * written out (rather than java.util.zip.CRC32C) so firmware authors can port it line by line.
 */
public final class Crc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32c() {
    }

    /** One byte into a running (not yet inverted) CRC; {@link SlotChecksums} feeds codes through it. */
    static int step(int crc, int b) {
        return (crc >>> 8) ^ TABLE[(crc ^ b) & 0xFF];
    }

    public static int compute(byte[] data, int offset, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = offset, end = offset + length; i < end; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]) & 0xFF];
        }
        return ~crc;
    }
}
