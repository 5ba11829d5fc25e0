package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.audio.FormantFeatures;
import org.pnnedge.models.audio.VowelSynthesizer;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.EdgeService;

/**
 * A service running the shipped 12-vowel bundle (src/dist/models/vowels12.pnnb, release-signed) over a real
 * Mosquitto: an MQTT inference reply says which model answered (model, modelId, modelVersion, its 12 labels,
 * featureLayout), its label is one of those 12, and the retained status names the model's layout and classes.
 */
class ModelInAnswersTest {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    @TempDir
    Path dir;

    /** A service of device {@code id} on the emulator and the broker, serving the shipped {@code bundle}. */
    private Map<String, String> config(String id, String bundle) {
        return Map.of("device.uri", "emulator:shg?seed=1&timing=zero", "device.id", id,
                "state.dir", dir.resolve("state").toString(),
                "bundle.initial", Checkout.require("src/dist/models/" + bundle).toString(),
                "bundle.trusted_keys", org.pnnedge.runtime.TestKeys.release().toString(), "mqtt.broker", BROKER.uri(),
                "recal.interval", "PT0S");
    }

    @Test
    void anMqttReplyNamesTheTwelveVowelModelAndItsClasses() throws Exception {
        Map<String, String> config = config("v12-1", "vowels12.pnnb");
        // a woman's mean /ei/ ("hayed", a vowel the 7-vowel bundle does not have), measured as the device would
        VowelSynthesizer.Rendering r = VowelSynthesizer.render(SyntheticVowels.meanHz(TalkerGroup.WOMEN, Vowel.EI),
                VowelSynthesizer.Voice.typical(TalkerGroup.WOMEN), 0.26, 16_000, true, 3, 0.5);
        double[] features = FormantFeatures.extract(r.audio()).features(FeatureLayout.BARK13);
        ObjectNode request = TestClient.JSON.createObjectNode().put("id", "q-1");
        ArrayNode f = request.putArray("features");
        for (double x : features) {
            f.add(x);
        }
        try (EdgeService s = EdgeService.start(RuntimeConfig.load(null, Map.of(), config));
             TestClient requester = TestClient.connect(BROKER.uri()).subscribe("pnn/v12-1/infer/response/me", 0)
                     .subscribe("pnn/v12-1/status", 1)) {
            assertTrue(s.awaitMqtt(Duration.ofSeconds(30)), "connected");
            MqttProperties p = new MqttProperties();
            p.setResponseTopic("pnn/v12-1/infer/response/me");
            p.setCorrelationData("c-1".getBytes(StandardCharsets.UTF_8));
            requester.publish("pnn/v12-1/infer/request", TestClient.JSON.writeValueAsBytes(request), 0, false, p);
            List<String> seen = new ArrayList<>();
            JsonNode reply = null;
            JsonNode status = null;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((reply == null || status == null) && System.nanoTime() < deadline) {
                for (TestClient.Received m : requester.drain(500)) {
                    seen.add(m.topic() + " " + new String(m.payload(), StandardCharsets.UTF_8));
                    if (m.topic().endsWith("/response/me")) {
                        reply = m.json();
                    } else if (m.json().path("state").asText().equals("online") && m.json().has("labels")) {
                        status = m.json();
                    }
                }
            }
            assertTrue(reply != null && status != null, "a reply and an online status within 60 s; saw " + seen);
            List<String> twelve = Vowel.codes(Vowel.ALL_12);
            assertEquals("q-1", reply.path("id").asText(), reply.toString());
            assertEquals("vowels12", reply.path("modelId").asText(), reply.toString());
            assertEquals("vowels12@" + reply.path("modelVersion").asText(), reply.path("model").asText(), reply.toString());
            assertEquals(twelve, TestClient.JSON.convertValue(reply.path("labels"), List.class), reply.toString());
            assertEquals("bark13", reply.path("featureLayout").asText(), reply.toString());
            assertEquals(12, reply.path("probabilities").size(), reply.toString());
            assertTrue(twelve.contains(reply.path("label").asText()), reply.toString());
            assertEquals(twelve.get(reply.path("index").asInt()), reply.path("label").asText(), reply.toString());
            assertEquals("vowels12", status.path("model").asText(), status.toString());
            assertEquals("bark13", status.path("feature_layout").asText(), status.toString());
            assertEquals(twelve, TestClient.JSON.convertValue(status.path("labels"), List.class), status.toString());
        }
    }

    /**
     * A remote client with a microphone sends what it measured (formants and F0) and who spoke; the service running
     * the talker13 hearing bundle computes the features and keeps the talker's estimate over requests (mqtt.md,
     * "Measurement requests").
     */
    @Test
    void anMqttClientSendsMeasurementsAndTheServiceKeepsItsTalker() throws Exception {
        Map<String, String> config = config("t13-1", "vowels7-talker13.pnnb");
        Vowel[] words = {Vowel.IY, Vowel.AE, Vowel.UW};
        try (EdgeService s = EdgeService.start(RuntimeConfig.load(null, Map.of(), config));
             TestClient requester = TestClient.connect(BROKER.uri()).subscribe("pnn/t13-1/infer/response/me", 0)) {
            assertTrue(s.awaitMqtt(Duration.ofSeconds(30)), "connected");
            int learned = 0;
            for (int i = 0; i < words.length; i++) {
                VowelSynthesizer.Rendering r = VowelSynthesizer.render(SyntheticVowels.meanHz(TalkerGroup.WOMEN,
                        words[i]), VowelSynthesizer.Voice.typical(TalkerGroup.WOMEN), 0.26, 16_000, true, 3, 0.5);
                FormantFeatures.Result m = FormantFeatures.extract(r.audio());
                ObjectNode request = TestClient.JSON.createObjectNode().put("id", "m-" + i).put("f0Hz", m.f0Hz())
                        .put("talker", "kitchen");
                ArrayNode hz = request.putArray("formantsHz");
                for (double x : m.featuresHz()) {
                    hz.add(x);
                }
                JsonNode reply = ask(requester, "t13-1", request, "c-" + i);
                assertEquals("m-" + i, reply.path("id").asText(), reply.toString());
                assertEquals("talker13", reply.path("featureLayout").asText(), reply.toString());
                assertEquals("kitchen", reply.path("talker").path("id").asText(), reply.toString());
                learned += reply.path("talker").path("learned").asBoolean() ? 1 : 0;
                assertEquals(Math.min(learned, 7), reply.path("talker").path("vowels").asInt(), reply.toString());
            }
            ObjectNode bad = TestClient.JSON.createObjectNode().put("id", "m-bad").put("talker", "kitchen");
            bad.putArray("formantsHz").add(500);
            JsonNode error = ask(requester, "t13-1", bad, "c-bad");
            assertEquals("bad_request", error.path("error").path("kind").asText(), error.toString());
            assertTrue(error.path("error").path("message").asText().contains("formantsHz"), error.toString());
        }
    }

    private static JsonNode ask(TestClient requester, String device, ObjectNode request, String correlation)
            throws Exception {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic("pnn/" + device + "/infer/response/me");
        p.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
        requester.publish("pnn/" + device + "/infer/request", TestClient.JSON.writeValueAsBytes(request), 0, false, p);
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (TestClient.Received m : requester.drain(500)) {
                seen.add(m.topic() + " " + new String(m.payload(), StandardCharsets.UTF_8));
                if (m.json().path("id").asText().equals(request.path("id").asText())) {
                    return m.json();
                }
            }
        }
        throw new AssertionError("no reply to " + request + " within 60 s; saw " + seen);
    }
}
