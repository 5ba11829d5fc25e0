package org.pnnedge.bridge.transport.spi;

/**
 * The device side of the SPI link as the host sees it: full-duplex transfers framed by chip select,
 * a DATA_READY line (active high) and a RESET line (active low). Emulated firmware implements it; the
 * in-process transport and the Pi4J test provider drive it.
 */
public interface SpiSlave {
    /**
     * One chip-select-framed transfer of {@code len} bytes: the device reads MOSI from {@code mosi} and writes
     * MISO into {@code miso}. A transfer whose first MOSI byte is the sync byte 0xA5 carries a request frame;
     * any other transfer clocks out the pending response.
     */
    void transfer(byte[] mosi, int mosiOffset, byte[] miso, int misoOffset, int len);

    /** Level of the DATA_READY line. */
    boolean dataReady();

    /**
     * When DATA_READY will rise for the response being prepared: a {@link System#nanoTime()} value, or
     * {@link Long#MAX_VALUE} when no response is coming. Lets an in-process master sleep instead of polling.
     */
    long dataReadyAtNanos();

    /** Drives the RESET line: {@code true} = held in reset (line low). Releasing it boots the device. */
    void setReset(boolean held);
}
