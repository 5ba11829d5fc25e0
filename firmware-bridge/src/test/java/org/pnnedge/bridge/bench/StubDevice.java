package org.pnnedge.bridge.bench;

import static org.pnnedge.bridge.protocol.FrameCodec.PAYLOAD_OFFSET;

import org.pnnedge.bridge.AnswerCodec;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Payloads;
import org.pnnedge.bridge.transport.spi.SpiSlave;

/**
 * The least firmware that keeps a host link ({@link org.pnnedge.bridge.DeviceLink#over}) happy, for measuring
 * the host side alone: answers IDENTIFY with a given {@link DeviceInfo}, every other request with OK, and SHOT
 * by echoing the input codes as outputs (so it needs inputs == outputs). No CRC check, no physics, no clock;
 * its only real work is sealing the response (CRC-32C over it). Allocation-free after IDENTIFY.
 */
final class StubDevice implements SpiSlave {
    private final DeviceInfo info;
    private final byte[] out = new byte[FrameCodec.MAX_FRAME];
    private int outLen;
    private int outPos;

    StubDevice(DeviceInfo info) {
        if (info.inputs() != info.outputs()) {
            throw new IllegalArgumentException("the echo stub needs as many inputs as outputs");
        }
        this.info = info;
    }

    @Override
    public void transfer(byte[] mosi, int mosiOffset, byte[] miso, int misoOffset, int len) {
        if ((mosi[mosiOffset] & 0xFF) == FrameCodec.SYNC0) {
            int op = mosi[mosiOffset + 3] & 0xFF;
            int seq = FrameCodec.getU16(mosi, mosiOffset + 4);
            int n = 0;
            if (op == Opcode.IDENTIFY.code()) {
                AnswerCodec.writeIdentity(out, PAYLOAD_OFFSET, info);
                n = Payloads.IDENTIFY_BYTES;
            } else if (op == Opcode.SHOT.code()) {
                int count = FrameCodec.getU16(mosi, mosiOffset + PAYLOAD_OFFSET + 1);
                FrameCodec.putU16(out, PAYLOAD_OFFSET, count);
                System.arraycopy(mosi, mosiOffset + PAYLOAD_OFFSET + Payloads.VECTOR_HEADER, out, PAYLOAD_OFFSET + 2,
                        2 * count);
                n = 2 + 2 * count;
            }
            outLen = FrameCodec.seal(out, op | Opcode.RESPONSE_BIT, seq, 0, n);
            outPos = 0;
        } else if (outPos < outLen) {
            int k = Math.min(len, outLen - outPos);
            System.arraycopy(out, outPos, miso, misoOffset, k);
            outPos += k;
        }
    }

    @Override
    public boolean dataReady() {
        return outPos < outLen;
    }

    @Override
    public long dataReadyAtNanos() {
        return outPos < outLen ? System.nanoTime() : Long.MAX_VALUE;
    }

    @Override
    public void setReset(boolean held) {
        outLen = 0;
        outPos = 0;
    }
}
