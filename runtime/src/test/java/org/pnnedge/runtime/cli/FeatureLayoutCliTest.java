package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.audio.VowelSynthesizer;
import org.pnnedge.models.audio.WavWriter;
import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.cli.CliTest.Result;

/**
 * Feature layouts through the command line: the shipped (legacy) bundle answers as before, a bundle trained on
 * another layout gets that layout's features from `classify --wav`, and data and training check the layout.
 */
class FeatureLayoutCliTest {
    static final String DEVICE = ClassifyWavCliTest.DEVICE;

    @TempDir
    Path dir;

    @Test
    void theShippedBundleHasNoLayoutFieldAndClassifiesTheWavAsItsPatFeatures() throws Exception {
        ClassifyWavCliTest.checkout();
        Path wav = dir.resolve("w_ih.wav");
        Files.write(wav, WavWriter.mono16(VowelSynthesizer.vowel(TalkerGroup.WOMEN, Vowel.IH, 3).audio().samples(),
                16000));
        JsonNode a = ClassifyWavCliTest.json(ClassifyWavCliTest.onDevice(wav, "--json"));
        assertEquals("hz12", a.path("featureLayout").asText(), a.toString());
        double[] hz = Json.MAPPER.treeToValue(a.get("formants_hz"), double[].class);
        double[] pat = Normalization.patVowel7().apply(hz);
        StringBuilder f = new StringBuilder();
        for (double v : pat) {
            f.append(f.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.17g", v));
        }
        JsonNode b = ClassifyWavCliTest.json(ClassifyWavCliTest.run("classify", "--features", f.toString(),
                "--device", DEVICE, "--bundle", ClassifyWavCliTest.bundle.toString(), "--trust",
                ClassifyWavCliTest.trust.toString(), "--json"));
        assertEquals(a.path("label").asText(), b.path("label").asText(), "the same features as before layouts");
    }

    @Test
    void aBark13BundleGetsBark13FeaturesAndTrainingChecksTheColumns() throws Exception {
        ClassifyWavCliTest.checkout();
        Path wavs = Files.createDirectories(dir.resolve("wavs"));
        for (Vowel v : List.of(Vowel.IY, Vowel.AH)) {
            for (TalkerGroup g : List.of(TalkerGroup.MEN, TalkerGroup.WOMEN)) {
                Files.write(wavs.resolve(g.name().toLowerCase(Locale.ROOT) + "_" + v.word() + ".wav"),
                        WavWriter.mono16(VowelSynthesizer.vowel(g, v, 1).audio().samples(), 16000));
            }
        }
        Files.writeString(wavs.resolve("notes.wav"), "not audio, and no vowel in the name");
        Path csv = dir.resolve("bark.csv");
        Result d = ClassifyWavCliTest.run("data", "wavs", "--dir", wavs.toString(), "--vowels", "iy,ah", "--units",
                "bark13", "--out", csv.toString());
        assertEquals(0, d.exit(), d.out() + d.err());
        assertTrue(d.out().contains("wrote 4 measured tokens") && d.out().contains("skipped 1 without a vowel"),
                d.out());
        Dataset ds = CsvDatasets.load(csv);
        assertEquals(FeatureLayout.BARK13.names(), ds.featureNames());

        Path bundle = dir.resolve("bark.pnnb");
        List<String> train = List.of("train", "--data", csv.toString(), "--device", DEVICE, "--epochs", "3",
                "--samples", "600", "--validation", "0", "--out", bundle.toString(), "--model-id", "bark-test");
        Result wrong = ClassifyWavCliTest.run(concat(train, "--feature-layout", "log13"));
        assertEquals(2, wrong.exit(), wrong.out() + wrong.err());
        assertTrue(wrong.err().contains("--feature-layout log13 needs the columns"), wrong.err());
        Result t = ClassifyWavCliTest.run(concat(train, "--feature-layout", "bark13"));
        assertEquals(0, t.exit(), t.out() + t.err());
        Result v = ClassifyWavCliTest.run("verify", "--bundle", bundle.toString(), "--json");
        assertEquals("bark13", Json.MAPPER.readTree(v.out()).path("feature_layout").asText(), v.out());
        Result human = ClassifyWavCliTest.run("verify", "--bundle", bundle.toString());
        assertTrue(human.out().contains("features    bark13"), human.out());

        JsonNode a = ClassifyWavCliTest.json(ClassifyWavCliTest.run("classify", "--wav",
                wavs.resolve("women_heed.wav").toString(), "--device", DEVICE, "--bundle", bundle.toString(),
                "--trust", org.pnnedge.runtime.TestKeys.devPublic().toString(), "--json")); // train signed it
        assertEquals("bark13", a.path("featureLayout").asText(), a.toString());
        assertTrue(List.of("iy", "ah").contains(a.path("label").asText()), a.toString());
    }

    @Test
    void talker13DataTakesGFromTheTalkersEarlierWordsAndTheFirstWordFromItsF0() throws Exception {
        ClassifyWavCliTest.checkout();
        Path wavs = Files.createDirectories(dir.resolve("talkers"));
        for (TalkerGroup g : List.of(TalkerGroup.MEN, TalkerGroup.WOMEN)) {
            for (Vowel v : List.of(Vowel.IY, Vowel.AH)) { // file-name order per talker: heed, then hod
                Files.write(wavs.resolve(g.name().toLowerCase(Locale.ROOT) + "_" + v.word() + ".wav"),
                        WavWriter.mono16(VowelSynthesizer.vowel(g, v, 2).audio().samples(), 16000));
            }
        }
        Path raw = dir.resolve("raw.csv");
        Path running = dir.resolve("running.csv");
        Path whole = dir.resolve("whole.csv");
        Path sampled = dir.resolve("sampled.csv");
        for (String[] u : new String[][] {{"hz-f0", raw.toString()}, {"talker13-running", running.toString()},
                {"talker13", whole.toString()}, {"talker13-sampled", sampled.toString()}}) {
            Result r = ClassifyWavCliTest.run("data", "wavs", "--dir", wavs.toString(), "--vowels", "iy,ah",
                    "--units", u[0], "--out", u[1]);
            assertEquals(0, r.exit(), r.out() + r.err());
        }
        Dataset hz = CsvDatasets.load(raw);
        Dataset run = CsvDatasets.load(running);
        Dataset all = CsvDatasets.load(whole);
        assertEquals(FeatureLayout.TALKER13.names(), run.featureNames());
        double[][] x = hz.features();
        // rows: men heed, men hod, women heed, women hod; each talker's first word: G from its F0
        for (int i : new int[] {0, 2}) {
            double g0 = org.pnnedge.models.data.TalkerNormalization.firstWordG(x[i][12]);
            assertEquals(Math.log(x[i][0]) - g0, run.features()[i][0], 1e-9);
            assertEquals(Math.log(x[i][12]) - g0, run.features()[i][12], 1e-9);
        }
        // its second word: G of the first, corrected by the first's vowel (heed = iy)
        for (int i : new int[] {1, 3}) {
            double g = org.pnnedge.models.data.TalkerNormalization.tokenLogMean(x[i - 1], "iy");
            assertEquals(Math.log(x[i][1]) - g, run.features()[i][1], 1e-9);
            double both = (g + org.pnnedge.models.data.TalkerNormalization.tokenLogMean(x[i], "ah")) / 2;
            assertEquals(Math.log(x[i][1]) - both, all.features()[i][1], 1e-9, "talker13: G over both words");
        }
        // talker13-sampled (training data): each word's G is its talker's other word's g, or its F0's start
        Dataset smp = CsvDatasets.load(sampled);
        String[] vowel = {"iy", "ah", "iy", "ah"};
        for (int i = 0; i < 4; i++) {
            int other = i ^ 1;
            double fromOther = org.pnnedge.models.data.TalkerNormalization.tokenLogMean(x[other], vowel[other]);
            double g = Math.log(x[i][1]) - smp.features()[i][1];
            double g0 = org.pnnedge.models.data.TalkerNormalization.firstWordG(x[i][12]);
            assertTrue(Math.abs(g - fromOther) < 1e-9 || Math.abs(g - g0) < 1e-9,
                    "row " + i + ": G " + g + " is neither the other word's " + fromOther + " nor G0(F0) " + g0);
        }
        Result convert = ClassifyWavCliTest.run("data", "convert", "--in", raw.toString(), "--units", "talker13",
                "--out", dir.resolve("c.csv").toString());
        assertEquals(2, convert.exit(), convert.out() + convert.err());
        assertTrue(convert.err().contains("needs each row's talker"), convert.err());
    }

    private static String[] concat(List<String> a, String... b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
