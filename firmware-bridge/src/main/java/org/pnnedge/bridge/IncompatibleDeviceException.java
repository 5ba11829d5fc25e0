package org.pnnedge.bridge;

/** The device is not what the caller needs (protocol version, physics kind, channel counts). */
public final class IncompatibleDeviceException extends DeviceException {
    public IncompatibleDeviceException(String message) {
        super(message);
    }
}
