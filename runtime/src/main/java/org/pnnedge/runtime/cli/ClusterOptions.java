package org.pnnedge.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.pnnedge.runtime.fleet.ClusterLayout;
import picocli.CommandLine.Option;

/**
 * Where a fleet's broker cluster lives ({@link ClusterLayout}): the options of {@code pnn fleet cluster|account} and
 * of the controller's {@code pnn fleet up|down}, which extend this class so both name and default them alike.
 */
public class ClusterOptions {
    @Option(names = "--state-dir", defaultValue = "/var/lib/pnn-edge/fleet", paramLabel = "DIR",
            description = "Cluster state: node directories, accounts.json (0600), CA, cookie. Default ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(names = "--name", defaultValue = "pnnfleet", description = "Node-name prefix (nodes <name>1@localhost ...). Default ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--mqtt-port", defaultValue = "" + ClusterLayout.DEFAULT_MQTT_PORT,
            description = "MQTT port of node 1; node i uses port+i-1. Default ${DEFAULT-VALUE}.")
    int mqttPort;

    @Option(names = "--tls-port", defaultValue = "" + ClusterLayout.DEFAULT_TLS_PORT,
            description = "MQTT-over-TLS port of node 1. Default ${DEFAULT-VALUE}.")
    int tlsPort;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (1..9). Default ${DEFAULT-VALUE}.")
    int nodes;

    /** The fleet's state directory (the cluster's, and the controller's database under it). */
    public Path stateDir() {
        return stateDir;
    }

    /** The layout these options describe. */
    public ClusterLayout layout() {
        if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) { // else a stack trace at the first node's file
            throw new IllegalArgumentException("--state-dir " + stateDir + " is a file, not a directory");
        }
        return new ClusterLayout(stateDir, name, mqttPort, tlsPort, nodes);
    }
}
