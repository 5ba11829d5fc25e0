package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleReader;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.LogTee;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.EdgeService;
import org.pnnedge.runtime.edge.EdgeServiceTestAccess;
import org.pnnedge.runtime.ota.BundleStore;
import org.pnnedge.runtime.ota.CrashPoints;
import org.pnnedge.runtime.ota.OtaUpdater;
import org.pnnedge.runtime.ota.ProbeSelfTest;
import org.pnnedge.runtime.ota.UpdateOptions;

/**
 * Issue 13's attacks on a running service over a real Mosquitto: anonymous recalibrate commands, a garbage flood on
 * the bundle topic while a legitimate push arrives, and a crash in the middle of an update. The service trusts only
 * a key made for the test (no development key).
 */
class ServiceAttackTest {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();
    static final String DEVICE_URI = "emulator:shg?seed=1&timing=zero&noise=off&drift=off";
    static SigningKey key;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        key = KeyFiles.generate(false);
    }

    /** The shipped model re-signed with the test's key, and that key as the only trusted one. */
    private Map<String, String> config(String device, String... more) throws Exception {
        Path shipped = Checkout.find("src/dist/models/vowels7.pnnb").orElseThrow();
        TrustedKeys release = TrustedKeys.load(org.pnnedge.runtime.TestKeys.release());
        byte[] resigned = Bundles.sign(Bundles.load(Files.readAllBytes(shipped), release).manifest(), key);
        Path initial = dir.resolve("initial.pnnb");
        Files.write(initial, resigned);
        Path trusted = dir.resolve("trusted.pub");
        if (!Files.exists(trusted)) {
            KeyFiles.writePublic(trusted, key.publicKey(), false, false);
        }
        Map<String, String> c = new HashMap<>(Map.of("device.uri", DEVICE_URI, "device.id", device,
                "state.dir", dir.resolve("state").toString(), "bundle.initial", initial.toString(),
                "bundle.trusted_keys", trusted.toString(), "mqtt.broker", BROKER.uri(),
                "telemetry.interval", "PT1S", "recal.interval", "PT0S"));
        for (int i = 0; i < more.length; i += 2) {
            c.put(more[i], more[i + 1]);
        }
        return c;
    }

    private static EdgeService start(Map<String, String> config) throws Exception {
        EdgeService s = EdgeService.start(RuntimeConfig.load(null, Map.of(), config));
        assertTrue(s.awaitMqtt(Duration.ofSeconds(30)), "connected");
        return s;
    }

    /** Telemetry messages arriving within {@code millis}. */
    private static long telemetryDuring(TestClient c, String topic, long millis) throws Exception {
        return c.drain(millis).stream().filter(m -> m.topic().equals(topic)).count();
    }

    @Test
    void anonymousRecalibrateCommandsAreRefusedAndTelemetryKeepsFlowing() throws Exception {
        try (EdgeService s = start(config("anon-1"));
             TestClient attacker = TestClient.connect(BROKER.uri()).subscribe("replies/anon-1", 0);
             TestClient dashboard = TestClient.connect(BROKER.uri()).subscribe("pnn/anon-1/telemetry", 1)) {
            MqttProperties p = new MqttProperties();
            p.setResponseTopic("replies/anon-1");
            for (int i = 0; i < 20; i++) {
                attacker.publish("pnn/anon-1/cmd/recalibrate", "{}".getBytes(StandardCharsets.UTF_8), 1, false, p);
            }
            // each is refused "unauthorized" on arrival, before the bounded command queue (16): the answer never
            // depends on how fast the command thread drains it
            for (int i = 0; i < 20; i++) {
                JsonNode reply = attacker.next(10).json();
                assertEquals("unauthorized", reply.path("error").path("kind").asText(), "reply " + i + ": " + reply);
                assertTrue(reply.path("error").path("message").asText().contains("mqtt.broker_acl"), reply.toString());
                // and says what to do instead, on the device
                assertTrue(reply.path("error").path("message").asText().contains("run pnn recalibrate"),
                        reply.toString());
            }
            assertTrue(telemetryDuring(dashboard, "pnn/anon-1/telemetry", 6000) >= 4, "telemetry kept flowing");
            assertEquals(null, s.status().get("last_recalibration"), "nothing recalibrated");
            assertEquals(20, s.status().path("errors").path("unauthorized").asLong(), "each refusal counted");
        }
    }

    @Test
    void underTheBrokerAclTwentyRecalibrateCommandsCostOneRunAndTelemetryKeepsFlowing() throws Exception {
        try (EdgeService s = start(config("acl-1", "mqtt.broker_acl", "true", "recal.budget", "PT2S"));
             TestClient operator = TestClient.connect(BROKER.uri()).subscribe("replies/acl-1", 0)
                     .subscribe("pnn/acl-1/recal", 1);
             TestClient dashboard = TestClient.connect(BROKER.uri()).subscribe("pnn/acl-1/telemetry", 1)) {
            MqttProperties p = new MqttProperties();
            p.setResponseTopic("replies/acl-1");
            for (int i = 0; i < 20; i++) {
                operator.publish("pnn/acl-1/cmd/recalibrate", "{}".getBytes(StandardCharsets.UTF_8), 1, false, p);
            }
            long telemetry = telemetryDuring(dashboard, "pnn/acl-1/telemetry", 8000);
            List<TestClient.Received> got = operator.drain(15_000);
            long reports = got.stream().filter(m -> m.topic().equals("pnn/acl-1/recal")).count();
            long replies = got.stream().filter(m -> m.topic().equals("replies/acl-1")).count();
            assertEquals(1, reports, "one recalibration for twenty commands");
            assertEquals(20, replies, "every command answered");
            assertTrue(telemetry >= 5, "telemetry kept flowing during the commands: " + telemetry + " in 8 s");
        }
    }

    @Test
    void aGarbageFloodOnTheBundleTopicNeitherLosesALegitimatePushNorOverwritesTheOtaState() throws Exception {
        try (EdgeService s = start(config("flood-2"));
             TestClient flooder = TestClient.connect(BROKER.uri());
             TestClient watcher = TestClient.connect(BROKER.uri()).subscribe("pnn/flood-2/ota/status", 1)) {
            byte[] legit = Bundles.sign(EdgeServiceTestAccess.freshProbes(s, "1.0.1"), key);
            Random r = new Random(3);
            int garbage = 2000;
            for (int i = 0; i < garbage; i++) {
                byte[] g = new byte[64 + r.nextInt(400)];
                r.nextBytes(g);
                flooder.publish("pnn/flood-2/ota/bundle", g, 1, false, new MqttProperties());
                if (i == garbage / 2) {
                    MqttProperties up = new MqttProperties();
                    up.setUserProperties(List.of(new UserProperty("update-id", "legit-7")));
                    flooder.publish("pnn/flood-2/ota/bundle", legit, 1, false, up);
                }
            }
            MqttLinkContract.waitFor(() -> s.engine().version().equals("1.0.1"), 120, "the legitimate push applied");
            // the device's own path abused: replies asked for on its retained OTA status topic are refused
            MqttProperties own = new MqttProperties();
            own.setResponseTopic("pnn/flood-2/ota/status");
            flooder.publish("pnn/flood-2/infer/request", "{\"features\":[1]}".getBytes(StandardCharsets.UTF_8), 0,
                    false, own);
            flooder.publish("pnn/flood-2/cmd/status", "{}".getBytes(StandardCharsets.UTF_8), 1, false, own);
            flooder.publish("pnn/flood-2/cmd/recalibrate", "{}".getBytes(StandardCharsets.UTF_8), 1, false, own);
            List<TestClient.Received> statuses = watcher.drain(3000);
            // the garbage's statuses are rate-limited events: far fewer than 2 × 2000
            long events = statuses.stream().filter(m -> !m.json().has("key_id")).count();
            assertTrue(events < 200, events + " unverified-bundle statuses published");
            try (TestClient later = TestClient.connect(BROKER.uri()).subscribe("pnn/flood-2/ota/status", 1)) {
                JsonNode retained = later.next(10).json();
                assertEquals("legit-7", retained.path("update_id").asText(), retained.toString());
                assertEquals("SWITCHED", retained.path("step").asText(), retained.toString());
            }
        }
    }

    @Test
    void garbageAskingForADowngradeIsNotLoggedPerBundle() throws Exception {
        int n = 200;
        try (EdgeService s = start(config("flood-3"));
             TestClient flooder = TestClient.connect(BROKER.uri());
             LogTee tee = LogTee.start()) {
            java.util.concurrent.atomic.AtomicInteger finals = new java.util.concurrent.atomic.AtomicInteger();
            s.onOtaStatus(st -> {
                if (st.path("final").asBoolean()) {
                    finals.incrementAndGet();
                }
            });
            MqttProperties asks = new MqttProperties();
            asks.setUserProperties(List.of(new UserProperty(UpdateOptions.PROPERTY_ALLOW_DOWNGRADE, "true")));
            Random r = new Random(4);
            for (int i = 0; i < n; i++) {
                byte[] g = new byte[64 + r.nextInt(400)];
                r.nextBytes(g);
                flooder.publish("pnn/flood-3/ota/bundle", g, 1, false, asks);
            }
            MqttLinkContract.waitFor(() -> finals.get() >= n, 120, "every garbage bundle refused");
            long lines = tee.count("asks to allow a downgrade");
            assertTrue(lines >= 1 && lines <= 2, lines + " log lines for " + n + " bundles asking for a downgrade");
        }
    }

    /** The first OTA status on {@code topic} matching {@code step}, within a generous bound; fails listing what came. */
    private static JsonNode awaitStatus(TestClient c, String topic, String step) throws Exception {
        List<String> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (TestClient.Received m : c.drain(500)) {
                if (m.topic().equals(topic)) {
                    seen.add(m.json().path("step").asText() + "/" + m.json().path("reason").asText());
                    if (m.json().path("step").asText().equals(step)) {
                        return m.json();
                    }
                }
            }
        }
        throw new AssertionError("no " + step + " on " + topic + " within 60 s; saw " + seen);
    }

    @Test
    void reDeliveringTheActiveBundleAnswersAlreadyActiveButKeepsTheRetainedSwitched() throws Exception {
        try (EdgeService s = start(config("again-1"));
             TestClient operator = TestClient.connect(BROKER.uri()).subscribe("pnn/again-1/ota/status", 1)) {
            byte[] v101 = Bundles.sign(EdgeServiceTestAccess.freshProbes(s, "1.0.1"), key);
            operator.publish("pnn/again-1/ota/bundle", v101, 1, false, updateId("first"));
            awaitStatus(operator, "pnn/again-1/ota/status", "SWITCHED");
            operator.publish("pnn/again-1/ota/bundle", v101, 1, false, updateId("again"));
            // the sender still hears why nothing happened (pnn push, a rollout's re-send wait for it) ...
            JsonNode answer = awaitStatus(operator, "pnn/again-1/ota/status", "REJECTED");
            assertEquals("already-active", answer.path("reason").asText(), answer.toString());
            assertEquals("again", answer.path("update_id").asText(), answer.toString());
            // ... but the device's update state, the retained status, is still the switch (ota.md: "changes nothing")
            try (TestClient later = TestClient.connect(BROKER.uri()).subscribe("pnn/again-1/ota/status", 1)) {
                JsonNode retained = later.next(10).json();
                assertEquals("SWITCHED", retained.path("step").asText(), retained.toString());
                assertEquals("first", retained.path("update_id").asText(), retained.toString());
            }
        }
    }

    private static MqttProperties updateId(String id) {
        MqttProperties p = new MqttProperties();
        p.setUserProperties(List.of(new UserProperty("update-id", id)));
        return p;
    }

    @Test
    void anOlderSignedBundleReplayedAfterTheActiveBundleWasRemovedIsRefusedByTheVersionFloor() throws Exception {
        Map<String, String> cfg = config("replay-1");
        byte[] v110;
        try (EdgeService s = start(cfg);
             TestClient operator = TestClient.connect(BROKER.uri())) {
            v110 = Bundles.sign(EdgeServiceTestAccess.freshProbes(s, "1.1.0"), key);
            byte[] v120 = Bundles.sign(EdgeServiceTestAccess.freshProbes(s, "1.2.0"), key);
            operator.publish("pnn/replay-1/ota/bundle", v110, 1, false, new MqttProperties());
            MqttLinkContract.waitFor(() -> s.engine().version().equals("1.1.0"), 120, "1.1.0 applied");
            operator.publish("pnn/replay-1/ota/bundle", v120, 1, false, new MqttProperties());
            MqttLinkContract.waitFor(() -> s.engine().version().equals("1.2.0"), 120, "1.2.0 applied");
        }
        // while the service is stopped, its bundles are deleted: it falls back to the shipped 1.0.0
        Path store = dir.resolve("state/bundles");
        Files.delete(store.resolve(BundleStore.ACTIVE));
        Files.delete(store.resolve(BundleStore.PREVIOUS));
        try (EdgeService s = start(cfg);
             TestClient attacker = TestClient.connect(BROKER.uri()).subscribe("pnn/replay-1/ota/status", 1)) {
            assertEquals("1.0.0", s.engine().version());
            attacker.drain(500); // the retained status of the last run
            MqttProperties asks = new MqttProperties();
            asks.setUserProperties(List.of(new UserProperty("allow-downgrade", "true")));
            attacker.publish("pnn/replay-1/ota/bundle", v110, 1, false, asks); // newer than 1.0.0, validly signed
            JsonNode st = awaitStatus(attacker, "pnn/replay-1/ota/status", "REJECTED");
            assertEquals("below-version-floor", st.path("reason").asText(), st.toString());
            assertTrue(st.path("message").asText().contains("1.2.0"), st.toString());
            assertEquals("1.0.0", s.engine().version(), "the replay was not installed");
        }
    }

    @Test
    void afterACrashMidUpdateTheRetainedOtaStatusIsTheRealOutcome() throws Exception {
        Map<String, String> cfg = config("crash-1");
        Path store = dir.resolve("state/bundles");
        Files.createDirectories(store);
        TrustedKeys trusted = TrustedKeys.load(Path.of(cfg.get("bundle.trusted_keys")));
        byte[] initial = Files.readAllBytes(Path.of(cfg.get("bundle.initial")));
        byte[] v110 = Bundles.sign(Bundles.load(initial, trusted).manifest().withVersion(SemVer.parse("1.1.0")), key);
        // the first run: an update crashes once the candidate is staged (as kill -9 would), its status retained
        try (DeviceContext ctx = DeviceContext.create();
             TestClient before = TestClient.connect(BROKER.uri())) {
            DeviceLink link = ctx.open(DEVICE_URI);
            CrashPoints crash = CrashPoints.crashAt(CrashPoints.Point.AFTER_STAGED);
            BundleStore s = BundleStore.open(store, trusted, initial, BundleReader.withDefaults(), crash);
            OtaUpdater u = OtaUpdater.builder(s, link.info()).selfTest(new ProbeSelfTest(link)).crashPoints(crash)
                    .listener(st -> {
                        try {
                            before.publish("pnn/crash-1/ota/status", st.toJsonBytes(), 1, true, new MqttProperties());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).build();
            assertThrows(CrashPoints.SimulatedCrash.class,
                    () -> u.apply(v110, UpdateOptions.defaults().withUpdateId("upd-crash")));
        }
        try (TestClient stale = TestClient.connect(BROKER.uri()).subscribe("pnn/crash-1/ota/status", 1)) {
            assertEquals("STAGED", stale.next(5).json().path("step").asText(), "what the crash left retained");
        }
        // the restart
        try (EdgeService s = start(cfg)) {
            assertEquals("1.0.0", s.engine().version());
            MqttLinkContract.waitFor(() -> {
                try (TestClient now = TestClient.connect(BROKER.uri()).subscribe("pnn/crash-1/ota/status", 1)) {
                    return now.next(5).json().path("step").asText().equals("ROLLED_BACK");
                }
            }, 30, "the retained OTA status replaced by the recovered outcome");
            try (TestClient now = TestClient.connect(BROKER.uri()).subscribe("pnn/crash-1/ota/status", 1)) {
                JsonNode st = now.next(5).json();
                assertEquals("upd-crash", st.path("update_id").asText(), st.toString());
                assertEquals("interrupted", st.path("reason").asText(), st.toString());
                assertEquals("1.0.0", st.path("active_version").asText(), st.toString());
            }
        }
    }
}
