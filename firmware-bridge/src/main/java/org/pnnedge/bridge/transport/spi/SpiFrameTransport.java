package org.pnnedge.bridge.transport.spi;

import java.util.concurrent.locks.LockSupport;

import org.pnnedge.bridge.TransportException;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.transport.Transport;

/**
 * Host side of the SPI framing (protocol.md, "SPI link"): write the request in one transfer; wait for
 * DATA_READY; clock out the 10-byte header in one transfer, then the rest (payload + CRC) in a second.
 * Subclasses supply the three line operations; the Pi4J transport and the in-process transport share this code.
 */
public abstract class SpiFrameTransport implements Transport {
    private final byte[] scratch = new byte[FrameCodec.MAX_FRAME];
    private final byte[] zeros = new byte[FrameCodec.MAX_FRAME];
    private final long resetPulseNanos;
    private final long bootWaitNanos;

    protected SpiFrameTransport(long resetPulseNanos, long bootWaitNanos) {
        this.resetPulseNanos = resetPulseNanos;
        this.bootWaitNanos = bootWaitNanos;
    }

    /** One chip-select-framed full-duplex transfer. */
    protected abstract void transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len);

    protected abstract boolean dataReady();

    protected abstract void setReset(boolean held);

    /** Nanos until DATA_READY is expected to rise, or -1 when unknown (real hardware: poll). */
    protected long readyHintNanos() {
        return -1;
    }

    @Override
    public void send(byte[] frame, int length) {
        transfer(frame, 0, scratch, 0, length);
    }

    @Override
    public int receive(byte[] buf, long timeoutNanos) {
        if (!awaitReady(System.nanoTime() + timeoutNanos)) {
            return -1;
        }
        transfer(zeros, 0, buf, 0, FrameCodec.HEADER_BYTES);
        if ((buf[0] & 0xFF) != FrameCodec.SYNC0 || (buf[1] & 0xFF) != FrameCodec.SYNC1) {
            return FrameCodec.HEADER_BYTES; // caller reports BAD_SYNC; the next request resynchronises
        }
        int total = FrameCodec.frameLength(buf);
        if (total > FrameCodec.MAX_FRAME) {
            return FrameCodec.HEADER_BYTES; // corrupted length field: caller reports it
        }
        transfer(zeros, 0, buf, FrameCodec.HEADER_BYTES, total - FrameCodec.HEADER_BYTES);
        return total;
    }

    private boolean awaitReady(long deadline) {
        // Real hardware: poll the line, spinning briefly then parking in short steps; an in-process
        // emulator tells us when the response will be ready so we can sleep until then.
        int spins = 0;
        while (!dataReady()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return dataReady();
            }
            long hint = readyHintNanos();
            if (hint > 0) {
                LockSupport.parkNanos(Math.min(hint, deadline - now));
            } else if (spins++ < 200) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(Math.min(50_000, deadline - now));
            }
        }
        return true;
    }

    @Override
    public void pulseReset() {
        try {
            setReset(true);
            sleepNanos(resetPulseNanos);
            setReset(false);
            sleepNanos(bootWaitNanos);
        } catch (RuntimeException e) {
            throw new TransportException("cannot pulse RESET line: " + e.getMessage(), e);
        }
    }

    private static void sleepNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
