package org.pnnedge.runtime.demo;

/** The demo's embedded MQTT broker did not start in time; the message says how to allow it more. */
public final class BrokerStartException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
