package org.pnnedge.runtime.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.EdgeService;

/**
 * A real three-node ejabberd cluster on free loopback ports (skipped when ejabberd is not installed): MQTT 5
 * properties, wills and persistent sessions across nodes, the ACLs, the runtime on the cluster, a killed node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCluster testCluster;
    private static Path state;
    private static FleetCluster cluster;
    private static ClusterLayout layout;
    private static FleetAccounts accounts;

    @BeforeAll
    static void up() throws Exception {
        TestCluster.assumeAvailable("fleet cluster tests");
        testCluster = TestCluster.create("pnn-fleet-test-", "pnnt");
        state = testCluster.state();
        layout = testCluster.layout();
        cluster = testCluster.cluster();
        cluster.addAccount("pi-a", FleetAccounts.Role.DEVICE, "lab");
        cluster.addAccount("pi-b", FleetAccounts.Role.DEVICE, "lab");
        cluster.addAccount("pi-c", FleetAccounts.Role.DEVICE, "other");
        FleetCluster.UpReport r = testCluster.up(Duration.ofSeconds(90));
        System.out.printf("fleet cluster up in %.1f s; RSS MiB per node: %s%n", r.elapsed().toMillis() / 1000.0,
                r.status().nodes().stream().map(n -> String.format("%.0f", n.rssKib() / 1024.0)).toList());
        accounts = cluster.accounts();
        for (ClusterStatus.Node n : r.status().nodes()) {
            assertEquals(3, n.members().size(), n.toString());
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (testCluster != null) {
            testCluster.close();
        }
    }

    static String uri(int node) {
        return layout.mqttUri(node).toString();
    }

    static String password(String account) {
        return accounts.find(account).orElseThrow().password();
    }

    static ClusterClient operator(int node) throws MqttException {
        return ClusterClient.connect(uri(node), "op-" + node + "-" + System.nanoTime(), FleetAccounts.OPERATOR,
                password(FleetAccounts.OPERATOR));
    }

    /** The runtime on an emulated device in fleet lab, logged in as {@code device}, plus the broker keys given. */
    static RuntimeConfig runtime(String dir, String device, String telemetry, String... broker) throws IOException {
        Path root = Checkout.requireRoot();
        Map<String, String> m = new HashMap<>(Map.of("device.uri", "emulator:shg?seed=1&timing=zero",
                "state.dir", state.resolve(dir).toString(),
                "bundle.initial", root.resolve("src/dist/models/vowels7.pnnb").toString(),
                "bundle.trusted_keys", root.resolve("src/dist/keys/pnn-release.pub").toString(),
                "device.id", device, "mqtt.fleet", "lab",
                "mqtt.username", device, "mqtt.password", password(device), "telemetry.interval", telemetry));
        for (int i = 0; i < broker.length; i += 2) {
            m.put(broker[i], broker[i + 1]);
        }
        return RuntimeConfig.load(null, Map.of(), m);
    }

    @Test
    @Order(1)
    void aQos1RequestWithMqtt5PropertiesCrossesNodesAndIsAnswered() throws Exception {
        try (ClusterClient device = ClusterClient.connect(uri(1), "pi-a", "pi-a", password("pi-a"));
             ClusterClient controller = operator(3)) {
            assertEquals(1, device.subscribe("pnn/pi-a/cmd/#", 1));
            assertEquals(1, controller.subscribe("pnn/pi-a/infer/response", 1));
            MqttProperties p = new MqttProperties();
            p.setResponseTopic("pnn/pi-a/infer/response");
            p.setCorrelationData(new byte[] {7, 1, 2});
            p.setUserProperties(List.of(new UserProperty("sha256", "abc"), new UserProperty("stage", "canary")));
            assertEquals(0, controller.publish("pnn/pi-a/cmd/status", "{\"reason\":\"test\"}".getBytes(StandardCharsets.UTF_8), p));

            ClusterClient.Received got = device.next("pnn/pi-a/cmd/status", 10);
            MqttProperties q = got.message().getProperties();
            assertEquals(1, got.message().getQos());
            assertEquals("pnn/pi-a/infer/response", q.getResponseTopic());
            assertArrayEquals(new byte[] {7, 1, 2}, q.getCorrelationData());
            assertEquals(List.of("sha256=abc", "stage=canary"),
                    q.getUserProperties().stream().map(u -> u.getKey() + "=" + u.getValue()).toList());

            MqttProperties reply = new MqttProperties();
            reply.setCorrelationData(q.getCorrelationData());
            assertEquals(0, device.publish(q.getResponseTopic(), "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), reply));
            ClusterClient.Received answer = controller.next("pnn/pi-a/infer/response", 10);
            assertArrayEquals(new byte[] {7, 1, 2}, answer.message().getProperties().getCorrelationData());
        }
    }

    @Test
    @Order(2)
    void aWillFiresOnAnotherNode() throws Exception {
        try (ClusterClient watcher = operator(1)) {
            assertEquals(1, watcher.subscribe("pnn/pi-b/status", 1));
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setWill("pnn/pi-b/status", new MqttMessage("{\"state\":\"offline\",\"reason\":\"connection lost\"}"
                    .getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties()));
            ClusterClient device = ClusterClient.connect(uri(2), "pi-b", "pi-b", password("pi-b"), o);
            device.client.disconnectForcibly(0, 1000, false); // the socket closes without DISCONNECT: a crash
            device.client.close();
            assertTrue(watcher.next("pnn/pi-b/status", 10).text().contains("connection lost"));
        }
    }

    @Test
    @Order(3)
    void aPersistentSessionQueuesQos1AndDeliversOnAnotherNode() throws Exception {
        MqttConnectionOptions persistent = new MqttConnectionOptions();
        persistent.setCleanStart(false);
        persistent.setSessionExpiryInterval(600L);
        try (ClusterClient first = ClusterClient.connect(uri(1), "pnn-pi-c", "pi-c", password("pi-c"), persistent)) {
            assertEquals(1, first.subscribe("pnn/pi-c/ota/bundle", 1));
        } // DISCONNECT: the session (subscription + queue) stays for 600 s
        byte[] bundle = new byte[4096];
        ThreadLocalRandom.current().nextBytes(bundle);
        try (ClusterClient controller = operator(2)) {
            assertEquals(0, controller.publish("pnn/pi-c/ota/bundle", bundle, new MqttProperties()));
        }
        MqttConnectionOptions again = new MqttConnectionOptions();
        again.setCleanStart(false);
        again.setSessionExpiryInterval(600L);
        try (ClusterClient back = ClusterClient.connect(uri(3), "pnn-pi-c", "pi-c", password("pi-c"), again)) {
            ClusterClient.Received r = back.next("pnn/pi-c/ota/bundle", 10);
            assertArrayEquals(bundle, r.message().getPayload());
            assertEquals(1, r.message().getQos());
        }
    }

    @Test
    @Order(4)
    void aclsKeepDevicesInTheirOwnTopicsAndStrangersOut() throws Exception {
        try (ClusterClient spy = operator(2);
             ClusterClient a = ClusterClient.connect(uri(1), "acl-a", "pi-a", password("pi-a"))) {
            assertEquals(1, spy.subscribe("pnn/#", 1));
            assertTrue(a.publish("pnn/pi-b/telemetry", "{\"forged\":true}") >= 0x80, "publish under another device's prefix");
            assertTrue(a.publish("pnn/fleet/lab/ota/bundle", "forged") >= 0x80, "publish to the fleet topic");
            assertTrue(a.subscribe("pnn/pi-b/#", 1) >= 0x80, "read another device's topics");
            assertTrue(a.subscribe("pnn/+/telemetry", 1) >= 0x80, "read every device's telemetry");
            assertTrue(a.subscribe("pnn/fleet/other/#", 1) >= 0x80, "read another fleet's topics");
            assertEquals(1, a.subscribe("pnn/fleet/lab/#", 1), "its own fleet");
            assertEquals(0, a.publish("pnn/pi-a/telemetry", "{\"mine\":true}"));
            assertEquals("{\"mine\":true}", spy.next("pnn/pi-a/telemetry", 10).text());
            ClusterClient.Received leaked;
            while ((leaked = spy.poll(0.5)) != null) {
                assertFalse(leaked.text().contains("forged"), "a refused publish was delivered: " + leaked.topic());
            }
        }
        try (ClusterClient b = ClusterClient.connect(uri(3), "acl-b", "pi-b", password("pi-b"))) {
            // a measured limit of ejabberd 23.01 (fleet.md): the broker answers with DISCONNECT 0x9E
            assertTrue(b.subscribe("$share/g/pnn/fleet/lab/infer/request", 0) > 2, "shared subscription granted");
            Thread.sleep(200);
            assertFalse(b.client.isConnected(), "ejabberd now grants shared subscriptions: update fleet.md");
        }
        MqttException anonymous = assertThrows(MqttException.class, () -> ClusterClient.connect(uri(1), "anon", null, null));
        assertTrue(anonymous.getReasonCode() >= 0x80 || anonymous.getReasonCode() == 5, anonymous.toString());
        assertThrows(MqttException.class, () -> ClusterClient.connect(uri(2), "wrong", "pi-a", "not-the-password"));
        assertThrows(MqttException.class, () -> ClusterClient.connect(uri(3), "stranger", "nobody", "x"));
    }

    @Test
    @Order(5)
    void theRuntimeConnectsOverTlsWithItsOwnAccountAndIsSeenOnAnotherNode() throws Exception {
        RuntimeConfig config = runtime("edge", "pi-a", "PT1S", "mqtt.broker", layout.tlsUri(1).toString(),
                "mqtt.ca_file", layout.caFile().toString());
        try (ClusterClient dashboard = operator(3)) {
            assertEquals(1, dashboard.subscribe("pnn/pi-a/#", 1));
            try (EdgeService service = EdgeService.start(config)) {
                assertTrue(service.awaitMqtt(Duration.ofSeconds(20)), "the runtime connected to node 1 over TLS");
                JsonNode status = JSON.readTree(dashboard.next("pnn/pi-a/status", 15).text());
                assertEquals("online", status.get("state").asText());
                JsonNode telemetry = JSON.readTree(dashboard.next("pnn/pi-a/telemetry", 15).text());
                assertTrue(telemetry.has("seq") && telemetry.has("outbox_pending"), telemetry.toString());
                MqttProperties p = new MqttProperties();
                p.setResponseTopic("pnn/pi-a/infer/response");
                p.setCorrelationData("r-1".getBytes(StandardCharsets.UTF_8));
                assertEquals(0, dashboard.publish("pnn/pi-a/infer/request",
                        "{\"id\":\"r-1\",\"features\":[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5]}".getBytes(StandardCharsets.UTF_8), p));
                JsonNode answer = JSON.readTree(dashboard.next("pnn/pi-a/infer/response", 15).text());
                assertEquals("r-1", answer.get("id").asText());
                assertTrue(answer.has("label") && answer.has("probabilities"), answer.toString());
            }
        }
    }

    @Test
    @Order(6)
    void anAccountAddedWhileUpWorksAtOnce() throws Exception {
        FleetAccounts.Account d = cluster.addAccount("pi-d", FleetAccounts.Role.DEVICE, "lab");
        try (ClusterClient c = ClusterClient.connect(uri(2), "pi-d", "pi-d", d.password())) {
            assertEquals(1, c.subscribe("pnn/fleet/lab/#", 1), "the reloaded ACL names the new fleet member");
            assertTrue(c.subscribe("pnn/fleet/other/#", 1) >= 0x80);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.accountsFile())));
    }

    @Test
    @Order(7)
    void whenTheRuntimesNodeIsKilledStatusNamesItAndTheRuntimeCarriesOnThroughAnotherNode() throws Exception {
        RuntimeConfig config = runtime("edge-failover", "pi-b", "PT0.5S", "mqtt.broker", uri(1),
                "mqtt.servers", uri(2) + ", " + uri(3));
        try (ClusterClient dashboard = operator(3)) {
            assertEquals(1, dashboard.subscribe("pnn/pi-b/telemetry", 1));
            try (EdgeService service = EdgeService.start(config)) {
                assertTrue(service.awaitMqtt(Duration.ofSeconds(20)));
                java.util.TreeSet<Long> seqs = new java.util.TreeSet<>();
                JsonNode t = JSON.readTree(dashboard.next("pnn/pi-b/telemetry", 15).text());
                seqs.add(t.get("seq").asLong());
                assertEquals(1, cluster.status().nodes().get(0).clients() > 0 ? 1 : 0, "the runtime sits on node 1");

                long pid = cluster.status().nodes().get(0).pid();
                ProcessHandle node1 = ProcessHandle.of(pid).orElseThrow();
                node1.destroyForcibly();
                node1.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                long killedAt = seqs.last();

                ClusterStatus after = cluster.status();
                assertEquals(List.of(1), after.down().stream().map(ClusterStatus.Node::index).toList());
                String text = FleetCluster.describeDown(after);
                assertTrue(text.contains("node 1 (" + layout.nodeName(1)) && text.contains("process " + pid + " is gone"), text);

                // telemetry produced during and after the failover arrives through node 2, none missing, none dropped
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seqs.last() < killedAt + 8 && System.nanoTime() < end) {
                    ClusterClient.Received r = dashboard.poll(1);
                    if (r != null && r.topic().equals("pnn/pi-b/telemetry")) {
                        JsonNode x = JSON.readTree(r.text());
                        seqs.add(x.get("seq").asLong());
                        assertEquals(0, x.get("outbox_dropped").asInt(), x.toString());
                    }
                }
                assertTrue(seqs.last() >= killedAt + 8, "telemetry resumed after the kill: " + seqs);
                assertEquals(seqs.last() - seqs.first() + 1, seqs.size(), "a gap in the telemetry sequence: " + seqs);
            }
        }
    }

}
