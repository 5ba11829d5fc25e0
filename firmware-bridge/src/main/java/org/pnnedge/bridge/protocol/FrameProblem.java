package org.pnnedge.bridge.protocol;

/** Why a byte sequence is not a valid frame. */
public enum FrameProblem {
    TRUNCATED("frame shorter than its header announces"),
    BAD_SYNC("sync bytes are not 0xA5 0x5A"),
    BAD_LENGTH("payload length field exceeds the maximum or disagrees with the bytes received"),
    BAD_CRC("CRC-32C mismatch"),
    UNSUPPORTED_VERSION("unsupported protocol version");

    private final String meaning;

    FrameProblem(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
