package org.pnnedge.bridge.transport;

/**
 * The port between the protocol and a physical link: moves whole frames, knows nothing of their meaning.
 * Implementations: Pi4J SPI + GPIO, TCP to a device bridge, in-process emulator. Methods throw
 * {@link org.pnnedge.bridge.TransportException} when the link itself fails.
 */
public interface Transport extends AutoCloseable {
    /** Sends one complete request frame ({@code frame[0..length)}). */
    void send(byte[] frame, int length);

    /**
     * Receives the next response frame into {@code buf} (at least {@link org.pnnedge.bridge.protocol.FrameCodec#MAX_FRAME}
     * bytes), waiting at most {@code timeoutNanos}.
     *
     * @return the number of bytes received (the caller checks them), or -1 when nothing arrived in time
     */
    int receive(byte[] buf, long timeoutNanos);

    /** Pulses the device's RESET line and waits for it to boot. */
    void pulseReset();

    /** e.g. {@code spi:0.0 @ 10000000 Hz, ready=GPIO24, reset=GPIO25}. */
    String describe();

    @Override
    void close();
}
