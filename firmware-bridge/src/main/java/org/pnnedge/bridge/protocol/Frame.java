package org.pnnedge.bridge.protocol;

import java.util.Arrays;

/**
 * A decoded frame, for tools and tests; the hot path works on byte arrays through {@link FrameCodec}.
 *
 * @param opcodeByte request opcode, or request opcode | 0x80 for a response
 */
public record Frame(int opcodeByte, int seq, int status, byte[] payload) {
    public Frame {
        if (opcodeByte < 0 || opcodeByte > 0xFF) {
            throw new IllegalArgumentException("opcode byte " + opcodeByte);
        }
        if (seq < 0 || seq > 0xFFFF) {
            throw new IllegalArgumentException("sequence number " + seq);
        }
        if (status < 0 || status > 0xFF) {
            throw new IllegalArgumentException("status " + status);
        }
        if (payload.length > FrameCodec.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + FrameCodec.MAX_PAYLOAD);
        }
        payload = payload.clone();
    }

    public byte[] encode() {
        byte[] buf = new byte[payload.length + FrameCodec.OVERHEAD];
        System.arraycopy(payload, 0, buf, FrameCodec.PAYLOAD_OFFSET, payload.length);
        FrameCodec.seal(buf, opcodeByte, seq, status, payload.length);
        return buf;
    }

    public static Frame decode(byte[] buf, int length) throws FrameFormatException {
        FrameProblem p = FrameCodec.check(buf, length);
        if (p != null) {
            throw new FrameFormatException(p);
        }
        int n = FrameCodec.payloadLength(buf);
        return new Frame(FrameCodec.opcodeByte(buf), FrameCodec.seq(buf), FrameCodec.status(buf),
                Arrays.copyOfRange(buf, FrameCodec.PAYLOAD_OFFSET, FrameCodec.PAYLOAD_OFFSET + n));
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.opcodeByte == opcodeByte && f.seq == seq && f.status == status
                && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return ((opcodeByte * 31 + seq) * 31 + status) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Frame[op=0x%02X seq=%d status=%d payload=%d bytes]".formatted(opcodeByte, seq, status, payload.length);
    }
}
