package org.pnnedge.bridge.transport.tcp;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import org.pnnedge.bridge.DeviceProvider;
import org.pnnedge.bridge.UriQuery;
import org.pnnedge.bridge.tls.TlsFiles;

/**
 * The {@code tcp://host:port} scheme: a device bridge in another process or on another machine. Mutual TLS with
 * {@code tls_cert=…&tls_key=…&tls_ca=…} (all three PEM paths, URL-encoded), optionally {@code tls_verify_host=off};
 * a plain connection beyond loopback needs {@code insecure_no_auth=on} (protocol.md, "Authentication").
 */
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
        q.requireOnly("tls_cert", "tls_key", "tls_ca", "tls_verify_host", "insecure_no_auth");
        Optional<TlsFiles> tls = tls(q);
        boolean[] verifyHost = {true};
        boolean[] insecure = {false};
        q.ifOnOff("tls_verify_host", v -> verifyHost[0] = v);
        q.ifOnOff("insecure_no_auth", v -> insecure[0] = v);
        if (tls.isEmpty() && q.has("tls_verify_host")) {
            throw new IllegalArgumentException("tls_verify_host needs tls_cert, tls_key and tls_ca");
        }
        return new TcpEndpoint(host, UriQuery.intValue("port", hp.substring(colon + 1)), tls, verifyHost[0],
                insecure[0]);
    }

    private static Optional<TlsFiles> tls(UriQuery q) {
        int given = (q.has("tls_cert") ? 1 : 0) + (q.has("tls_key") ? 1 : 0) + (q.has("tls_ca") ? 1 : 0);
        if (given == 0) {
            return Optional.empty();
        }
        if (given != 3) {
            throw new IllegalArgumentException("mutual TLS needs all of tls_cert, tls_key and tls_ca");
        }
        return Optional.of(new TlsFiles(path(q, "tls_cert"), path(q, "tls_key"), path(q, "tls_ca")));
    }

    private static Path path(UriQuery q, String key) {
        String v = q.get(key);
        try {
            if (v.isBlank()) {
                throw new InvalidPathException(v, "empty");
            }
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(key + " is not a valid path: '" + v + "'");
        }
    }
}
