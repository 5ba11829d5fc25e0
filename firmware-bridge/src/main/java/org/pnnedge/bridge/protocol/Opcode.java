package org.pnnedge.bridge.protocol;

/**
 * Request opcodes of protocol versions 1 and 2 (READ_ENERGY is version 2 only). A response carries the request's opcode with bit 7 set.
 * 0x40-0x4F are emulator-only laboratory controls; real firmware answers them with UNKNOWN_OPCODE.
 * 0x7F is handled by a TCP bridge itself (it pulses the RESET line of the device behind it).
 */
public enum Opcode {
    IDENTIFY(0x01),
    LOAD_PARAMS(0x02),
    SHOT(0x03),
    SHOT_BATCH(0x04),
    READ_SENSORS(0x05),
    SELF_TEST(0x06),
    RESET(0x07),
    /** Version 2: the energy counters (total and per slot, since the last boot). */
    READ_ENERGY(0x08),
    /**
     * Protocol 1 extension "slot checksums" (issue 13; layout in {@link SlotChecksums}): what every slot holds, so a
     * host notices parameters someone else wrote. Older firmware answers UNKNOWN_OPCODE.
     */
    SLOT_CHECKSUMS(SlotChecksums.OPCODE),
    /** Emulator only: set ambient temperature and/or advance the emulated clock. */
    LAB_ENVIRONMENT(0x40),
    /** TCP bridge only: pulse the RESET line of the device behind the bridge. */
    LINE_RESET(0x7F);

    public static final int RESPONSE_BIT = 0x80;
    private static final Opcode[] BY_CODE = new Opcode[128];

    static {
        for (Opcode o : values()) {
            BY_CODE[o.code] = o;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The opcode for a request code, or null when the code is not defined. */
    public static Opcode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
