package org.pnnedge.bridge.transport.tcp;

import org.pnnedge.bridge.DeviceProvider;
import org.pnnedge.bridge.UriQuery;

/** The {@code tcp://host:port} scheme: a device bridge in another process or on another machine. */
public final class TcpDeviceProvider implements DeviceProvider {
    @Override
    public String scheme() {
        return "tcp";
    }

    @Override
    public String example() {
        return "tcp://host:port";
    }

    @Override
    public TcpEndpoint parse(String rest, UriQuery q) {
        String hp = rest.startsWith("//") ? rest.substring(2) : "";
        int colon = hp.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected tcp://host:port");
        }
        String host = hp.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // IPv6 literal
        }
        q.requireOnly();
        return new TcpEndpoint(host, UriQuery.intValue("port", hp.substring(colon + 1)));
    }
}
