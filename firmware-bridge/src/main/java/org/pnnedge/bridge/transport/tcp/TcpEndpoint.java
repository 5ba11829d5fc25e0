package org.pnnedge.bridge.transport.tcp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceEndpoint;
import org.pnnedge.bridge.tls.TlsFiles;
import org.pnnedge.bridge.transport.Transport;

/**
 * A device behind a TCP device bridge ({@code tcp://host:port}).
 *
 * @param tls            this host's certificate, key and the CA of the bridge's certificate (mutual TLS); empty = plain
 * @param verifyHost     with TLS: the bridge's certificate must name {@code host}
 * @param insecureNoAuth allow a plain, unauthenticated connection to a host beyond loopback
 */
public record TcpEndpoint(String host, int port, Optional<TlsFiles> tls, boolean verifyHost, boolean insecureNoAuth)
        implements DeviceEndpoint {
    /** How long connecting, the TLS handshake, and a LINE_RESET round trip, may take. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    public TcpEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TCP port must be 1..65535, got " + port);
        }
    }

    /** A plain connection (loopback, or a bridge in a test). */
    public TcpEndpoint(String host, int port) {
        this(host, port, Optional.empty(), true, false);
    }

    @Override
    public String uri() {
        List<String> q = new ArrayList<>();
        tls.ifPresent(f -> {
            q.add("tls_cert=" + enc(f.cert().toString()));
            q.add("tls_key=" + enc(f.key().toString()));
            q.add("tls_ca=" + enc(f.ca().toString()));
            if (!verifyHost) {
                q.add("tls_verify_host=off");
            }
        });
        if (insecureNoAuth) {
            q.add("insecure_no_auth=on");
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "tcp://" + h + ":" + port + (q.isEmpty() ? "" : "?" + String.join("&", q));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    @Override
    public Transport open(DeviceContext context) {
        return new TcpTransport(this, PATIENCE, PATIENCE);
    }
}
