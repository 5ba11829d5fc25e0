package org.pnnedge.runtime.cli;

import java.time.Duration;

import org.pnnedge.bridge.server.DeviceServer;
import picocli.CommandLine.Option;

/** The device server's resource bounds as command-line options (pnn emulate, pnn device serve). */
final class ServerLimitsOptions {
    @Option(names = "--max-clients", defaultValue = "8", description = "Connections served at once; more are "
            + "closed at once (default ${DEFAULT-VALUE}, at most 1024).")
    int maxClients;

    @Option(names = "--idle-timeout", defaultValue = "120", paramLabel = "SECONDS", description = "A client that "
            + "sends nothing for this long is dropped (default ${DEFAULT-VALUE}).")
    int idleSeconds;

    DeviceServer.Limits limits() {
        if (maxClients < 1 || idleSeconds < 1) {
            throw new CliException("--max-clients and --idle-timeout must be at least 1");
        }
        if (maxClients > DeviceServer.Limits.MAX_CLIENTS) {
            throw new CliException("--max-clients is at most " + DeviceServer.Limits.MAX_CLIENTS + " (one device "
                    + "answers one request at a time), got " + maxClients);
        }
        return new DeviceServer.Limits(maxClients, Duration.ofSeconds(idleSeconds));
    }
}
