package org.pnnedge.bridge.protocol;

import java.util.Locale;

/** Status byte of a response frame. Requests carry 0. */
public enum Status {
    OK(0x00, false, "ok"),
    /** The device received a frame whose CRC did not match: corrupted on the wire. */
    BAD_CRC(0x01, true, "request CRC mismatch (corrupted on the wire)"),
    /** Payload length field does not fit the opcode, or exceeds the device's maximum. */
    BAD_LENGTH(0x02, true, "payload length does not match the opcode's layout or exceeds the maximum"),
    UNKNOWN_OPCODE(0x03, false, "opcode not supported by this firmware"),
    BAD_SLOT(0x04, false, "parameter slot out of range"),
    BAD_VECTOR_LENGTH(0x05, false, "vector length differs from the device's channel count"),
    CODE_OUT_OF_RANGE(0x06, false, "a code exceeds the converter's bit depth"),
    /** SHOT on a slot with no parameters loaded, e.g. after a reboot. */
    SLOT_EMPTY(0x07, true, "slot has no parameters loaded (device rebooted?)"),
    BUSY(0x08, true, "device busy"),
    UNSUPPORTED_VERSION(0x09, false, "protocol version not supported"),
    BATCH_TOO_LARGE(0x0A, false, "batch exceeds the device's maximum batch size"),
    HARDWARE_FAULT(0x0B, false, "hardware fault");

    private static final Status[] BY_CODE = new Status[256];

    static {
        for (Status s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;
    private final boolean transientFault;
    private final String meaning;

    Status(int code, boolean transientFault, String meaning) {
        this.code = code;
        this.transientFault = transientFault;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** True when retrying the same request may succeed. */
    public boolean isTransient() {
        return transientFault;
    }

    public String meaning() {
        return meaning;
    }

    /** Lower-case name for counters and telemetry keys, e.g. {@code slot_empty}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status for a code, or null when the code is not defined. */
    public static Status fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
