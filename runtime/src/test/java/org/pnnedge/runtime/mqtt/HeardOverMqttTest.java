package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import org.pnnedge.models.audio.VowelSynthesizer;
import org.pnnedge.models.audio.WavWriter;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.cli.Main;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.ControlServer;
import org.pnnedge.runtime.edge.EdgeService;

/**
 * Deployed vowel recognition reporting over MQTT: {@code pnn listen --publish} on the device hands each answer to
 * the running service, which publishes it on {@code pnn/<d>/heard} of a real Mosquitto (what a dashboard or Home
 * Assistant reads); without {@code --publish} nothing goes out; the status counts what was published.
 */
class HeardOverMqttTest {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run pnn(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    /** A woman saying heed, had and who'd, with pauses: a recording as the microphone would give it. */
    private Path session() throws Exception {
        List<double[]> parts = new ArrayList<>();
        parts.add(new double[8000]);
        long seed = 40;
        for (Vowel v : List.of(Vowel.IY, Vowel.AE, Vowel.UW)) {
            parts.add(VowelSynthesizer.render(SyntheticVowels.meanHz(TalkerGroup.WOMEN, v),
                    VowelSynthesizer.Voice.typical(TalkerGroup.WOMEN), 0.26, 16_000, true, seed++, 0.5).audio()
                    .samples());
            parts.add(new double[8000]);
        }
        double[] all = parts.stream().flatMapToDouble(Arrays::stream).toArray();
        return Files.write(dir.resolve("session.wav"), WavWriter.mono16(all, 16_000));
    }

    @Test
    void aListenerOnTheDevicePublishesWhatItHears() throws Exception {
        Path state = dir.resolve("state");
        Map<String, String> config = Map.of("device.uri", "emulator:shg?seed=1&timing=zero", "device.id", "ear-1",
                "state.dir", state.toString(),
                "bundle.initial", Checkout.require("src/dist/models/vowels7-talker13.pnnb").toString(),
                "bundle.trusted_keys", org.pnnedge.runtime.TestKeys.release().toString(), "mqtt.broker",
                BROKER.uri(), "mqtt.home_assistant", "true", "recal.interval", "PT0S");
        Path wav = session();
        try (EdgeService s = EdgeService.start(RuntimeConfig.load(null, Map.of(), config));
             TestClient sub = TestClient.connect(BROKER.uri()).subscribe("pnn/ear-1/heard", 0)
                     .subscribe("homeassistant/sensor/ear-1/heard/config", 1)) {
            assertTrue(s.awaitMqtt(Duration.ofSeconds(30)), "connected");
            JsonNode sensor = sub.next("homeassistant/sensor/ear-1/heard/config", 10).json();
            assertEquals("pnn/ear-1/heard", sensor.path("state_topic").asText(), sensor.toString());
            assertEquals("{{ value_json.label }}", sensor.path("value_template").asText(), sensor.toString());

            Run quiet = pnn("listen", "--wav", wav.toString(), "--state-dir", state.toString(), "--json");
            assertEquals(0, quiet.exit(), quiet.err());
            assertEquals(List.of(), sub.drain(1000).stream().map(TestClient.Received::topic).toList(),
                    "without --publish nothing goes out");

            Run r = pnn("listen", "--wav", wav.toString(), "--state-dir", state.toString(), "--json", "--publish");
            assertEquals(0, r.exit(), r.err());
            List<String> printed = r.out().lines().map(l -> json(l).path("label").asText()).toList();
            assertEquals(3, printed.size(), r.out());
            List<JsonNode> events = new ArrayList<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (events.size() < 3 && System.nanoTime() < deadline) {
                sub.drain(200).forEach(m -> events.add(m.json()));
            }
            assertEquals(printed, events.stream().map(e -> e.path("label").asText()).toList(),
                    "one event per vowel, in order: " + events);
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                assertEquals("ear-1", e.path("device").asText(), e.toString());
                assertEquals("listen", e.path("source").asText(), e.toString());
                assertEquals(i + 1, e.path("seq").asInt(), e.toString());
                assertEquals("vowels7@1.1.0", e.path("model").asText(), e.toString());
                assertEquals(7, e.path("probabilities").size(), e.toString());
                assertTrue(e.path("ts").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), e.toString());
            }
            JsonNode status = ControlServer.request(state.resolve("control.sock"),
                    TestClient.JSON.createObjectNode().put("op", "status"), Duration.ofSeconds(10));
            assertEquals(3, status.path("heard").path("published").asInt(), status.path("heard").toString());
            assertEquals(0, status.path("heard").path("rate_limited").asInt(), status.path("heard").toString());
        }
    }

    @Test
    void publishWithoutAServiceIsRefusedByName() throws Exception {
        Run r = pnn("listen", "--wav", session().toString(), "--device", "emulator:shg?seed=1&timing=zero",
                "--bundle", Checkout.require("src/dist/models/vowels7-talker13.pnnb").toString(), "--publish");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--publish needs a running service (--state-dir)"), r.err());
    }

    private static JsonNode json(String line) {
        try {
            return TestClient.JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
