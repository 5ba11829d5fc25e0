package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.Checkout;

/**
 * The shipped Mosquitto ACL model (src/dist/mosquitto: acl, mosquitto.conf's settings, make-credentials.sh) on a
 * real Mosquitto: per-device accounts made by the shipped script, the shipped ACL file as is. A device account cannot
 * command another device (or itself), push bundles, overwrite another device's retained OTA status or read another
 * device's topics; it can publish its own telemetry and read its fleet's topics; the operator can command it;
 * anonymous clients are refused. Skipped when mosquitto or mosquitto_passwd is missing.
 */
class MosquittoAclTest {
    private static final Path DIST = Checkout.find("src/dist/mosquitto/acl").orElseThrow().getParent();
    private static MosquittoBroker broker;
    private static Map<String, String> passwords;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(MosquittoBroker.binary().isPresent(), "no mosquitto (apt-get install -y mosquitto)");
        Path passwdBin = MosquittoBroker.binary().get().resolveSibling("mosquitto_passwd");
        Assumptions.assumeTrue(Files.isExecutable(passwdBin) || Files.isExecutable(Path.of("/usr/bin/mosquitto_passwd")),
                "no mosquitto_passwd");
        Path passwd = dir.resolve("pnn.passwd");
        Path secrets = dir.resolve("secrets");
        Process p = new ProcessBuilder("bash", DIST.resolve("make-credentials.sh").toString(), passwd.toString(),
                secrets.toString(), "operator", "dashboard", "homeassistant", "pi-7", "pi-8", "pi-9")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwd)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(secrets.resolve("pi-7.env"))));
        passwords = new java.util.HashMap<>();
        for (String u : List.of("operator", "dashboard", "homeassistant", "pi-7", "pi-8", "pi-9")) {
            passwords.put(u, Files.readString(secrets.resolve(u + ".env")).trim().substring("PNN_MQTT_PASSWORD=".length()));
        }
        // the shipped settings, with this test's files (the listener line is the broker helper's)
        String conf = Files.readString(DIST.resolve("mosquitto.conf"))
                .replace("/etc/mosquitto/pnn.passwd", passwd.toString())
                .replace("/etc/mosquitto/pnn.acl", DIST.resolve("acl").toString())
                .replaceAll("(?m)^#.*$", "")
                .replaceAll("(?m)^listener .*$", "")
                .replace("per_listener_settings false", "")
                .replace("allow_anonymous false", "");
        broker = new MosquittoBroker(conf, false);
        broker.beforeAll(null);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static TestClient login(String user) throws MqttException {
        return TestClient.login(broker.uri(), user, passwords.get(user));
    }

    private static void publishDenied(TestClient c, String topic, boolean retained) throws MqttException {
        try {
            c.publish(topic, "{}".getBytes(StandardCharsets.UTF_8), 1, retained, new MqttProperties());
        } catch (MqttException e) {
            // Mosquitto answers PUBACK "not authorized" (0x87); Paho may report it as an exception
        }
    }

    @Test
    void anonymousAndWrongPasswordsAreRefused() {
        assertThrows(MqttException.class, () -> TestClient.connect(broker.uri()).close());
        assertThrows(MqttException.class, () -> TestClient.login(broker.uri(), "pi-7", "guess").close());
    }

    @Test
    void aDeviceIsConfinedToItsOwnTopicsAndOnlyTheOperatorCommands() throws Exception {
        try (TestClient operator = login("operator").subscribe("pnn/#", 1);
             TestClient pi7 = login("pi-7");
             TestClient pi8 = login("pi-8")) {
            pi8.subscribe("pnn/pi-8/cmd/#", 1).subscribe("pnn/pi-8/ota/bundle", 1)
                    .subscribe("pnn/fleet/lab/cmd/#", 1);
            pi7.subscribe("pnn/pi-8/#", 1); // refused by the ACL: pi-7 must see none of pi-8's traffic
            operator.publish("pnn/pi-8/ota/status", "{\"state\":\"switched\",\"by\":\"pi-8\"}".getBytes(
                    StandardCharsets.UTF_8), 1, true, new MqttProperties());
            operator.drain(300);

            // a compromised device tries everything it should not
            publishDenied(pi7, "pnn/pi-8/cmd/recalibrate", false);
            publishDenied(pi7, "pnn/pi-7/cmd/recalibrate", false);
            publishDenied(pi7, "pnn/fleet/lab/cmd/recalibrate", false);
            publishDenied(pi7, "pnn/pi-8/ota/bundle", false);
            publishDenied(pi7, "pnn/pi-7/ota/bundle", false);
            publishDenied(pi7, "pnn/pi-8/ota/status", true);
            publishDenied(pi7, "pnn/pi-8/telemetry", false);
            publishDenied(pi7, "pnn/pi-8/heard", false);
            // and does what it may
            pi7.publish("pnn/pi-7/telemetry", "{\"ok\":1}");
            pi7.publish("pnn/pi-7/infer/response/operator-1", "{\"label\":\"a\"}");
            pi7.publish("pnn/pi-7/heard", "{\"label\":\"iy\"}");

            List<TestClient.Received> seen = operator.drain(1500);
            // (retained messages of the other tests' devices are not part of this)
            List<String> topics = seen.stream().filter(m -> !m.retained()).map(TestClient.Received::topic).toList();
            assertEquals(List.of("pnn/pi-7/telemetry", "pnn/pi-7/infer/response/operator-1", "pnn/pi-7/heard"), topics,
                    "only pi-7's own topics got through");
            assertTrue(pi8.drain(300).isEmpty(), "pi-8 received no command or bundle from pi-7");
            assertTrue(pi7.drain(300).isEmpty(), "pi-7 read nothing of pi-8's");

            // the retained OTA status of pi-8 is still pi-8's
            try (TestClient later = login("dashboard").subscribe("pnn/pi-8/ota/status", 1)) {
                JsonNode st = later.next("pnn/pi-8/ota/status", 5).json();
                assertEquals("pi-8", st.path("by").asText(), st.toString());
            }

            // the operator commands pi-8, directly and through the fleet
            operator.publish("pnn/pi-8/cmd/recalibrate", "{}");
            operator.publish("pnn/fleet/lab/cmd/status", "{}");
            assertEquals("pnn/pi-8/cmd/recalibrate", pi8.next(5).topic());
            assertEquals("pnn/fleet/lab/cmd/status", pi8.next(5).topic());
        }
    }

    @Test
    void theDashboardReadsButCannotCommand() throws Exception {
        try (TestClient dashboard = login("dashboard").subscribe("pnn/#", 1);
             TestClient pi9 = login("pi-9").subscribe("pnn/pi-9/cmd/#", 1)) {
            publishDenied(dashboard, "pnn/pi-9/cmd/recalibrate", false);
            assertTrue(pi9.drain(800).isEmpty(), "no command from the read-only account");
            pi9.publish("pnn/pi-9/telemetry", "{}");
            assertEquals("pnn/pi-9/telemetry", dashboard.next("pnn/pi-9/telemetry", 5).topic());
        }
    }

    @Test
    void homeAssistantMayPressRecalibrateAndNothingElse() throws Exception {
        try (TestClient ha = login("homeassistant");
             TestClient pi9 = login("pi-9").subscribe("pnn/pi-9/cmd/#", 1).subscribe("pnn/pi-9/ota/bundle", 1)) {
            publishDenied(ha, "pnn/pi-9/ota/bundle", false);
            publishDenied(ha, "pnn/pi-9/cmd/rollback", false);
            ha.publish("pnn/pi-9/cmd/recalibrate", "{}");
            List<String> got = pi9.drain(1500).stream().map(TestClient.Received::topic).toList();
            assertEquals(List.of("pnn/pi-9/cmd/recalibrate"), got);
        }
    }

    @Test
    void theLinkWorksUnderTheAclWithItsOwnAccount(@TempDir Path tmp) throws Exception {
        MqttSettings s = MqttSettings.builder().brokerUri(broker.uri()).deviceId("pi-7").fleetId("lab")
                .username("pi-7").password(passwords.get("pi-7")).outboxDir(tmp.resolve("outbox"))
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500)).build();
        try (TestClient operator = login("operator").subscribe("pnn/pi-7/#", 1);
             MqttLink link = MqttLink.create(s)) {
            link.onInferenceRequest(req -> TestClient.JSON.createObjectNode().put("label", "a"));
            link.onCommand(cmd -> TestClient.JSON.createObjectNode().put("got", cmd.name()));
            link.start();
            assertTrue(link.awaitConnected(Duration.ofSeconds(15)), broker.log());
            assertEquals("online", operator.next("pnn/pi-7/status", 5).json().path("state").asText());
            link.publishTelemetry(TestClient.JSON.createObjectNode().put("n", 1));
            assertEquals(1, operator.next("pnn/pi-7/telemetry", 5).json().path("n").asInt());
            // a request whose reply goes under the device's own infer/response, where the ACL lets it publish
            MqttProperties props = new MqttProperties();
            props.setResponseTopic("pnn/pi-7/infer/response/operator-1");
            props.setCorrelationData(new byte[] {7});
            operator.publish("pnn/pi-7/infer/request", "{\"features\":[1]}".getBytes(StandardCharsets.UTF_8), 0,
                    false, props);
            TestClient.Received reply = operator.next("pnn/pi-7/infer/response/operator-1", 5);
            assertEquals("a", reply.json().path("label").asText());
        }
    }
}
