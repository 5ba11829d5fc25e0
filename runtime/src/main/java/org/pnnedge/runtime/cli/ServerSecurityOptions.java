package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;

import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.server.ServerSecurity;
import org.pnnedge.bridge.tls.TlsFiles;
import org.pnnedge.bridge.transport.Transport;
import picocli.CommandLine.Option;

/** Who may connect to a device server, as command-line options (pnn emulate, pnn device serve; protocol.md). */
final class ServerSecurityOptions {
    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Mutual TLS: this server's certificate (chain).")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Mutual TLS: its private key (mode 0600).")
    Path key;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "Mutual TLS: CA certificate(s) that sign the "
            + "certificates of admitted clients.")
    Path ca;

    @Option(names = "--insecure-no-auth", description = "Serve a non-loopback address WITHOUT authentication: anyone "
            + "who reaches the port can load parameters, run shots and reset the device. Lab networks only.")
    boolean insecureNoAuth;

    ServerSecurity security() {
        int given = (cert != null ? 1 : 0) + (key != null ? 1 : 0) + (ca != null ? 1 : 0);
        if (given != 0 && given != 3) {
            throw new CliException("mutual TLS needs all of --tls-cert, --tls-key and --tls-ca");
        }
        try {
            return given == 3 ? ServerSecurity.mutualTls(new TlsFiles(cert, key, ca))
                    : insecureNoAuth ? ServerSecurity.unauthenticated() : ServerSecurity.loopbackOnly();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Starts the server; a refused address or unusable TLS file is a usage error naming the problem. */
    DeviceServer start(Transport device, InetAddress bind, int port, DeviceServer.Limits limits) throws IOException {
        if (port < 0 || port > 65535) {
            throw new CliException("--port must be in 0..65535 (0 picks a free one), got " + port);
        }
        ServerSecurity security = security();
        try {
            return DeviceServer.start(device, bind, port, limits, security);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        } catch (BindException e) { // the port is taken (another server) or the address is not this machine's
            throw new CliException("--port " + port + ": cannot listen on " + bind.getHostAddress() + ":" + port + ": "
                    + e.getMessage() + " (pick another port, or 0 for a free one)");
        } catch (IOException e) {
            if (security.tls().isPresent() && Optional.ofNullable(e.getMessage()).orElse("").contains("TLS")) {
                throw new CliException(e.getMessage());
            }
            throw e;
        }
    }
}
