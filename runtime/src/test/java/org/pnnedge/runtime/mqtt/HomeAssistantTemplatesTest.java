package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.ControlServer;
import org.pnnedge.runtime.edge.EdgeService;

/**
 * Every Home Assistant sensor's {@code value_template}, rendered by Jinja2 (the template engine Home Assistant
 * uses) on what the service really publishes: the first telemetry, before any inference, when latencies and energy
 * figures are still {@code null}; a later one, after a recalibration; a heard event. A template must give a number or {@code None}
 * (unknown) for a sensor with a unit, never an error ({@code null / 1000} is one), and the last vowel for the heard
 * sensor. Skipped without a python3 that has jinja2 (Debian: python3-jinja2).
 */
class HomeAssistantTemplatesTest {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    private static final double[] FEATURES = {0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8};

    /** Renders each {template, payload} as Home Assistant would: {@code value_json} is the parsed payload. */
    private static final String RENDER = String.join("\n",
            "import json, sys, jinja2",
            "env = jinja2.Environment()",
            "out = []",
            "for c in json.load(sys.stdin):",
            "    try:",
            "        out.append(env.from_string(c['template']).render(value_json=c['payload']).strip())",
            "    except Exception as e:",
            "        out.append('ERROR: %s: %s' % (type(e).__name__, e))",
            "print(json.dumps(out))");

    @TempDir
    Path dir;

    private static String python() throws Exception {
        for (String p : List.of("python3", "/usr/bin/python3")) {
            try {
                Process pr = new ProcessBuilder(p, "-c", "import jinja2").redirectErrorStream(true).start();
                pr.getInputStream().readAllBytes();
                if (pr.waitFor(30, TimeUnit.SECONDS) && pr.exitValue() == 0) {
                    return p;
                }
            } catch (java.io.IOException e) {
                // not there: try the next
            }
        }
        return null;
    }

    private static List<String> render(String python, List<String> templates, List<JsonNode> payloads)
            throws Exception {
        ArrayNode cases = TestClient.JSON.createArrayNode();
        for (int i = 0; i < templates.size(); i++) {
            cases.addObject().put("template", templates.get(i)).set("payload", payloads.get(i));
        }
        Process p = new ProcessBuilder(python, "-c", RENDER).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write(TestClient.JSON.writeValueAsBytes(cases));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "jinja2 render: " + out);
        return TestClient.JSON.readerForListOf(String.class).readValue(out);
    }

    @Test
    void everySensorRendersANumberOrUnknownBeforeAndAfterTheFirstInference() throws Exception {
        String python = python();
        assumeTrue(python != null, "no python3 with jinja2 (apt-get install python3-jinja2): templates not rendered");
        Path state = dir.resolve("state");
        Map<String, String> m = new HashMap<>(Map.of("device.uri", "emulator:shg?seed=1&timing=zero",
                "state.dir", state.toString(), "device.id", "ha-1",
                "bundle.initial", Checkout.require("src/dist/models/vowels7.pnnb").toString(),
                "bundle.trusted_keys", org.pnnedge.runtime.TestKeys.release().toString(),
                "mqtt.broker", BROKER.uri(), "telemetry.interval", "PT0.3S", "recal.interval", "PT0S"));
        m.put("mqtt.home_assistant", "true");
        try (EdgeService s = EdgeService.start(RuntimeConfig.load(null, Map.of(), m));
             TestClient ha = TestClient.connect(BROKER.uri())) {
            assertTrue(s.awaitMqtt(Duration.ofSeconds(60)), "connected");
            ha.subscribe("homeassistant/sensor/ha-1/+/config", 1).subscribe("pnn/ha-1/telemetry", 1)
                    .subscribe("pnn/ha-1/heard", 0);
            Map<String, JsonNode> sensors = new LinkedHashMap<>();
            JsonNode first = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((first == null || sensors.size() < 11) && System.nanoTime() < deadline) {
                for (TestClient.Received r : ha.drain(200)) {
                    if (r.topic().endsWith("/config")) {
                        sensors.put(r.topic(), r.json());
                    } else if (r.topic().endsWith("/telemetry") && first == null) {
                        first = r.json();
                    }
                }
            }
            assertTrue(first != null && first.path("inferences").asLong() == 0, "a telemetry before inference: "
                    + first);
            assertTrue(first.path("latency_p50_us").isNull(), "no latency yet: " + first);
            for (int i = 0; i < 5; i++) {
                s.classify(FEATURES);
            }
            ObjectNode ask = TestClient.JSON.createObjectNode().put("op", "classify").put("publish", true);
            ask.set("features", TestClient.JSON.valueToTree(FEATURES));
            ControlServer.request(state.resolve("control.sock"), ask, Duration.ofSeconds(10));
            ControlServer.request(state.resolve("control.sock"), TestClient.JSON.createObjectNode()
                    .put("op", "recalibrate"), Duration.ofSeconds(60)); // the drift sensor's figure
            JsonNode later = null;
            JsonNode heard = null;
            deadline = System.nanoTime() + 30_000_000_000L;
            while ((later == null || heard == null) && System.nanoTime() < deadline) {
                for (TestClient.Received r : ha.drain(200)) {
                    if (r.topic().endsWith("/heard")) {
                        heard = r.json();
                    } else if (r.topic().endsWith("/telemetry") && r.json().path("inferences").asLong() >= 6
                            && r.json().has("inferences_per_s") && r.json().has("last_recalibration")) {
                        later = r.json();
                    }
                }
            }
            assertTrue(later != null && heard != null, "telemetry after 6 inferences and a heard event");
            for (JsonNode[] when : new JsonNode[][] {{first, heard}, {later, heard}}) {
                List<String> templates = sensors.values().stream().map(c -> c.path("value_template").asText())
                        .toList();
                List<JsonNode> payloads = sensors.values().stream()
                        .map(c -> c.path("state_topic").asText().endsWith("/heard") ? when[1] : when[0]).toList();
                List<String> got = render(python, templates, payloads);
                int i = 0;
                for (Map.Entry<String, JsonNode> e : sensors.entrySet()) {
                    String v = got.get(i++);
                    String what = e.getKey() + " " + e.getValue().path("value_template").asText() + " on "
                            + (when[0] == first ? "the first telemetry" : "a later one") + " gave '" + v + "'";
                    assertTrue(!v.startsWith("ERROR"), what);
                    if (e.getValue().has("unit_of_measurement")) {
                        assertTrue(v.equals("None") || v.matches("-?[0-9.]+(e-?[0-9]+)?"), what);
                    }
                    if (e.getKey().contains("/latency_") || e.getKey().contains("/drift/")) {
                        assertEquals(when[0] == first, v.equals("None"), what); // unknown, then a number
                    }
                    if (e.getKey().endsWith("/heard/config")) {
                        assertEquals(heard.path("label").asText(), v, what);
                    }
                }
            }
        }
    }
}
