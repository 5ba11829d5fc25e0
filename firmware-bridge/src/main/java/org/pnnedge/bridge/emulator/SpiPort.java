package org.pnnedge.bridge.emulator;

import java.util.Arrays;

import org.pnnedge.bridge.protocol.FrameCodec;

/**
 * The SPI side of the emulated device: chip-select transfers, the DATA_READY line and when it rises (realistic or
 * zero timing), the RESET line and the boot time after it, and where the {@link FaultInjector} strikes (corrupted
 * bytes, lost responses, hangs, brown-outs). What a request means is the {@link Firmware}'s business. Not
 * thread-safe; {@link EmulatedDevice} serialises access.
 */
final class SpiPort {
    private final Firmware firmware;
    private final FaultInjector faults;
    private final boolean realistic;
    private final long bootNanos;
    private final byte[] in = new byte[FrameCodec.MAX_FRAME];
    private final byte[] out = new byte[FrameCodec.MAX_FRAME];

    private int outLen;
    private int outPos;
    private long readyAt = Long.MAX_VALUE;
    private boolean hung;
    private boolean inReset;
    private long bootUntil;

    SpiPort(Firmware firmware, FaultInjector faults, EmulatorConfig config) {
        this.firmware = firmware;
        this.faults = faults;
        this.realistic = config.timing() == Timing.REALISTIC;
        this.bootNanos = config.bootMillis() * 1_000_000;
    }

    void transfer(byte[] mosi, int mosiOffset, byte[] miso, int misoOffset, int len) {
        long now = System.nanoTime();
        Arrays.fill(miso, misoOffset, misoOffset + len, (byte) 0);
        if (inReset || now - bootUntil < 0 || hung || len <= 0) {
            return; // not running: nothing is read, MISO idles low
        }
        FaultConfig f = faults.config();
        if ((mosi[mosiOffset] & 0xFF) == FrameCodec.SYNC0) {
            int n = Math.min(len, FrameCodec.MAX_FRAME);
            System.arraycopy(mosi, mosiOffset, in, 0, n);
            faults.corrupt(f, in, 0, n);
            discardResponse();
            request(n, now, f);
        } else if (outPos < outLen && now - readyAt >= 0) {
            int n = Math.min(len, outLen - outPos);
            System.arraycopy(out, outPos, miso, misoOffset, n);
            faults.corrupt(f, miso, misoOffset, n);
            outPos += n;
            if (outPos >= outLen) {
                discardResponse();
            }
        }
    }

    private void request(int len, long now, FaultConfig f) {
        if (faults.reboots(f)) {
            boot(now); // brown-out: the request is lost with the slots
            return;
        }
        if (faults.hangs(f)) {
            hung = true; // firmware hangs; only the RESET line brings it back
            return;
        }
        long modelledNanos = firmware.process(in, len, out);
        if (faults.drops(f)) {
            return; // processed, but the response is lost
        }
        outLen = FrameCodec.payloadLength(out) + FrameCodec.OVERHEAD;
        outPos = 0;
        readyAt = realistic ? now + modelledNanos : now;
    }

    boolean dataReady() {
        return !inReset && !hung && outPos < outLen && System.nanoTime() - readyAt >= 0;
    }

    long dataReadyAtNanos() {
        return inReset || hung || outPos >= outLen ? Long.MAX_VALUE : readyAt;
    }

    void setReset(boolean held) {
        if (held) {
            inReset = true;
            hung = false;
            discardResponse();
            firmware.clearSlots();
        } else if (inReset) {
            inReset = false;
            boot(System.nanoTime());
        }
    }

    private void boot(long now) {
        firmware.reboot();
        discardResponse();
        hung = false;
        bootUntil = realistic ? now + bootNanos : now;
    }

    private void discardResponse() {
        outLen = 0;
        outPos = 0;
        readyAt = Long.MAX_VALUE;
    }
}
