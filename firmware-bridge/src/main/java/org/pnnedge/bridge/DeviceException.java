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

    /**
     * A short, stable name of the kind of failure for counters and telemetry keys: the status of a refusal in
     * lower case ({@code slot_empty}, {@code code_out_of_range}), else {@code device_timeout}, {@code corrupt_frame},
     * {@code transport}, {@code incompatible_device} or {@code device}. Never a Java class name, so renaming a
     * class cannot rename a telemetry key.
     */
    public String kind() {
        return switch (this) {
            case DeviceStatusException s -> s.status().key();
            case DeviceTimeoutException t -> "device_timeout";
            case CorruptFrameException c -> "corrupt_frame";
            case TransportException t -> "transport";
            case IncompatibleDeviceException i -> "incompatible_device";
            default -> "device";
        };
    }
}
