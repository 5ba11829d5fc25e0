package org.pnnedge.bridge.protocol;

/**
 * Byte layout of protocol versions 1 and 2 (see src/site/markdown/protocol.md; the frame is the same in both, version 2
 * adds READ_ENERGY). All multi-byte fields big-endian.
 *
 * <pre>
 * offset size field
 *   0     1   sync 0xA5
 *   1     1   sync 0x5A
 *   2     1   protocol version (1 or 2)
 *   3     1   opcode (responses: request opcode | 0x80)
 *   4     2   sequence number (response echoes the request's)
 *   6     1   status (requests: 0)
 *   7     1   flags (reserved, 0)
 *   8     2   payload length N (0..16384)
 *  10     N   payload
 * 10+N    4   CRC-32C over bytes 2 .. 9+N (everything after the sync bytes)
 * </pre>
 *
 * The static methods read and write frames in caller-owned arrays so the hot path allocates nothing.
 */
public final class FrameCodec {
    public static final int SYNC0 = 0xA5;
    public static final int SYNC1 = 0x5A;
    /** The newest protocol version this code speaks (hosts and the emulated firmware). */
    public static final int VERSION = 2;
    /** The oldest version still spoken: a version-2 host serves version-1 firmware, and vice versa. */
    public static final int MIN_VERSION = 1;
    public static final int HEADER_BYTES = 10;
    public static final int CRC_BYTES = 4;
    public static final int OVERHEAD = HEADER_BYTES + CRC_BYTES;
    public static final int PAYLOAD_OFFSET = HEADER_BYTES;
    public static final int MAX_PAYLOAD = 16384;
    public static final int MAX_FRAME = MAX_PAYLOAD + OVERHEAD;

    private FrameCodec() {
    }

    /**
     * Writes header and CRC around a payload that the caller already placed at {@link #PAYLOAD_OFFSET}.
     *
     * @return the frame length in bytes
     */
    public static int seal(byte[] buf, int opcodeByte, int seq, int status, int payloadLength) {
        return seal(buf, VERSION, opcodeByte, seq, status, payloadLength);
    }

    /** {@link #seal(byte[], int, int, int, int)} with an explicit protocol version (negotiated per link). */
    public static int seal(byte[] buf, int version, int opcodeByte, int seq, int status, int payloadLength) {
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload length " + payloadLength + " outside 0.." + MAX_PAYLOAD);
        }
        buf[0] = (byte) SYNC0;
        buf[1] = (byte) SYNC1;
        buf[2] = (byte) version;
        buf[3] = (byte) opcodeByte;
        putU16(buf, 4, seq);
        buf[6] = (byte) status;
        buf[7] = 0;
        putU16(buf, 8, payloadLength);
        int crcAt = HEADER_BYTES + payloadLength;
        putI32(buf, crcAt, Crc32c.compute(buf, 2, crcAt - 2));
        return crcAt + CRC_BYTES;
    }

    /**
     * Checks a complete frame in {@code buf[0..length)}.
     *
     * @return null when the frame is well formed, otherwise the first problem found
     */
    public static FrameProblem check(byte[] buf, int length) {
        if (length < OVERHEAD) {
            return FrameProblem.TRUNCATED;
        }
        if ((buf[0] & 0xFF) != SYNC0 || (buf[1] & 0xFF) != SYNC1) {
            return FrameProblem.BAD_SYNC;
        }
        int n = payloadLength(buf);
        if (n > MAX_PAYLOAD) {
            return FrameProblem.BAD_LENGTH;
        }
        if (length < n + OVERHEAD) {
            return FrameProblem.TRUNCATED;
        }
        if (length > n + OVERHEAD) {
            return FrameProblem.BAD_LENGTH;
        }
        if (Crc32c.compute(buf, 2, HEADER_BYTES - 2 + n) != getI32(buf, HEADER_BYTES + n)) {
            return FrameProblem.BAD_CRC;
        }
        if (!spoken(buf[2] & 0xFF)) {
            return FrameProblem.UNSUPPORTED_VERSION;
        }
        return null;
    }

    /** True for the protocol versions this code speaks ({@link #MIN_VERSION} … {@link #VERSION}). */
    public static boolean spoken(int version) {
        return version >= MIN_VERSION && version <= VERSION;
    }

    public static int version(byte[] buf) {
        return buf[2] & 0xFF;
    }

    public static int opcodeByte(byte[] buf) {
        return buf[3] & 0xFF;
    }

    public static int seq(byte[] buf) {
        return getU16(buf, 4);
    }

    public static int status(byte[] buf) {
        return buf[6] & 0xFF;
    }

    public static int payloadLength(byte[] buf) {
        return getU16(buf, 8);
    }

    /** Total frame length announced by a header whose first {@link #HEADER_BYTES} bytes are in buf. */
    public static int frameLength(byte[] buf) {
        return payloadLength(buf) + OVERHEAD;
    }

    public static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    public static int getU16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    public static void putI32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static int getI32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    public static void putI64(byte[] b, int off, long v) {
        putI32(b, off, (int) (v >>> 32));
        putI32(b, off + 4, (int) v);
    }

    public static long getI64(byte[] b, int off) {
        return ((long) getI32(b, off) << 32) | (getI32(b, off + 4) & 0xFFFFFFFFL);
    }
}
