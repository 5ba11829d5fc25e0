package org.pnnedge.runtime.fleet;

import java.util.List;

/**
 * The cluster as {@code pnn fleet cluster status} reports it.
 *
 * @param nodes    one entry per node, node 1 first
 * @param sessions MQTT sessions the cluster holds (connected clients and persistent sessions of disconnected ones);
 *                 -1 when no node answered
 */
public record ClusterStatus(List<Node> nodes, int sessions) {
    /**
     * One node.
     *
     * @param index         1-based
     * @param name          Erlang node name
     * @param mqttPort      MQTT port
     * @param tlsPort       MQTT-over-TLS port
     * @param up            running, answering and a member of the cluster with every other running node
     * @param problem       why it is not up (empty when up)
     * @param pid           OS process id, -1 when none is recorded
     * @param members       cluster members as this node sees them (empty when it does not answer)
     * @param clients       established client connections on its MQTT and TLS ports
     * @param rssKib        resident memory, -1 when not running
     * @param openFileLimit the node's open-file soft limit, -1 when not running
     */
    public record Node(int index, String name, int mqttPort, int tlsPort, boolean up, String problem, long pid,
                       List<String> members, int clients, long rssKib, long openFileLimit) {
    }

    public boolean allUp() {
        return nodes.stream().allMatch(Node::up);
    }

    public List<Node> down() {
        return nodes.stream().filter(n -> !n.up()).toList();
    }
}
