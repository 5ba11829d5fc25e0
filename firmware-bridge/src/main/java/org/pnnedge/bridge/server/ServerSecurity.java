package org.pnnedge.bridge.server;

import java.net.InetAddress;
import java.util.Optional;

import org.pnnedge.bridge.tls.TlsFiles;

/**
 * Who may talk to a device server (protocol.md, "Authentication"): with TLS files, every connection must complete
 * a TLS 1.3 handshake with a client certificate signed by the configured CA; without them, the server listens on
 * loopback only, unless {@code insecureNoAuth} explicitly allows anyone on the network to drive the device.
 *
 * @param tls            mutual TLS files of the server (its certificate and key, the CA of client certificates)
 * @param insecureNoAuth serve a non-loopback address without any authentication (lab networks only)
 */
public record ServerSecurity(Optional<TlsFiles> tls, boolean insecureNoAuth) {
    public ServerSecurity {
        if (tls.isPresent() && insecureNoAuth) {
            throw new IllegalArgumentException("TLS files and --insecure-no-auth contradict each other; give one");
        }
    }

    /** No authentication: loopback addresses only. */
    public static ServerSecurity loopbackOnly() {
        return new ServerSecurity(Optional.empty(), false);
    }

    /** Mutual TLS for every connection. */
    public static ServerSecurity mutualTls(TlsFiles files) {
        return new ServerSecurity(Optional.of(files), false);
    }

    /** No authentication on any address: whoever reaches the port can load parameters, run shots and reset. */
    public static ServerSecurity unauthenticated() {
        return new ServerSecurity(Optional.empty(), true);
    }

    /**
     * Refuses a bind address this security does not cover.
     *
     * @throws IllegalArgumentException for a non-loopback address without TLS and without the insecure flag
     */
    void check(InetAddress bind) {
        if (tls.isEmpty() && !insecureNoAuth && !bind.isLoopbackAddress()) {
            throw new IllegalArgumentException("refusing to serve the device on " + bind.getHostAddress()
                    + " without authentication: anyone on the network could load parameters, run shots and reset "
                    + "it. Give mutual TLS files (--tls-cert, --tls-key, --tls-ca; protocol.md, \"Authentication\")"
                    + ", or, on a network you trust completely, --insecure-no-auth");
        }
    }

    /** For the start-up line. */
    String describe() {
        return tls.map(f -> "mutual TLS 1.3 (client certificates signed by " + f.ca() + ")")
                .orElse(insecureNoAuth ? "NO AUTHENTICATION (--insecure-no-auth)" : "loopback only, no authentication");
    }
}
