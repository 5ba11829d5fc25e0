package org.pnnedge.bridge;

import org.pnnedge.bridge.protocol.Status;

/**
 * The device answered with a status other than OK (or the host refused the request before sending it for the
 * same reason). One subclass per kind of problem so callers can catch precisely.
 */
public abstract sealed class DeviceStatusException extends DeviceException {
    private final Status status;

    DeviceStatusException(Status status, String message) {
        super(message + " [" + status + "]");
        this.status = status;
    }

    public Status status() {
        return status;
    }

    /** The specific exception for a non-OK status. */
    public static DeviceStatusException of(Status status, String message) {
        return switch (status) {
            case BAD_CRC, BAD_LENGTH -> new RequestCorruptedException(status, message);
            case UNKNOWN_OPCODE -> new UnsupportedOpcodeException(status, message);
            case BAD_SLOT -> new BadSlotException(status, message);
            case BAD_VECTOR_LENGTH -> new VectorLengthException(status, message);
            case CODE_OUT_OF_RANGE -> new CodeRangeException(status, message);
            case SLOT_EMPTY -> new SlotEmptyException(status, message);
            case BUSY -> new DeviceBusyException(status, message);
            case UNSUPPORTED_VERSION -> new ProtocolVersionException(status, message);
            case BATCH_TOO_LARGE -> new BatchTooLargeException(status, message);
            case HARDWARE_FAULT -> new HardwareFaultException(status, message);
            case OK -> throw new IllegalArgumentException("OK is not an error");
        };
    }

    /** The device saw a corrupted request (CRC or length). Transient: retried by the link. */
    public static final class RequestCorruptedException extends DeviceStatusException {
        RequestCorruptedException(Status s, String m) {
            super(s, m);
        }
    }

    public static final class UnsupportedOpcodeException extends DeviceStatusException {
        UnsupportedOpcodeException(Status s, String m) {
            super(s, m);
        }
    }

    public static final class BadSlotException extends DeviceStatusException {
        BadSlotException(Status s, String m) {
            super(s, m);
        }
    }

    public static final class VectorLengthException extends DeviceStatusException {
        VectorLengthException(Status s, String m) {
            super(s, m);
        }
    }

    public static final class CodeRangeException extends DeviceStatusException {
        CodeRangeException(Status s, String m) {
            super(s, m);
        }
    }

    /** The slot holds no parameters; the link reloads remembered ones and retries before surfacing this. */
    public static final class SlotEmptyException extends DeviceStatusException {
        SlotEmptyException(Status s, String m) {
            super(s, m);
        }
    }

    public static final class DeviceBusyException extends DeviceStatusException {
        DeviceBusyException(Status s, String m) {
            super(s, m);
        }
    }

    public static final class ProtocolVersionException extends DeviceStatusException {
        ProtocolVersionException(Status s, String m) {
            super(s, m);
        }
    }

    public static final class BatchTooLargeException extends DeviceStatusException {
        BatchTooLargeException(Status s, String m) {
            super(s, m);
        }
    }

    public static final class HardwareFaultException extends DeviceStatusException {
        HardwareFaultException(Status s, String m) {
            super(s, m);
        }
    }
}
