package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-device fail-over order: a rotation of the configured list, the same for the same id, and spread so the
 * devices of a node that dies land evenly on the others (before, all went to the first failover URI).
 */
class FailoverOrderTest {
    @TempDir
    Path tmp;

    @Test
    void theOrderIsARotationOfTheConfiguredListAndStable() {
        List<String> failover = List.of("a", "b", "c", "d");
        for (int i = 0; i < 200; i++) {
            String id = "pi-" + i;
            List<String> o = FailoverOrder.of(id, failover);
            int r = failover.indexOf(o.get(0));
            for (int k = 0; k < failover.size(); k++) {
                assertEquals(failover.get((r + k) % failover.size()), o.get(k), id + ": " + o);
            }
            assertEquals(o, FailoverOrder.of(id, failover), id);
        }
        assertEquals(List.of(), FailoverOrder.of("pi-1", List.of()));
        assertEquals(List.of("a"), FailoverOrder.of("pi-1", List.of("a")));
    }

    @Test
    void rotationsArePinnedSoADevicesTargetSurvivesAnUpgrade() {
        // expected values computed outside Java (Python: String.hashCode, then murmur3's fmix32)
        assertEquals(1, FailoverOrder.rotation("pi-7", 2));
        assertEquals(0, FailoverOrder.rotation("pi-7", 3));
        assertEquals(1, FailoverOrder.rotation("sim-00001", 3));
        assertEquals(0, FailoverOrder.rotation("device-b", 2));
    }

    @Test
    void theDevicesOfADeadNodeSpreadEvenlyOverTheOthers() {
        for (int nodes : new int[] {3, 4}) {
            List<String> failover = new ArrayList<>();
            for (int k = 2; k <= nodes; k++) {
                failover.add("tcp://n" + k + ":1883");
            }
            int devices = 30_000;
            Map<String, Integer> firstTarget = new TreeMap<>();
            for (int i = 0; i < devices; i++) {
                MqttSettings s = MqttSettings.builder().brokerUri("tcp://n1:1883").failoverUris(failover)
                        .deviceId(String.format("dev-%05d", i)).outboxDir(tmp.resolve("outbox")).build();
                assertEquals("tcp://n1:1883", s.serverUris().get(0)); // the home node stays first
                firstTarget.merge(s.serverUris().get(1), 1, Integer::sum);
            }
            assertEquals(nodes - 1, firstTarget.size(), firstTarget.toString());
            double fair = (double) devices / (nodes - 1);
            for (int count : firstTarget.values()) {
                assertTrue(Math.abs(count - fair) < 0.05 * fair, nodes + " nodes, first fail-over targets " + firstTarget);
            }
        }
    }
}
