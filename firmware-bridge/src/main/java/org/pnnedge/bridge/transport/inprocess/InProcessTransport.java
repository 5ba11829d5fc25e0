package org.pnnedge.bridge.transport.inprocess;

import org.pnnedge.bridge.transport.spi.SpiFrameTransport;
import org.pnnedge.bridge.transport.spi.SpiSlave;

/**
 * Talks to a device in the same process through the SPI framing, byte for byte as over a real bus.
 * Used for the in-process emulator ({@code emulator:...} URIs) and by the TCP emulator server.
 */
public final class InProcessTransport extends SpiFrameTransport {
    private final SpiSlave device;
    private final String description;

    public InProcessTransport(SpiSlave device, String description) {
        super(0, 0);
        this.device = device;
        this.description = description;
    }

    public SpiSlave device() {
        return device;
    }

    @Override
    protected void transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        device.transfer(tx, txOff, rx, rxOff, len);
    }

    @Override
    protected boolean dataReady() {
        return device.dataReady();
    }

    @Override
    protected long readyHintNanos() {
        long at = device.dataReadyAtNanos();
        if (at == Long.MAX_VALUE) {
            return 1_000_000; // nothing coming (dropped or stuck): re-check every millisecond until the deadline
        }
        return Math.max(1, at - System.nanoTime());
    }

    @Override
    protected void setReset(boolean held) {
        device.setReset(held);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // the device belongs to whoever created it
    }
}
