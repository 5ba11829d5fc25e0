package org.pnnedge.bridge;

/** The transport itself failed: socket closed, SPI device missing, GPIO not available. */
public final class TransportException extends DeviceException {
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }

    public TransportException(String message) {
        super(message);
    }
}
