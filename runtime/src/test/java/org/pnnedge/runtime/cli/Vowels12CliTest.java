package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.audio.VowelSynthesizer;
import org.pnnedge.models.audio.WavWriter;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.runtime.TestKeys;
import org.pnnedge.runtime.cli.CliTest.Result;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.EdgeService;

/**
 * The second shipped bundle, src/dist/models/vowels12.pnnb (all 12 Hillenbrand vowels, bark13 features): signed with
 * the release key, and served by `pnn classify --wav` on a device and by a running service, whose answers name it
 * (model id, version, its 12 classes, its feature layout). Its accuracy is measured in BENCHMARKS.md ("A 12-vowel
 * model"); here a floor over the 12 mean vowels of one group only shows it is the 12-vowel model that answers.
 */
class Vowels12CliTest {
    static final String DEVICE = ClassifyWavCliTest.DEVICE;
    static final TalkerGroup GROUP = TalkerGroup.WOMEN;
    static final Path bundle = Checkout.require("src/dist/models/vowels12.pnnb");
    static final Path trust = TestKeys.release();

    @TempDir
    static Path dir;

    @Test
    void theBundleIsReleaseSignedAndSmall() throws Exception {
        BundleManifest m = Bundles.load(bundle, TrustedKeys.load(trust)).manifest();
        assertEquals("vowels12", m.modelId());
        assertEquals(Vowel.codes(Vowel.ALL_12), m.labels());
        assertEquals("bark13", m.featureLayout());
        // small for a Pi: three layers, one shot each, and a few tens of kB
        assertEquals(3, PnnBundles.model(m).architecture().shotsPerInference());
        assertTrue(Files.size(bundle) < 64 * 1024, bundle + " is " + Files.size(bundle) + " bytes");
    }

    /** The group's mean vowel, typical voice, as an /hVd/ word at 16 kHz. */
    static Path word(Vowel v) throws Exception {
        VowelSynthesizer.Rendering r = VowelSynthesizer.render(SyntheticVowels.meanHz(GROUP, v),
                VowelSynthesizer.Voice.typical(GROUP), 0.26, 16_000, true, 3, 0.5);
        Path p = dir.resolve("w-" + v.code() + ".wav");
        Files.write(p, WavWriter.mono16(r.audio().samples(), 16_000));
        return p;
    }

    /** The answer names the 12-vowel model; returns its label. */
    static String check(JsonNode a, String what) {
        assertEquals("vowels12", a.path("modelId").asText(), what + ": " + a);
        assertEquals("vowels12@" + a.path("modelVersion").asText(), a.path("model").asText(), what + ": " + a);
        assertEquals(Vowel.codes(Vowel.ALL_12), Json.MAPPER.convertValue(a.path("labels"), List.class), what + ": " + a);
        assertEquals("bark13", a.path("featureLayout").asText(), what + ": " + a);
        assertEquals(12, a.path("probabilities").size(), what + ": " + a);
        String label = a.path("label").asText();
        assertEquals(label, Vowel.ALL_12.get(a.path("index").asInt()).code(), what + ": " + a);
        return label;
    }

    @Test
    void classifyWavOnADeviceAnswersWithTheTwelveVowels() throws Exception {
        int correct = 0;
        StringBuilder summary = new StringBuilder();
        for (Vowel v : Vowel.ALL_12) {
            Result r = ClassifyWavCliTest.run("classify", "--wav", word(v).toString(), "--device", DEVICE,
                    "--bundle", bundle.toString(), "--trust", trust.toString(), "--json");
            ClassifyWavCliTest.assertNoStackTrace(r);
            String label = check(ClassifyWavCliTest.json(r), v.word());
            correct += label.equals(v.code()) ? 1 : 0;
            summary.append(String.format(Locale.ROOT, " %s→%s", v.word(), label));
        }
        System.out.printf("vowels12, %s mean /hVd/ words: %d/12 correct:%s%n", GROUP, correct, summary);
        // chance is 1/12; the bundle's heard accuracy is in BENCHMARKS.md
        assertTrue(correct >= 8, "only " + correct + "/12 of the mean words right:" + summary);
        // plain text names the model too
        Result text = ClassifyWavCliTest.run("classify", "--wav", word(Vowel.EI).toString(), "--device", DEVICE,
                "--bundle", bundle.toString(), "--trust", trust.toString());
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("vowels12@"), text.out());
    }

    @Test
    void aRunningServiceServesItAndClassifyWavAsksItForTheLayout(@TempDir Path state) throws Exception {
        try (EdgeService service = EdgeService.start(RuntimeConfig.load(null, Map.of(), Map.of(
                "device.uri", DEVICE, "state.dir", state.toString(),
                "bundle.initial", bundle.toString(), "bundle.trusted_keys", trust.toString())))) {
            JsonNode status = service.status();
            assertEquals("vowels12", status.path("model").asText(), status.toString());
            assertEquals("bark13", status.path("feature_layout").asText(), status.toString());
            assertEquals(12, status.path("labels").size(), status.toString());
            // the service's model takes 13 bark13 features: classify --wav asks the service which layout it runs
            // (before, it sent 12 hz12 features, which a 13-feature model refused by their count)
            for (Vowel v : List.of(Vowel.OA, Vowel.UH)) {
                Result r = ClassifyWavCliTest.run("classify", "--wav", word(v).toString(), "--state-dir",
                        state.toString(), "--json");
                ClassifyWavCliTest.assertNoStackTrace(r);
                check(ClassifyWavCliTest.json(r), v.word() + " on the service");
            }
            assertEquals(2, service.status().get("inferences").asLong(), "the service did the classifying");
        }
    }
}
