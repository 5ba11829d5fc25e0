package org.pnnedge.bridge;

import java.util.Objects;
import java.util.Optional;

import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Status;

/**
 * The device answered a request with a status other than OK, or the host refused the request before sending it
 * for the same reason (bad slot, vector length, code range). One class carrying the {@link Status} and the request's
 * {@link Opcode}: callers tell problems apart by {@link #status()}, e.g. {@code e.status() == Status.SLOT_EMPTY}.
 */
public final class DeviceStatusException extends DeviceException {
    private final Status status;
    private final Opcode request;

    /**
     * @param status  the non-OK status
     * @param request the request that was refused, or null when not known
     * @param message what was refused and why; the status is appended in brackets
     */
    public DeviceStatusException(Status status, Opcode request, String message) {
        super(message + " [" + Objects.requireNonNull(status, "status") + "]");
        if (status == Status.OK) {
            throw new IllegalArgumentException("OK is not an error");
        }
        this.status = status;
        this.request = request;
    }

    public Status status() {
        return status;
    }

    /** The refused request's opcode, when known. */
    public Optional<Opcode> request() {
        return Optional.ofNullable(request);
    }
}
