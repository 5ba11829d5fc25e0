package org.pnnedge.bridge.protocol;

/**
 * Protocol 1 extension "slot checksums" (protocol.md, "SLOT_CHECKSUMS"; issue 13), kept apart from the core layouts
 * so it can be merged with other extensions: request opcode {@code 0x09} without payload; the answer is
 * {@code slots u8} then per slot {@code loaded u8, checksum u32}, where the checksum is the CRC-32C of the slot's
 * parameter codes as LOAD_PARAMS carried them (big-endian u16 each, without slot and count) and 0 for an empty slot.
 * A host compares it with the CRC of what it loaded and reloads a slot someone else overwrote. No version bump:
 * firmware without the extension answers UNKNOWN_OPCODE, and the host then goes on without the check.
 */
public final class SlotChecksums {
    /** The request opcode. */
    public static final int OPCODE = 0x09;
    /** One slot's entry in the answer: loaded u8, checksum u32. */
    public static final int ENTRY = 5;

    private SlotChecksums() {
    }

    /** CRC-32C of {@code codes[0..count)} as big-endian u16 values. */
    public static int checksum(int[] codes, int count) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < count; i++) {
            crc = Crc32c.step(crc, codes[i] >>> 8);
            crc = Crc32c.step(crc, codes[i]);
        }
        return ~crc;
    }

    /** Writes the answer for {@code loaded.length} slots at {@code off}; returns the payload length. */
    public static int write(byte[] b, int off, boolean[] loaded, int[][] codes, int count) {
        b[off] = (byte) loaded.length;
        int p = off + 1;
        for (int s = 0; s < loaded.length; s++, p += ENTRY) {
            b[p] = (byte) (loaded[s] ? 1 : 0);
            FrameCodec.putI32(b, p + 1, loaded[s] ? checksum(codes[s], count) : 0);
        }
        return p - off;
    }

    /** The number of slots an answer of {@code len} bytes at {@code off} describes; -1 when the length is wrong. */
    public static int slots(byte[] b, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int n = b[off] & 0xFF;
        return len == 1 + n * ENTRY ? n : -1;
    }

    public static boolean loaded(byte[] b, int off, int slot) {
        return b[off + 1 + slot * ENTRY] != 0;
    }

    public static int checksum(byte[] b, int off, int slot) {
        return FrameCodec.getI32(b, off + 1 + slot * ENTRY + 1);
    }
}
