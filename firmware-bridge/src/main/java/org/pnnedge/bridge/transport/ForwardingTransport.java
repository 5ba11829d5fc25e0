package org.pnnedge.bridge.transport;

import java.util.Objects;

/**
 * A {@link Transport} that forwards every call to another one: a wrapper (fault injection, a firmware that lacks an
 * opcode, a counter) overrides only the calls it changes instead of writing out all five.
 */
public abstract class ForwardingTransport implements Transport {
    protected final Transport inner;

    protected ForwardingTransport(Transport inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
    }

    @Override
    public void send(byte[] frame, int length) {
        inner.send(frame, length);
    }

    @Override
    public int receive(byte[] buf, long timeoutNanos) {
        return inner.receive(buf, timeoutNanos);
    }

    @Override
    public void pulseReset() {
        inner.pulseReset();
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
