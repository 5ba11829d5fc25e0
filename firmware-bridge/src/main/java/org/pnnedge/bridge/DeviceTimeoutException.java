package org.pnnedge.bridge;

/** No (complete) response arrived within the timeout, after all retries and line resets. */
public final class DeviceTimeoutException extends DeviceException {
    public DeviceTimeoutException(String message) {
        super(message);
    }
}
