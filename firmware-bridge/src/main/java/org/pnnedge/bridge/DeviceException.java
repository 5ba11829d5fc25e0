package org.pnnedge.bridge;

/** Any failure talking to a device. Unchecked: callers decide where recovery belongs. */
public sealed class DeviceException extends RuntimeException
        permits DeviceTimeoutException, DeviceStatusException, CorruptFrameException, TransportException,
        IncompatibleDeviceException {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
