package org.pnnedge.runtime.fleet;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a cluster lives: its state directory, the node-name prefix (Erlang node {@code <name><i>@localhost}) and
 * the loopback ports (node {@code i}, counted from 1, listens on {@code mqttBasePort + i - 1} for MQTT and
 * {@code tlsBasePort + i - 1} for MQTT over TLS).
 *
 * @param stateDir     the cluster's directory (nodes, credentials, certificates, cookie)
 * @param name         node-name prefix, lower-case letters and digits; two clusters on one host need two names
 * @param mqttBasePort MQTT port of node 1
 * @param tlsBasePort  MQTT-over-TLS port of node 1
 * @param nodes        number of nodes (1..9)
 */
public record ClusterLayout(Path stateDir, String name, int mqttBasePort, int tlsBasePort, int nodes) {
    /** The ejabberd virtual host: MQTT user names are bare ({@code pi-7}), ejabberd stores them as pi-7@localhost. */
    public static final String HOST = "localhost";
    /** The default ports stay clear of 1883/8883, where Debian's own mosquitto or ejabberd service listens. */
    public static final int DEFAULT_MQTT_PORT = 1891;
    public static final int DEFAULT_TLS_PORT = 8891;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,19}");

    public ClusterLayout {
        stateDir = stateDir.toAbsolutePath().normalize();
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            problems.add("cluster name '" + name + "' must be 1-20 lower-case letters/digits starting with a letter");
        }
        if (nodes < 1 || nodes > 9) {
            problems.add("nodes " + nodes + " outside 1..9");
        }
        for (int p : new int[] {mqttBasePort, tlsBasePort}) {
            if (p < 1024 || p + nodes - 1 > 65535) {
                problems.add("port range " + p + ".." + (p + nodes - 1) + " outside 1024..65535");
            }
        }
        if (Math.abs(mqttBasePort - tlsBasePort) < nodes) {
            problems.add("MQTT ports " + mqttBasePort + ".. and TLS ports " + tlsBasePort + ".. overlap");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * The MQTT nodes a fleet tool connects to, from its {@code --servers} URIs ({@code tcp://host:port}); null or
     * empty = the default three nodes on loopback (ports {@link #DEFAULT_MQTT_PORT}..+2).
     *
     * @throws IllegalArgumentException naming the first URI that is not {@code tcp://host:port}
     */
    public static java.util.List<java.net.InetSocketAddress> nodeAddresses(java.util.List<java.net.URI> servers) {
        java.util.List<java.net.InetSocketAddress> nodes = new java.util.ArrayList<>();
        if (servers == null || servers.isEmpty()) {
            for (int i = 0; i < 3; i++) {
                nodes.add(new java.net.InetSocketAddress("127.0.0.1", DEFAULT_MQTT_PORT + i));
            }
            return nodes;
        }
        for (java.net.URI u : servers) {
            if (!"tcp".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1) {
                throw new IllegalArgumentException("--servers: '" + u + "' is not tcp://host:port");
            }
            nodes.add(new java.net.InetSocketAddress(u.getHost(), u.getPort()));
        }
        return nodes;
    }

    /** The default three-node layout in {@code stateDir}. */
    public static ClusterLayout standard(Path stateDir) {
        return new ClusterLayout(stateDir, "pnnfleet", DEFAULT_MQTT_PORT, DEFAULT_TLS_PORT, 3);
    }

    /**
     * A throwaway three-node layout for tests and measurements: a random cluster name {@code <prefix><random>}
     * and MQTT ports {@code b..b+2}, TLS ports {@code b+10..b+12} with {@code b} in 20000..39999, all free on
     * 127.0.0.1 when checked (a later start still names a port taken meanwhile).
     */
    public static ClusterLayout throwaway(Path stateDir, String prefix) {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        String name = prefix + Integer.toString(r.nextInt(1 << 20), 36).replaceAll("[^a-z0-9]", "x");
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + r.nextInt(20_000);
            boolean ok = true;
            for (int p : new int[] {base, base + 1, base + 2, base + 10, base + 11, base + 12}) {
                try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                    s.bind(new java.net.InetSocketAddress("127.0.0.1", p));
                } catch (java.io.IOException e) {
                    ok = false;
                }
            }
            if (ok) {
                return new ClusterLayout(stateDir, name, base, base + 10, 3);
            }
        }
        throw new IllegalStateException("no free range of ports on 127.0.0.1 found in 50 tries");
    }

    /** Erlang node name of node {@code i} (1-based). */
    public String nodeName(int i) {
        return name + i + "@" + HOST;
    }

    public int mqttPort(int i) {
        return mqttBasePort + i - 1;
    }

    public int tlsPort(int i) {
        return tlsBasePort + i - 1;
    }

    /** {@code tcp://127.0.0.1:<port>} of node {@code i}. */
    public URI mqttUri(int i) {
        return URI.create("tcp://127.0.0.1:" + mqttPort(i));
    }

    /** {@code ssl://localhost:<port>} of node {@code i} (the broker certificate names localhost and 127.0.0.1). */
    public URI tlsUri(int i) {
        return URI.create("ssl://localhost:" + tlsPort(i));
    }

    public Path nodeDir(int i) {
        return stateDir.resolve("nodes").resolve("node" + i);
    }

    /** The Erlang cookie lives in {@code home/.erlang.cookie} (HOME of every node and of the control calls). */
    public Path homeDir() {
        return stateDir.resolve("home");
    }

    public Path tlsDir() {
        return stateDir.resolve("tls");
    }

    /** PEM of the cluster's private CA: what a device passes as {@code mqtt.ca_file}. */
    public Path caFile() {
        return tlsDir().resolve("ca.pem");
    }

    public Path accountsFile() {
        return stateDir.resolve("accounts.json");
    }
}
