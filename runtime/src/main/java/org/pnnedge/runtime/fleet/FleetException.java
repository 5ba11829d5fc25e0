package org.pnnedge.runtime.fleet;

/** A cluster operation that failed for a reason the user can act on; the message names the node and the cause. */
public final class FleetException extends Exception {
    private static final long serialVersionUID = 1L;

    public FleetException(String message) {
        super(message);
    }

    public FleetException(String message, Throwable cause) {
        super(message, cause);
    }
}
