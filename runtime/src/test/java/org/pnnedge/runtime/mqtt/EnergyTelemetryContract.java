package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.EnergyProfile;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.EdgeService;

/**
 * The energy ledger in operation, through a real broker: telemetry carries energy per inference (mean, p95, the
 * shares) and a running total, measured from the device's counters when it keeps them and marked "modelled" when
 * it does not; Home Assistant discovery announces the total as an energy sensor in kWh.
 */
abstract class EnergyTelemetryContract {
    abstract TestBroker broker();

    private static final double[] FEATURES = {0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8};

    private EdgeService start(Path state, String id, String device) throws Exception {
        Path r = Checkout.requireRoot();
        Map<String, String> m = new HashMap<>(Map.of("device.uri", device, "state.dir", state.toString(),
                "bundle.initial", r.resolve("src/dist/models/vowels7.pnnb").toString(),
                "bundle.trusted_keys", org.pnnedge.runtime.TestKeys.release().toString(),
                "mqtt.broker", broker().uri(), "device.id", id,
                "telemetry.interval", "PT0.3S", "recal.interval", "PT0S"));
        m.put("mqtt.home_assistant", "true");
        m.put("energy.pi_model", "pi4");
        EdgeService s = EdgeService.start(RuntimeConfig.load(null, Map.of(), m));
        assertTrue(s.awaitMqtt(Duration.ofSeconds(60)), "service connected to " + broker().name());
        return s;
    }

    private static String telemetry(String id) {
        return "pnn/" + id + "/telemetry"; // mqtt.topic_prefix's default (mqtt.md)
    }

    /** The first telemetry message whose energy ledger counts at least {@code inferences}. */
    private static JsonNode telemetryWith(TestClient dashboard, String topic, long inferences) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode t = dashboard.next(topic, 20).json();
            if (t.path("inferences").asLong() >= inferences) {
                return t;
            }
        }
        throw new AssertionError("no telemetry counting " + inferences + " inferences");
    }

    @Test
    void telemetryCarriesMeasuredEnergyAndHomeAssistantAnEnergySensor(@TempDir Path state) throws Exception {
        String id = "energy-" + broker().name().replaceAll("[^A-Za-z]", "").toLowerCase();
        try (EdgeService s = start(state, id, "emulator:shg?seed=1&timing=zero&energy=benchtop");
             TestClient dashboard = TestClient.connect(broker().uri())) {
            dashboard.subscribe("homeassistant/sensor/" + id + "/+/config", 1);
            JsonNode energySensor = dashboard.next("homeassistant/sensor/" + id + "/energy_total/config", 10).json();
            assertEquals("energy", energySensor.path("device_class").asText());
            assertEquals("total_increasing", energySensor.path("state_class").asText());
            assertEquals("kWh", energySensor.path("unit_of_measurement").asText());
            assertTrue(energySensor.path("value_template").asText().contains("value_json.energy.total_kwh"));
            assertEquals(telemetry(id), energySensor.path("state_topic").asText());

            dashboard.subscribe(telemetry(id), 1);
            for (int i = 0; i < 20; i++) {
                s.classify(FEATURES);
            }
            JsonNode t = telemetryWith(dashboard, telemetry(id), 20);
            // the next interval's reading has a counter delta to measure from
            for (int i = 0; i < 5; i++) {
                s.classify(FEATURES);
            }
            JsonNode later = telemetryWith(dashboard, telemetry(id), 25);
            // "device" is the id, as on the status and OTA topics; the link's description has its own field
            assertEquals(id, later.path("device").asText(), later.toString());
            assertEquals(s.link().describe(), later.path("device_link").asText(), later.toString());
            JsonNode e = later.path("energy");
            assertEquals("measured", e.path("device_source").asText(), e.toString());
            double shot = EnergyProfile.of(PhysicsKind.SHG, "benchtop").shotJoules();
            // measured per shot: shots plus the amortised parameter loads (free on this profile) = the model's figure
            assertEquals(shot, e.path("device_j_per_shot").asDouble(), shot * 1e-3, e.toString());
            double mean = e.path("per_inference_mean_j").asDouble();
            JsonNode parts = e.path("per_inference_mean_by_part_j");
            assertEquals(mean, parts.path("device").asDouble() + parts.path("link").asDouble()
                    + parts.path("host").asDouble(), mean * 1e-9);
            assertTrue(parts.path("link").asDouble() > 0 && parts.path("host").asDouble() > 0, e.toString());
            assertTrue(e.path("per_inference_p95_j").asDouble() >= mean * 0.999, e.toString());
            assertTrue(e.path("total_j").asDouble() >= 25 * shot, e.toString());
            assertEquals(e.path("total_j").asDouble() / 3.6e6, e.path("total_kwh").asDouble(), 1e-15);
            assertTrue(e.path("total_j").asDouble() >= t.path("energy").path("total_j").asDouble(),
                    "the running total only grows");
            // every Home Assistant sensor reads a field the telemetry really carries (the latency, errors, drift and
            // model sensors once read fields that were never sent); only a recalibration's figures may be absent
            try (TestClient ha = TestClient.connect(broker().uri())) {
                ha.subscribe("homeassistant/sensor/" + id + "/+/config", 1);
                List<TestClient.Received> configs = ha.drain(2000);
                assertTrue(configs.size() >= 9, "discovery configs: " + configs.size());
                Pattern path = Pattern.compile("value_json((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
                for (TestClient.Received c : configs) {
                    if (!c.json().path("state_topic").asText().endsWith("/telemetry")) {
                        continue; // the heard sensor reads heard events (HeardOverMqttTest checks it)
                    }
                    String template = c.json().path("value_template").asText();
                    Matcher m = path.matcher(template);
                    assertTrue(m.find(), template);
                    do {
                        JsonNode n = later;
                        for (String k : m.group(1).substring(1).split("\\.")) {
                            n = n.path(k);
                        }
                        boolean mayBeAbsent = m.group(1).startsWith(".last_recalibration")
                                && template.contains("is mapping and"); // guarded: unknown until one ran
                        assertTrue(!n.isMissingNode() || mayBeAbsent, template + " reads a field the telemetry "
                                + "lacks: " + later);
                    } while (m.find());
                }
            }
        }
    }

    @Test
    void aDeviceWithoutCountersIsPricedByTheModelAndSaysSo(@TempDir Path state) throws Exception {
        String id = "energy-off-" + broker().name().replaceAll("[^A-Za-z]", "").toLowerCase();
        try (EdgeService s = start(state, id, "emulator:shg?seed=2&timing=zero&energy=off");
             TestClient dashboard = TestClient.connect(broker().uri())) {
            dashboard.subscribe(telemetry(id), 1);
            for (int i = 0; i < 3; i++) {
                s.classify(FEATURES);
            }
            telemetryWith(dashboard, telemetry(id), 3);
            JsonNode e = telemetryWith(dashboard, telemetry(id), 3).path("energy");
            assertEquals("modelled", e.path("device_source").asText(), e.toString());
            assertEquals("benchtop", e.path("model_profile").asText());
            assertEquals(EnergyProfile.of(PhysicsKind.SHG, "benchtop").shotJoules(),
                    e.path("device_j_per_shot").asDouble(), 1e-15);
        }
    }
}
