package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.cli.CliTest.Result;

/**
 * The documented models workflow from a bare checkout, as a user types it: characterize, fit-twin, train (signed
 * with the checkout's development key), eval, verify; synthetic vowels written to CSV, no external data.
 */
class ModelsCliTest {
    static final String DEVICE = "emulator:shg?seed=3&timing=zero";

    @TempDir
    static Path dir;

    static Path trainCsv;
    static Path testCsv;
    static Path charFile;
    static Path twinFile;
    static Path bundle;
    static Result characterize;
    static Result fit;
    static Result train;

    static Result run(String... args) {
        return CliTest.run(args);
    }

    /** The checkout's root (pnn.home). */
    static Path repoRoot() {
        return Checkout.requireRoot();
    }

    static void assertPng(Path png) throws Exception {
        assertTrue(Files.exists(png), png + " missing");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " does not decode as an image");
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100, png + " is " + img.getWidth() + "x" + img.getHeight());
    }

    @BeforeAll
    static void workflow() throws Exception {
        trainCsv = dir.resolve("train.csv");
        testCsv = dir.resolve("test.csv");
        CsvDatasets.write(SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(30).seed(1)
                .build(), trainCsv);
        CsvDatasets.write(SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(20).seed(2)
                .build(), testCsv);
        charFile = dir.resolve("c.csv");
        twinFile = dir.resolve("t.json");
        bundle = dir.resolve("m.pnnb");
        long t0 = System.nanoTime();
        characterize = run("characterize", "--device", DEVICE, "--samples", "3000", "--out", charFile.toString());
        long t1 = System.nanoTime();
        fit = run("fit-twin", "--data", charFile.toString(), "--out", twinFile.toString(), "--epochs", "15",
                "--plot", dir.resolve("fit.png").toString());
        long t2 = System.nanoTime();
        train = run("train", "--data", trainCsv.toString(), "--device", DEVICE, "--mode", "pat", "--epochs", "60",
                "--twin", twinFile.toString(), "--out", bundle.toString());
        long t3 = System.nanoTime();
        System.out.printf("CLI workflow: characterize %.1f s, fit-twin %.1f s, train %.1f s%n", (t1 - t0) / 1e9,
                (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        System.out.print(fit.out());
        System.out.print(train.out());
    }

    @Test
    void characterizeWritesAReadableFile() throws Exception {
        assertEquals(0, characterize.exit(), characterize.err());
        assertTrue(characterize.out().contains("wrote 3000 samples of shg device"), characterize.out());
        Characterization c = Characterization.read(charFile);
        assertEquals(3000, c.size());
        assertTrue(c.noiseStd()[0] > 0, "the default emulator is noisy");
    }

    @Test
    void fitTwinWritesTwinReportAndPlot() throws Exception {
        assertEquals(0, fit.exit(), fit.err());
        assertTrue(fit.out().contains("twin held-out NRMSE"), fit.out());
        assertTrue(fit.out().contains("wrote shg-greybox twin to " + twinFile), fit.out());
        JsonNode t = Json.MAPPER.readTree(twinFile.toFile());
        assertEquals("pnn-twin", t.get("format").asText());
        assertEquals("shg-greybox", t.get("twin").get("type").asText());
        assertEquals(Characterization.read(charFile).dataHash(), t.get("provenance").get("dataHash").asText());
        double nrmse = t.get("report").get("nrmse").asDouble();
        assertTrue(nrmse > 0 && nrmse < 0.4, "NRMSE " + nrmse); // measured 0.23 (noise floor 0.064)
        assertPng(dir.resolve("fit.png"));
    }

    @Test
    void trainWritesSignedBundleAndCurves() throws Exception {
        assertEquals(0, train.exit(), train.err());
        assertTrue(train.out().contains("trained vowels7 (1 layer, deep ops, PAT)"), train.out());
        assertTrue(train.out().contains("1 shot per inference"), train.out());
        assertPng(dir.resolve("m-curves-layers.png"));
        assertTrue(Files.readAllLines(dir.resolve("m-curves-layers.csv")).get(0)
                .startsWith("epoch,grad_theta_layer0,saturation_layer0"));
        assertTrue(train.out().contains("DEVELOPMENT key"), "signed with the checkout's development key: "
                + train.out());
        assertTrue(Files.exists(bundle));
        Path csv = dir.resolve("m-curves.csv");
        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,train_loss,train_accuracy,validation_accuracy,device_seconds,digital_seconds", lines.get(0));
        assertEquals(61, lines.size());
        assertTrue(lines.get(60).startsWith("60,"), lines.get(60));
        assertPng(dir.resolve("m-curves.png"));

        // pnn train signs with the local development key by default: trust it explicitly
        Result verify = run("verify", "--bundle", bundle.toString(), "--trust",
                org.pnnedge.runtime.TestKeys.devPublic().toString());
        assertEquals(0, verify.exit(), verify.err() + verify.out());
        assertTrue(verify.out().contains("VALID"), verify.out());
        assertTrue(verify.out().contains("vowels7"), verify.out());
    }

    @Test
    void evalJsonCarriesTheEnergyLedger() throws Exception {
        assertEquals(0, train.exit(), train.err());
        Result eval = run("eval", "--bundle", bundle.toString(), "--device", DEVICE, "--data", testCsv.toString(),
                "--repeats", "1", "--json");
        assertEquals(0, eval.exit(), eval.err());
        JsonNode e = Json.MAPPER.readTree(eval.out()).get("energy_per_inference_j");
        int shots = e.get("shots_per_inference").asInt();
        assertEquals(1, shots);
        double shotJ = org.pnnedge.bridge.EnergyProfile.of(org.pnnedge.bridge.PhysicsKind.SHG, "benchtop").shotJoules();
        // the emulated device counts by the bench-top model; SHG parameter loads cost nothing extra there
        assertEquals("measured", e.get("device_source").asText());
        assertEquals(shots * shotJ, e.get("device").asDouble(), shotJ * 1e-6);
        assertTrue(e.get("link").asDouble() > 0 && e.get("host").asDouble() > 0, e.toString());
        assertEquals(e.get("device").asDouble() + e.get("link").asDouble() + e.get("host").asDouble(),
                e.get("total").asDouble(), 1e-12);
        assertTrue(e.get("digital").asDouble() > 0, e.toString());
        assertEquals(e.get("total").asDouble() / e.get("digital").asDouble(), e.get("ratio").asDouble(), 1e-6);
        assertEquals("MLP [32, 32]", e.get("digital_model").asText()); // the vowels' baseline (--digital-hidden)
        assertEquals(12 * 32 + 32 * 32 + 32 * 7, e.get("digital_baselines").get("MLP [32, 32]").get("macs").asLong());
        assertEquals(12 * 7, e.get("digital_baselines").get("logistic regression").get("macs").asLong());
        assertEquals(1.647856e-9, e.get("modelled_profiles").get("integrated").get("device").asDouble(), 1e-18);
        assertEquals("pi4", e.get("host_model").asText());

        Result modelled = run("eval", "--bundle", bundle.toString(), "--device", DEVICE + "&energy=off", "--data",
                testCsv.toString(), "--repeats", "1", "--json", "--energy-profile", "integrated", "--pi-model", "pi5");
        assertEquals(0, modelled.exit(), modelled.err());
        JsonNode m = Json.MAPPER.readTree(modelled.out()).get("energy_per_inference_j");
        assertEquals("modelled", m.get("device_source").asText());
        assertEquals("integrated", m.get("device_profile").asText());
        assertEquals(1.647856e-9, m.get("device").asDouble(), 1e-18); // physics.md, "SHG, integrated"
        assertEquals(1.725, m.get("host_watts_per_core").asDouble(), 1e-12); // pi5, physics.md "Host energy"

        Result wide = run("eval", "--bundle", bundle.toString(), "--device", DEVICE, "--data", testCsv.toString(),
                "--repeats", "1", "--json", "--digital-hidden", "128");
        assertEquals(0, wide.exit(), wide.err());
        assertEquals(12 * 128 + 128 * 7, Json.MAPPER.readTree(wide.out()).get("energy_per_inference_j")
                .get("digital_baselines").get("MLP [128]").get("macs").asLong());

        Result bad = run("eval", "--bundle", bundle.toString(), "--device", DEVICE, "--data", testCsv.toString(),
                "--pi-model", "pi3");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("pi4, pi5, zero2w"), bad.err());
    }

    @Test
    void evalOverSessionsMeetsTheUnitAtOtherTimes() throws Exception {
        assertEquals(0, train.exit(), train.err());
        Result eval = run("eval", "--bundle", bundle.toString(), "--device", DEVICE + "&session=2", "--data",
                testCsv.toString(), "--repeats", "1", "--sessions", "3", "--json");
        assertEquals(0, eval.exit(), eval.err());
        JsonNode r = Json.MAPPER.readTree(eval.out());
        JsonNode sessions = r.get("sessions");
        assertEquals(3, sessions.size(), r.toString());
        double mean = 0;
        int k = 2;
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = sessions.fields(); it.hasNext(); k++) {
            Map.Entry<String, JsonNode> e = it.next();
            assertTrue(e.getKey().endsWith("session=" + k), e.getKey());
            mean += e.getValue().asDouble() / 3;
        }
        assertEquals(mean, r.get("accuracy").asDouble(), 1e-9, "the figure is the mean over the sessions");
        // one session alone reproduces its entry: each session is a fresh device of its own
        Result one = run("eval", "--bundle", bundle.toString(), "--device", DEVICE + "&session=3", "--data",
                testCsv.toString(), "--repeats", "1", "--json");
        assertEquals(sessions.get(DEVICE + "&session=3").asDouble(),
                Json.MAPPER.readTree(one.out()).get("accuracy").asDouble(), 1e-9);

        Result real = run("eval", "--bundle", bundle.toString(), "--device", "tcp://127.0.0.1:1", "--data",
                testCsv.toString(), "--sessions", "2");
        assertEquals(2, real.exit(), real.err());
        assertTrue(real.err().contains("needs an emulated device"), real.err());
    }

    static BundleManifest manifest(Path b) throws Exception {
        return Bundles.load(b, TrustedKeys.load(List.of(org.pnnedge.runtime.TestKeys.devPublic()))).manifest();
    }

    @Test
    void trainAcrossSessionsRecordsEverySession() throws Exception {
        Path across = dir.resolve("across.pnnb");
        Result r = run("train", "--data", trainCsv.toString(), "--device", DEVICE, "--epochs", "4", "--twin",
                twinFile.toString(), "--sessions", "2", "--fidelity-device", "none", "--out", across.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("trained across 2 sessions of the unit"), r.out());
        BundleManifest m = manifest(across);
        JsonNode hp = m.provenance().hyperparameters();
        assertEquals(2, hp.get("device_sessions").asInt(), hp.toString());
        assertEquals(DEVICE + "&session=0", hp.get("device_session_uris").get(0).asText());
        assertEquals(DEVICE + "&session=1", hp.get("device_session_uris").get(1).asText());
        assertEquals(DEVICE, hp.get("device_uri").asText());
        Map<String, Double> metrics = m.metrics();
        for (String k : List.of("train_accuracy_device", "validation_accuracy_device")) {
            double s0 = metrics.get(k + "_session0");
            double s1 = metrics.get(k + "_session1");
            assertTrue(s0 > 0.2 && s1 > 0.2, k + " per session " + metrics); // chance 1/7
            assertEquals((s0 + s1) / 2, metrics.get(k), 1e-12, "the figure is the mean over sessions: " + metrics);
        }
    }

    @Test
    void trainWithOneSessionIsTrainAsBefore() throws Exception {
        // noise- and drift-free, so training is deterministic: --sessions 1 must not change a single code
        String clean = "emulator:shg?seed=3&noise=off&drift=off&timing=zero";
        Path plain = dir.resolve("plain.pnnb");
        Path one = dir.resolve("one.pnnb");
        for (Path b : List.of(plain, one)) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--data", trainCsv.toString(), "--device",
                    clean, "--epochs", "3", "--twin", twinFile.toString(), "--fidelity-device", "none", "--out",
                    b.toString()));
            if (b == one) {
                args.addAll(List.of("--sessions", "1"));
            }
            Result r = run(args.toArray(String[]::new));
            assertEquals(0, r.exit(), r.err());
            assertFalse(r.out().contains("across"), r.out());
        }
        BundleManifest a = manifest(plain);
        BundleManifest b = manifest(one);
        assertEquals(a.network(), b.network());
        assertEquals(a.probes(), b.probes());
        assertEquals(a.provenance().hyperparameters(), b.provenance().hyperparameters());
        assertEquals(a.metrics().get("validation_accuracy_device"), b.metrics().get("validation_accuracy_device"));
        assertFalse(b.metrics().keySet().stream().anyMatch(k -> k.contains("session")), b.metrics().toString());
    }

    @Test
    void trainSessionsRefusedWithANamedReason() {
        String[][] cases = {
            {"tcp://127.0.0.1:1", "2", "pat", "needs an emulated device"},
            {DEVICE, "0", "pat", "--sessions must be in 1..100, got 0"},
            {DEVICE, "101", "pat", "--sessions must be in 1..100, got 101"},
            {DEVICE, "2", "insilico", "is for physics-aware training"},
            {DEVICE + "&session=x", "2", "pat", "session must be an integer"},
        };
        for (String[] c : cases) {
            Result r = run("train", "--data", trainCsv.toString(), "--device", c[0], "--sessions", c[1], "--mode",
                    c[2], "--out", dir.resolve("refused.pnnb").toString());
            assertEquals(2, r.exit(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[3]), String.join(" ", c) + ": " + r.err());
        }
        assertFalse(Files.exists(dir.resolve("refused.pnnb")));
    }

    @Test
    void evalReportsAccuracyAboveChance() throws Exception {
        assertEquals(0, train.exit(), train.err());
        Result eval = run("eval", "--bundle", bundle.toString(), "--device", DEVICE, "--data", testCsv.toString(),
                "--repeats", "2", "--json", "--confusion", dir.resolve("confusion.png").toString());
        assertEquals(0, eval.exit(), eval.err());
        JsonNode r = Json.MAPPER.readTree(eval.out());
        double acc = r.get("accuracy").asDouble();
        System.out.printf("CLI eval: accuracy %.3f ± %.3f on %d samples%n", acc, r.get("accuracy_std").asDouble(),
                r.get("n").asInt());
        assertTrue(acc > 0.5, "accuracy " + acc + " (chance 1/7)");
        assertTrue(r.get("accuracy_std").asDouble() >= 0);
        assertEquals(140, r.get("n").asInt());
        assertEquals(2, r.get("repeats").asInt());
        JsonNode conf = r.get("confusion");
        assertEquals(7, conf.size());
        int total = 0;
        int diagonal = 0;
        for (int i = 0; i < 7; i++) {
            assertEquals(7, conf.get(i).size());
            for (int j = 0; j < 7; j++) {
                total += conf.get(i).get(j).asInt();
            }
            diagonal += conf.get(i).get(i).asInt();
        }
        assertEquals(2 * 140, total, "confusion sums over repeats");
        assertEquals(acc, diagonal / 280.0, 1e-9);
        assertEquals(Vowel.PAT_7_CODES, Json.MAPPER.convertValue(r.get("labels"), List.class));
        assertPng(dir.resolve("confusion.png"));

        // the text form too
        Result text = run("eval", "--bundle", bundle.toString(), "--device", DEVICE, "--data", testCsv.toString(),
                "--repeats", "1");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("vowels7@1.0.0 on test.csv: accuracy"), text.out());
    }

    @Test
    void badInputsGiveClearMessagesAndNonZeroExit() throws Exception {
        Path missing = dir.resolve("nope.csv");
        Result noData = run("train", "--data", missing.toString(), "--device", DEVICE, "--epochs", "1",
                "--twin", twinFile.toString(), "--out", dir.resolve("x.pnnb").toString());
        assertEquals(ErrorHandler.EXIT_USAGE, noData.exit());
        assertTrue(noData.err().contains("data file not found: " + missing), noData.err());
        assertFalse(noData.err().contains("Exception"), "no stack trace: " + noData.err());

        Result mode = run("train", "--data", trainCsv.toString(), "--device", DEVICE, "--mode", "sideways",
                "--out", dir.resolve("x.pnnb").toString());
        assertEquals(ErrorHandler.EXIT_USAGE, mode.exit());
        assertTrue(mode.err().contains("--mode must be pat or insilico, got 'sideways'"), mode.err());
        assertFalse(Files.exists(dir.resolve("x.pnnb")));

        Result noChar = run("fit-twin", "--data", missing.toString(), "--out", dir.resolve("x.json").toString());
        assertEquals(ErrorHandler.EXIT_USAGE, noChar.exit());
        assertTrue(noChar.err().contains(missing.toString()), noChar.err());

        Result notATwin = run("train", "--data", trainCsv.toString(), "--device", DEVICE, "--twin",
                trainCsv.toString(), "--out", dir.resolve("x.pnnb").toString());
        assertTrue(notATwin.exit() != 0);
        assertTrue(notATwin.err().contains(trainCsv.toString()), notATwin.err());

        Result evalNoData = run("eval", "--bundle", bundle.toString(), "--device", DEVICE, "--data",
                missing.toString());
        assertEquals(ErrorHandler.EXIT_USAGE, evalNoData.exit());
        assertTrue(evalNoData.err().contains("data file not found"), evalNoData.err());

        // a tampered bundle: the payload changed after signing
        ObjectNode env = (ObjectNode) Json.MAPPER.readTree(bundle.toFile());
        String payload = new String(Base64.getDecoder().decode(env.get("payload").asText()), StandardCharsets.UTF_8);
        String changed = payload.replace("\"vowels7\"", "\"vowels8\"");
        assertTrue(!changed.equals(payload));
        env.put("payload", Base64.getEncoder().encodeToString(changed.getBytes(StandardCharsets.UTF_8)));
        Path tampered = Files.writeString(dir.resolve("tampered.pnnb"), env.toString());
        Result bad = run("eval", "--bundle", tampered.toString(), "--device", DEVICE, "--data", testCsv.toString());
        assertEquals(ErrorHandler.EXIT_BUNDLE, bad.exit(), bad.err());
        assertTrue(bad.err().contains("HASH_MISMATCH"), bad.err());
        assertTrue(bad.out().isEmpty(), "no accuracy for a tampered bundle: " + bad.out());

        Result samples = run("characterize", "--device", DEVICE, "--samples", "0", "--out",
                dir.resolve("c0.csv").toString());
        assertEquals(ErrorHandler.EXIT_USAGE, samples.exit());
        assertTrue(samples.err().contains("--samples"), samples.err());
    }

    /** Bad architecture flags are refused with the reason before any shot (and without writing a bundle). */
    @Test
    void badArchitectureFlagsAreRefusedBeforeAnyShot() throws Exception {
        Path out = dir.resolve("never.pnnb");
        String[][] cases = {
                {"--layers", "0", "--layers must be in 1..8"},
                {"--layers", "9", "--layers must be in 1..8"},
                {"--layers", "two", "--layers must be a whole number"},
                {"--input-projection", "-1", "--input-projection must be in 0..4096"},
                {"--ops", "fancy", "--ops must be deep or legacy"},
                {"--normalization", "minmax", "--normalization must be zscore or global"},
        };
        for (String[] c : cases) {
            Result r = run("train", "--data", trainCsv.toString(), "--device", DEVICE, "--twin", twinFile.toString(),
                    c[0], c[1], "--out", out.toString());
            assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), c[0] + " " + c[1] + ": " + r.err());
            assertTrue(r.err().contains(c[2]), r.err());
        }
        // a device with too few slots for the layers asked (emulator with 3 slots: 2 layers + 1 for characterization)
        Result slots = run("train", "--data", trainCsv.toString(), "--device", DEVICE + "&slots=3", "--twin",
                twinFile.toString(), "--layers", "5", "--out", out.toString());
        assertEquals(ErrorHandler.EXIT_USAGE, slots.exit(), slots.err());
        assertTrue(slots.err().contains("parameter slots"), slots.err());
        // more features than device inputs without a projection
        Path wide = dir.resolve("wide.csv");
        StringBuilder csv = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            csv.append('f').append(i).append(',');
        }
        csv.append("label\n");
        for (int r = 0; r < 6; r++) {
            for (int i = 0; i < 20; i++) {
                csv.append(0.1 * ((r * 7 + i) % 10)).append(',');
            }
            csv.append(r % 2).append('\n');
        }
        Files.writeString(wide, csv);
        Result tooWide = run("train", "--data", wide.toString(), "--device", DEVICE, "--twin", twinFile.toString(),
                "--out", out.toString());
        assertEquals(ErrorHandler.EXIT_USAGE, tooWide.exit(), tooWide.err());
        assertTrue(tooWide.err().contains("20 features but the device has 16 inputs"), tooWide.err());
        assertTrue(tooWide.err().contains("--input-projection"), tooWide.err());
        assertFalse(Files.exists(out));
    }
}
