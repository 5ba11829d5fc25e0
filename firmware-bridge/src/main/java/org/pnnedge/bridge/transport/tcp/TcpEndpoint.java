package org.pnnedge.bridge.transport.tcp;

import java.time.Duration;
import java.util.Objects;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceEndpoint;
import org.pnnedge.bridge.transport.Transport;

/** A device behind a TCP device bridge ({@code tcp://host:port}). */
public record TcpEndpoint(String host, int port) implements DeviceEndpoint {
    /** How long connecting, and a LINE_RESET round trip, may take. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    public TcpEndpoint {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TCP port must be 1..65535, got " + port);
        }
    }

    @Override
    public String uri() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public Transport open(DeviceContext context) {
        return new TcpTransport(host, port, PATIENCE, PATIENCE);
    }
}
