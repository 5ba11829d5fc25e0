package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.cli.CliTest.Result;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.EdgeService;

/**
 * {@code pnn classify --formants-hz … --f0 … [--talker ID]}: a measured vowel classified by a running service in its
 * model's layout (the shipped talker13 hearing bundle here), with the talker remembered over runs, and the options'
 * misuse refused with exit 2 and a message naming the option.
 */
class ClassifyMeasurementCliTest {
    private static final String DEVICE = "emulator:shg?seed=1&timing=zero";

    private static String hz(Vowel v) {
        double[] mean = SyntheticVowels.meanHz(TalkerGroup.MEN, v);
        StringJoiner j = new StringJoiner(",");
        for (double x : mean) {
            j.add(Double.toString(x));
        }
        return j.toString();
    }

    @Test
    void aServiceRemembersTheTalkerAcrossRuns(@TempDir Path state) throws Exception {
        Path root = ModelsCliTest.repoRoot();
        try (EdgeService service = EdgeService.start(RuntimeConfig.load(null, Map.of(), Map.of(
                "device.uri", DEVICE, "state.dir", state.toString(),
                "bundle.initial", root.resolve("src/dist/models/vowels7-talker13.pnnb").toString(),
                "bundle.trusted_keys", root.resolve("src/dist/keys/pnn-release.pub").toString())))) {
            String socket = state.resolve("control.sock").toString();
            int learned = 0;
            for (Vowel v : new Vowel[] {Vowel.IY, Vowel.AH, Vowel.UW}) {
                Result r = CliTest.run("classify", "--formants-hz", hz(v), "--f0", "120", "--talker", "desk-3",
                        "--socket", socket, "--json");
                assertEquals(0, r.exit(), r.out() + r.err());
                JsonNode a = Json.MAPPER.readTree(r.out());
                assertEquals("talker13", a.path("featureLayout").asText(), r.out());
                assertEquals("desk-3", a.path("talker").path("id").asText(), r.out());
                learned += a.path("talker").path("learned").asBoolean() ? 1 : 0;
                assertEquals(learned, a.path("talker").path("vowels").asInt(), r.out());
            }
            assertTrue(learned > 0, "a man's mean vowels are confident enough to be learned");
            assertEquals(3, service.status().get("inferences").asLong(), "the service did the classifying");
            Result text = CliTest.run("classify", "--formants-hz", hz(Vowel.AE), "--f0", "120", "--socket", socket);
            assertEquals(0, text.exit(), text.out() + text.err());
            assertTrue(text.out().contains("vowels7@"), text.out());
        }
    }

    @Test
    void misuseIsRefusedByName() throws Exception {
        String root = ModelsCliTest.repoRoot().toString();
        String bundle = root + "/src/dist/models/vowels7-talker13.pnnb";
        String[][] cases = {
                {"--f0 goes with --formants-hz", "classify", "--features", "1,2", "--f0", "100", "--device", DEVICE,
                        "--bundle", bundle},
                {"--talker goes with --wav or --formants-hz", "classify", "--features", "1,2", "--talker", "a",
                        "--device", DEVICE, "--bundle", bundle},
                {"--formants-hz needs 12 values", "classify", "--formants-hz", "300,2000", "--f0", "100",
                        "--device", DEVICE, "--bundle", bundle},
                {"--formants-hz: 'x' is not a number", "classify", "--formants-hz", "x", "--device", DEVICE,
                        "--bundle", bundle},
                {"--talker needs a running service", "classify", "--formants-hz", hz(Vowel.IY), "--f0", "120",
                        "--talker", "a", "--device", DEVICE, "--bundle", bundle},
                {"feature layout talker13 needs F0: give the vowel's F0 with --f0 HZ", "classify", "--formants-hz",
                        hz(Vowel.IY), "--device", DEVICE, "--bundle", bundle},
                {"--f0 must be a positive number of Hz, got 0.0", "classify", "--formants-hz", hz(Vowel.IY), "--f0",
                        "0", "--device", DEVICE, "--bundle", bundle},
                {"exactly one of --features, --wav and --formants-hz", "classify", "--features", "1",
                        "--formants-hz", hz(Vowel.IY), "--device", DEVICE, "--bundle", bundle}};
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            Result r = CliTest.run(args);
            assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(r.err().contains(c[0]), "expected '" + c[0] + "' in: " + r.err());
            assertTrue(r.out().isEmpty(), r.out());
        }
        // on a device, a measurement is a talker's first word in the bundle's layout
        Result ok = CliTest.run("classify", "--formants-hz", hz(Vowel.IY), "--f0", "120", "--device", DEVICE,
                "--bundle", bundle, "--json");
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertEquals("talker13", Json.MAPPER.readTree(ok.out()).path("featureLayout").asText(), ok.out());
    }
}
