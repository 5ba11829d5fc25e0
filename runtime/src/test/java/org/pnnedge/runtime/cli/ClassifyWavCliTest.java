package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.audio.VowelSynthesizer;
import org.pnnedge.models.audio.WavWriter;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.cli.CliTest.Result;
import org.pnnedge.runtime.edge.EdgeService;
import org.pnnedge.runtime.config.RuntimeConfig;

/**
 * {@code pnn classify --wav} through the real command line: synthesized vowels (known formants and F0) classified
 * directly on an emulated device and on a running service, and every kind of bad recording refused with one clear
 * line, a usage exit code and no stack trace.
 *
 * <p>The shipped bundle is being retrained, so exact labels are only asserted as a floor over the seven mean
 * vowels (the current bundle gets about 6/7 of the women's means; ih → iy is the usual miss).
 */
class ClassifyWavCliTest {
    static final String DEVICE = "emulator:shg?seed=1&timing=zero";
    static final TalkerGroup GROUP = TalkerGroup.WOMEN;

    @TempDir
    static Path dir;

    static Path bundle;
    static Path trust;

    @BeforeAll
    static void checkout() {
        Path root = ModelsCliTest.repoRoot();
        bundle = root.resolve("src/dist/models/vowels7.pnnb");
        trust = root.resolve("src/dist/keys/pnn-release.pub");
    }

    /** Runs the CLI in-process; also catches anything written to the process's own stdout/stderr meanwhile. */
    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
        ByteArrayOutputStream sysErr = new ByteArrayOutputStream();
        Result r;
        try {
            System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
            r = CliTest.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String stray = sysOut.toString(StandardCharsets.UTF_8);
        // nothing may reach the real stdout behind picocli's back: it would corrupt --json for a script
        assertEquals("", stray, "output on System.out outside the command's writer for " + Arrays.toString(args));
        // the process's stderr is where logs go; keep them visible in the test report
        System.err.print(sysErr.toString(StandardCharsets.UTF_8));
        return new Result(r.exit(), r.out(), r.err() + sysErr.toString(StandardCharsets.UTF_8));
    }

    static Result onDevice(Path wav, String... extra) {
        List<String> args = new ArrayList<>(List.of("classify", "--wav", wav.toString(), "--device", DEVICE,
                "--bundle", bundle.toString(), "--trust", trust.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    static Path wav(String name, double[] samples, int rate) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, WavWriter.mono16(samples, rate));
        return p;
    }

    /** The group's mean vowel, typical voice, 260 ms, at {@code rate}. */
    static VowelSynthesizer.Rendering vowel(Vowel v, int rate, long seed) {
        return VowelSynthesizer.render(SyntheticVowels.meanHz(GROUP, v), VowelSynthesizer.Voice.typical(GROUP), 0.26,
                rate, false, seed, 0.5);
    }

    static void assertNoStackTrace(Result r) {
        String all = r.out() + r.err();
        assertFalse(all.contains("Exception"), "no exception names: " + all);
        assertFalse(all.contains("\tat "), "no stack trace: " + all);
    }

    /** One JSON object on stdout, nothing else (no log lines, no progress). */
    static JsonNode json(Result r) throws Exception {
        assertEquals(0, r.exit(), r.out() + r.err());
        String out = r.out().strip();
        assertTrue(out.startsWith("{") && out.endsWith("}"), "only JSON on stdout: " + out);
        // fails on anything after the object, e.g. a log line
        return Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(out);
    }

    /** The checks every good answer must pass; returns the label. */
    static String checkAnswer(JsonNode a, VowelSynthesizer.Rendering r, String what) {
        String label = a.path("label").asText();
        assertTrue(Vowel.PAT_7_CODES.contains(label), what + ": label " + a);
        double conf = a.path("confidence").asDouble(-1);
        assertTrue(conf > 0 && conf <= 1, what + ": confidence " + a);
        JsonNode p = a.path("probabilities");
        assertEquals(7, p.size(), what + ": " + a);
        double sum = 0;
        double max = 0;
        for (JsonNode x : p) {
            sum += x.asDouble();
            max = Math.max(max, x.asDouble());
        }
        assertEquals(1, sum, 1e-6, what + ": probabilities sum " + a);
        assertEquals(max, p.get(a.path("index").asInt()).asDouble(), 1e-12, what + ": label is the most probable " + a);
        assertEquals(label, Vowel.PAT_7_CODES.get(a.path("index").asInt()), what + ": index and label " + a);
        assertTrue(a.path("model").asText().startsWith("vowels7@"), what + ": " + a);
        // which model answered: id, version, its classes in index order and its feature layout
        assertEquals("vowels7", a.path("modelId").asText(), what + ": " + a);
        assertEquals(a.path("model").asText(), "vowels7@" + a.path("modelVersion").asText(), what + ": " + a);
        assertEquals(Vowel.PAT_7_CODES, Json.MAPPER.convertValue(a.path("labels"), List.class), what + ": " + a);
        assertEquals("hz12", a.path("featureLayout").asText(), what + ": " + a);

        JsonNode hz = a.path("formants_hz");
        assertEquals(12, hz.size(), what + ": " + a);
        double[] truth = r.truthHz();
        for (int t = 0; t < 4; t++) {
            double f1 = hz.get(3 * t).asDouble(), f2 = hz.get(3 * t + 1).asDouble(), f3 = hz.get(3 * t + 2).asDouble();
            assertTrue(150 < f1 && f1 < f2 && f2 < f3 && f3 < 4500, what + ": F1 < F2 < F3 at point " + t + ": " + hz);
        }
        // steady state F1 and F2 close to what was synthesized (the models tests measure the front end's accuracy
        // precisely; here a loose bound shows the CLI reports the measured formants in Hz, in order). F3 only
        // has to be plausible: the front end is being reworked, and one version took F4 (~4000 Hz) for the
        // women's mean /ih/ F3 (3016 Hz).
        for (int k = 0; k < 2; k++) {
            double got = hz.get(k).asDouble();
            assertEquals(truth[k], got, 0.25 * truth[k], what + ": F" + (k + 1) + " " + hz + " truth "
                    + Arrays.toString(truth));
        }
        double f0 = a.path("f0_hz").asDouble();
        assertEquals(r.f0MeanHz(), f0, 0.1 * r.f0MeanHz(), what + ": f0_hz " + a);
        double ac = a.path("audio_confidence").asDouble(-1);
        assertTrue(ac >= 0 && ac <= 1, what + ": audio_confidence " + a);
        assertTrue(a.path("warnings").isArray(), what + ": " + a);
        return label;
    }

    // ---- good audio, directly on a device ----------------------------------------------------------------

    @Test
    void theSevenMeanVowelsOnADeviceAtTwoSampleRates() throws Exception {
        // not 8 kHz: the front end upsamples to 10 kHz and its LPC then fits poles to the empty 4-5 kHz band
        // (women's /ah/ F2 measured 2812 Hz instead of 1553, /uw/ 3440 instead of 1109, no warning); reported
        for (int rate : new int[] {16_000, 44_100}) {
            int correct = 0;
            StringBuilder summary = new StringBuilder();
            for (Vowel v : Vowel.PAT_7) {
                VowelSynthesizer.Rendering r = vowel(v, rate, 3);
                Path w = wav(v.code() + "-" + rate + ".wav", r.audio().samples(), rate);
                Result res = onDevice(w, "--json");
                assertNoStackTrace(res);
                JsonNode a = json(res);
                String label = checkAnswer(a, r, v.code() + " at " + rate + " Hz");
                assertTrue(a.path("warnings").isEmpty(), "clean synthetic audio has no warnings: " + a);
                correct += label.equals(v.code()) ? 1 : 0;
                summary.append(String.format(Locale.ROOT, " %s→%s", v.code(), label));
            }
            System.out.printf("classify --wav, %s means at %d Hz: %d/7 correct:%s%n", GROUP, rate, correct, summary);
            assertTrue(correct >= 5, rate + " Hz: only " + correct + "/7 mean vowels right:" + summary);
        }
    }

    @Test
    void anHvdWordOnADevice() throws Exception {
        VowelSynthesizer.Rendering r = VowelSynthesizer.render(SyntheticVowels.meanHz(GROUP, Vowel.AH),
                VowelSynthesizer.Voice.typical(GROUP), 0.3, 16_000, true, 5, 0.5);
        Result res = onDevice(wav("hod.wav", r.audio().samples(), 16_000), "--json");
        assertNoStackTrace(res);
        checkAnswer(json(res), r, "hod");
    }

    @Test
    void plainTextNamesTheLabelAndTheFormants() throws Exception {
        VowelSynthesizer.Rendering r = vowel(Vowel.AE, 16_000, 7);
        Path w = wav("ae-text.wav", r.audio().samples(), 16_000);
        JsonNode a = json(onDevice(w, "--json"));
        Result text = onDevice(w);
        assertEquals(0, text.exit(), text.err());
        assertNoStackTrace(text);
        String[] lines = text.out().strip().split("\n");
        assertEquals(2, lines.length, text.out());
        // the emulator is noisy, so the label may differ between runs on hard tokens; it is one of the seven
        String label = lines[0].split(" ")[0];
        assertTrue(Vowel.PAT_7_CODES.contains(label), text.out());
        assertTrue(lines[0].contains("confidence") && lines[0].contains("vowels7@"), text.out());
        // the audio measurement is deterministic: the same numbers as in the JSON
        JsonNode hz = a.get("formants_hz");
        String formants = String.format(Locale.ROOT, "F1 %.0f F2 %.0f F3 %.0f Hz, F0 %.0f Hz", hz.get(0).asDouble(),
                hz.get(1).asDouble(), hz.get(2).asDouble(), a.get("f0_hz").asDouble());
        assertTrue(lines[1].contains(formants), "expected '" + formants + "' in: " + text.out());
    }

    // ---- good audio, on a running service ------------------------------------------------------------------

    @Test
    void vowelsOnARunningServiceThroughItsControlSocket(@TempDir Path state) throws Exception {
        try (EdgeService service = EdgeService.start(RuntimeConfig.load(null, Map.of(), Map.of(
                "device.uri", DEVICE, "state.dir", state.toString(),
                "bundle.initial", bundle.toString(), "bundle.trusted_keys", trust.toString(),
                "bundle.allow_development_keys", "true")))) {
            Path socket = state.resolve("control.sock");
            int correct = 0;
            StringBuilder summary = new StringBuilder();
            for (Vowel v : List.of(Vowel.AE, Vowel.AH, Vowel.UW)) {
                VowelSynthesizer.Rendering r = vowel(v, 16_000, 11);
                Path w = wav("svc-" + v.code() + ".wav", r.audio().samples(), 16_000);
                Result res = run("classify", "--wav", w.toString(), "--socket", socket.toString(), "--json");
                assertNoStackTrace(res);
                JsonNode a = json(res);
                String label = checkAnswer(a, r, v.code() + " on the service");
                correct += label.equals(v.code()) ? 1 : 0;
                summary.append(' ').append(v.code()).append('→').append(label);
            }
            assertTrue(correct >= 2, "only " + correct + "/3 right on the service:" + summary);
            assertEquals(3, service.status().get("inferences").asLong(), "the service did the classifying");

            // --state-dir finds the socket too; plain text
            VowelSynthesizer.Rendering r = vowel(Vowel.IY, 16_000, 12);
            Result text = run("classify", "--wav", wav("svc-iy.wav", r.audio().samples(), 16_000).toString(),
                    "--state-dir", state.toString());
            assertEquals(0, text.exit(), text.out() + text.err());
            assertNoStackTrace(text);
            assertTrue(text.out().contains("formants at steady state F1 "), text.out());
            assertEquals(4, service.status().get("inferences").asLong());
        }
        // the service is gone: a clear message, not a stack trace
        VowelSynthesizer.Rendering r = vowel(Vowel.AE, 16_000, 13);
        Result gone = run("classify", "--wav", wav("svc-gone.wav", r.audio().samples(), 16_000).toString(),
                "--socket", state.resolve("control.sock").toString());
        assertEquals(ErrorHandler.EXIT_USAGE, gone.exit(), gone.out() + gone.err());
        assertTrue(gone.err().contains("no service is running") && gone.err().contains("pnn run"), gone.err());
        assertTrue(gone.out().isEmpty(), gone.out());
        assertNoStackTrace(gone);
    }

    // ---- bad input ---------------------------------------------------------------------------------------

    /** Refused with exit 2, nothing on stdout, no stack trace, and an error naming the file and every word. */
    static void assertRefused(Path wav, String... words) {
        for (String[] mode : new String[][] {{"--json"}, {}}) {
            Result r = onDevice(wav, mode);
            String what = wav.getFileName() + " " + Arrays.toString(mode) + ": ";
            assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), what + r.out() + r.err());
            assertTrue(r.out().isEmpty(), what + "nothing on stdout: " + r.out());
            assertTrue(r.err().startsWith("pnn: "), what + r.err());
            assertTrue(r.err().contains(wav.toString()), what + "names the file: " + r.err());
            for (String w : words) {
                assertTrue(r.err().toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)),
                        what + "expected '" + w + "' in: " + r.err());
            }
            assertEquals(1, r.err().strip().split("\n").length, what + "one line: " + r.err());
            assertNoStackTrace(r);
        }
    }

    @Test
    void filesThatAreNotUsableWavsAreRefusedClearly() throws Exception {
        assertRefused(Files.writeString(dir.resolve("notes.wav"), "these are my notes, not a recording\n"),
                "not a WAV");
        byte[] good = WavWriter.mono16(vowel(Vowel.AE, 16_000, 1).audio().samples(), 16_000);
        assertRefused(Files.write(dir.resolve("cut-header.wav"), Arrays.copyOf(good, 30)), "truncated WAV header");
        assertRefused(Files.write(dir.resolve("cut-riff.wav"), Arrays.copyOf(good, 8)), "truncated WAV header");
        assertRefused(Files.write(dir.resolve("empty.wav"), new byte[0]), "empty");
        assertRefused(dir.resolve("does-not-exist.wav"), "file not found");
        assertRefused(Files.createDirectories(dir.resolve("a-directory.wav")), "cannot read");
        // a valid header with no samples
        assertRefused(wav("no-samples.wav", new double[0], 16_000), "no samples");
    }

    @Test
    void recordingsWithoutAVowelAreRefusedClearly() throws Exception {
        VowelSynthesizer.Rendering blip = VowelSynthesizer.render(SyntheticVowels.meanHz(GROUP, Vowel.AH),
                VowelSynthesizer.Voice.typical(GROUP), 0.04, 16_000, false, 1, 0.5);
        assertRefused(wav("blip.wav", blip.audio().samples(), 16_000), "too short", "need at least");
        assertRefused(wav("silence.wav", new double[16_000], 16_000), "silence");
        Random rnd = new Random(2);
        double[] noise = new double[16_000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = 0.2 * rnd.nextGaussian();
        }
        assertRefused(wav("noise.wav", noise, 16_000), "no voiced segment", "noise");
        // a handful of samples: too little to analyse at all
        assertRefused(wav("three-samples.wav", new double[] {0.1, -0.2, 0.3}, 16_000));
    }

    @Test
    void aHeaderClaimingAFewHertzIsRefusedAtOnce() throws Exception {
        // before the check, resampling this 0.46 s vowel "at 1 Hz" to 10 kHz took ~6 minutes and ~1.5 GB
        Path w = wav("one-hertz.wav", vowel(Vowel.AE, 16_000, 1).audio().samples(), 1);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertRefused(w, "sample rate 1 Hz", "too low"));
        assertRefused(wav("four-k.wav", vowel(Vowel.AE, 16_000, 1).audio().samples(), 4000), "sample rate 4000 Hz");
    }

    @Test
    void clippingAndDcOffsetAreWarnings() throws Exception {
        VowelSynthesizer.Rendering r = vowel(Vowel.AH, 16_000, 4);
        double[] clipped = r.audio().samples().clone();
        double[] offset = r.audio().samples().clone();
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = Math.max(-1, Math.min(1, clipped[i] * 6));
            offset[i] = offset[i] * 0.5 + 0.3;
        }
        JsonNode clean = json(onDevice(wav("clean.wav", r.audio().samples(), 16_000), "--json"));

        Result c = onDevice(wav("clipped.wav", clipped, 16_000), "--json");
        assertNoStackTrace(c);
        JsonNode a = json(c);
        checkAnswer(a, r, "clipped");
        assertTrue(warning(a, "clipping"), a.toString());
        assertTrue(a.get("audio_confidence").asDouble() < clean.get("audio_confidence").asDouble(), a.toString());

        Result d = onDevice(wav("dc.wav", offset, 16_000), "--json");
        assertNoStackTrace(d);
        JsonNode b = json(d);
        checkAnswer(b, r, "DC offset");
        assertTrue(warning(b, "DC offset"), b.toString());

        // the plain text form shows the warning too
        Result text = onDevice(dir.resolve("clipped.wav"));
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("clipping"), text.out());
    }

    static boolean warning(JsonNode answer, String prefix) {
        for (JsonNode w : answer.path("warnings")) {
            if (w.asText().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

}
