package org.pnnedge.bridge.protocol;

import static org.pnnedge.bridge.protocol.FrameCodec.putU16;

/**
 * Payload layouts shared by host and firmware (protocol.md lists them byte by byte): sizes, flags and the code
 * vectors. Offsets are relative to the start of the payload; callers pass the absolute offset of the payload in
 * their buffer. The answers that carry records (IDENTIFY, READ_SENSORS, SELF_TEST) are encoded by
 * {@code org.pnnedge.bridge.AnswerCodec}, above this package, so that the protocol depends on nothing in the bridge.
 */
public final class Payloads {
    /** IDENTIFY response length. */
    public static final int IDENTIFY_BYTES = 30;
    /** Offset of "largest SHOT_BATCH accepted" (u16) in the IDENTIFY response. */
    public static final int IDENTIFY_MAX_BATCH = 24;
    /** Offset of "typical time of one shot, µs" (u32) in the IDENTIFY response. */
    public static final int IDENTIFY_SHOT_MICROS = 26;
    /** LOAD_PARAMS / SHOT request header: slot u8, count u16. */
    public static final int VECTOR_HEADER = 3;
    /** SHOT_BATCH request header: slot u8, shots u16, inputs per shot u16. */
    public static final int BATCH_HEADER = 5;
    /** LAB_ENVIRONMENT request: flags u8, ambient milli-°C i64, clock advance µs i64. */
    public static final int LAB_BYTES = 17;
    public static final int LAB_SET_AMBIENT = 1;
    public static final int LAB_ADVANCE_CLOCK = 2;
    /** Sensor entry: id u8, value i64 in milli-units. */
    public static final int SENSOR_ENTRY = 9;
    /** READ_ENERGY answer header: total nJ i64, slot count u8; then one i64 (nJ) per slot. */
    public static final int ENERGY_HEADER = 9;
    /** READ_ENERGY slot entry: nJ i64. */
    public static final int ENERGY_ENTRY = 8;
    /** IDENTIFY capability bit 1: the firmware keeps energy counters (READ_ENERGY, version 2). */
    public static final int CAP_ENERGY = 2;
    /** Self-test entry: id u8, passed u8, measured i64 in milli-units. */
    public static final int CHECK_ENTRY = 10;

    private Payloads() {
    }

    /** Writes slot, count and codes; returns the payload length. */
    public static int writeVector(byte[] b, int off, int slot, int[] codes) {
        b[off] = (byte) slot;
        putU16(b, off + 1, codes.length);
        int p = off + VECTOR_HEADER;
        for (int c : codes) {
            putU16(b, p, c);
            p += 2;
        }
        return p - off;
    }

    /** Writes count and codes (SHOT response); returns the payload length. */
    public static int writeCodes(byte[] b, int off, int[] codes, int count) {
        putU16(b, off, count);
        for (int i = 0, p = off + 2; i < count; i++, p += 2) {
            putU16(b, p, codes[i]);
        }
        return 2 + 2 * count;
    }
}
