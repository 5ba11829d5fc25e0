package org.pnnedge.fleetsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The nodes an agent walks on reconnects: its home node by index, then all the others once, and the agents of any one
 * node spread evenly over the others when it dies (before, all of them went to the next node in the list).
 */
class AgentServerOrderTest {
    @Test
    void eachNodesAgentsFailOverEvenlyToTheOthers() {
        List<String> servers = List.of("n1", "n2", "n3");
        int agents = 30_000;
        Map<String, Map<String, Integer>> firstTarget = new TreeMap<>();
        for (int i = 0; i < agents; i++) {
            List<String> o = DeviceAgent.order("sim-" + String.format("%05d", i), i, servers);
            assertEquals(servers.get(i % 3), o.get(0), "home node of agent " + i);
            assertEquals(new HashSet<>(servers), new HashSet<>(o), "agent " + i + " walks every node once: " + o);
            assertEquals(3, o.size());
            firstTarget.computeIfAbsent(o.get(0), k -> new TreeMap<>()).merge(o.get(1), 1, Integer::sum);
        }
        double fair = agents / 3.0 / 2;
        for (Map.Entry<String, Map<String, Integer>> e : firstTarget.entrySet()) {
            assertEquals(2, e.getValue().size(), "agents of " + e.getKey() + " fail over to " + e.getValue());
            for (int count : e.getValue().values()) {
                assertTrue(Math.abs(count - fair) < 0.05 * fair, "agents of " + e.getKey() + " fail over to " + e.getValue());
            }
        }
    }
}
