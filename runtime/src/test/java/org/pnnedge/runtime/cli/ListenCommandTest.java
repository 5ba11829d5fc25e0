package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.audio.Audio;
import org.pnnedge.models.audio.FormantFeatures;
import org.pnnedge.models.audio.VowelSynthesizer;
import org.pnnedge.models.audio.WavWriter;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.cli.CliTest.Result;

/**
 * {@code pnn listen --wav} through the real command line: the segment-and-classify loop the microphone uses, fed
 * from a synthesized session of /hVd/ words separated by pauses, on an emulated device.
 *
 * <p>Decision on non-vowels: the segmenter has no minimum length of its own, so a noise burst or a click becomes a
 * segment that the front end rejects; it is <em>reported</em> (a JSON line with "error" and "reason", or a
 * "(not a vowel: ...)" line), never silently skipped and never a crash.
 */
class ListenCommandTest {
    static final String DEVICE = ClassifyWavCliTest.DEVICE;
    /** How far a segment's reported start/end may be from the word's. */
    static final double TOLERANCE_S = 0.050;

    @TempDir
    static Path dir;

    static Path bundle;
    static Path trust;

    @BeforeAll
    static void checkout() {
        ClassifyWavCliTest.checkout();
        bundle = ClassifyWavCliTest.bundle;
        trust = ClassifyWavCliTest.trust;
    }

    static Result listen(Path wav, String... extra) {
        List<String> args = new ArrayList<>(List.of("listen", "--wav", wav.toString(), "--device", DEVICE,
                "--bundle", bundle.toString(), "--trust", trust.toString()));
        args.addAll(List.of(extra));
        // also asserts that nothing reaches System.out behind the command's writer
        return ClassifyWavCliTest.run(args.toArray(String[]::new));
    }

    /**
     * What was put into a recording, in seconds: a word (vowel code, the /h/'s onset, the vowel's end, the /d/'s
     * end) or a non-vowel (vowel null).
     */
    record Event(String vowel, double start, double vowelEnd, double end) {
    }

    /** Builds a recording piece by piece and remembers where each event is. */
    static final class Session {
        final int rate;
        final Random rnd = new Random(42);
        final List<double[]> pieces = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        int length;

        Session(int rate) {
            this.rate = rate;
        }

        /** A pause, then each vowel's word of one typical talker of {@code g} followed by a pause. */
        static Session words(int rate, TalkerGroup g, long seed, Vowel... vowels) {
            Session s = new Session(rate);
            s.pause();
            for (Vowel v : vowels) {
                s.word(g, v, seed);
                s.pause();
            }
            return s;
        }

        void add(double[] x) {
            pieces.add(x);
            length += x.length;
        }

        double now() {
            return length / (double) rate;
        }

        /** Low background noise (−60 dBFS RMS) for a random 300–500 ms. */
        void pause() {
            double[] x = new double[(int) ((0.3 + 0.2 * rnd.nextDouble()) * rate)];
            for (int i = 0; i < x.length; i++) {
                x[i] = 0.001 * rnd.nextGaussian();
            }
            add(x);
        }

        /** The group's mean /hVd/ word, without the synthesizer's 100 ms of padding on either side. */
        void word(TalkerGroup g, Vowel v, long seed) {
            VowelSynthesizer.Rendering r = VowelSynthesizer.render(SyntheticVowels.meanHz(g, v),
                    VowelSynthesizer.Voice.typical(g), 0.26, rate, true, seed, 0.5);
            int pad = (int) (0.1 * rate);
            double[] s = r.audio().samples();
            double t = now();
            double h = r.vowelStartSec() - 0.1 - (int) (0.08 * rate) / (double) rate; // ≈ 0: the /h/ onset
            events.add(new Event(v.code(), t + h, t + r.vowelEndSec() - 0.1, t + (s.length - 2 * pad) / (double) rate));
            add(Arrays.copyOfRange(s, pad, s.length - pad));
        }

        /** 200 ms of white noise at −26 dBFS RMS. */
        void noiseBurst() {
            double[] x = new double[(int) (0.2 * rate)];
            for (int i = 0; i < x.length; i++) {
                x[i] = 0.05 * rnd.nextGaussian();
            }
            events.add(new Event(null, now(), now() + 0.2, now() + 0.2));
            add(x);
        }

        /** A 30 ms click: a sharp, fast-decaying crack. */
        void click() {
            double[] x = new double[(int) (0.03 * rate)];
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.max(-1, Math.min(1, 0.8 * Math.exp(-i / (0.006 * rate)) * rnd.nextGaussian()));
            }
            events.add(new Event(null, now(), now() + 0.03, now() + 0.03));
            add(x);
        }

        double[] samples() {
            double[] out = new double[length];
            int p = 0;
            for (double[] x : pieces) {
                System.arraycopy(x, 0, out, p, x.length);
                p += x.length;
            }
            return out;
        }
    }

    /** A woman's seven mean /hVd/ words and a man's, 300–500 ms apart, with a noise burst and a click in between. */
    static Session fourteenWords(int rate) {
        Session s = new Session(rate);
        s.pause();
        long seed = 100;
        for (TalkerGroup g : List.of(TalkerGroup.WOMEN, TalkerGroup.MEN)) {
            for (Vowel v : Vowel.PAT_7) {
                s.word(g, v, seed++);
                s.pause();
                if (g == TalkerGroup.WOMEN && v == Vowel.UW) {
                    s.noiseBurst();
                    s.pause();
                }
            }
            if (g == TalkerGroup.WOMEN) {
                s.click();
                s.pause();
            }
        }
        return s;
    }

    /** stdout as JSON Lines: every line one complete object. */
    static List<JsonNode> jsonLines(Result r) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.out().strip().split("\n")) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), "only JSON lines on stdout: " + line);
            out.add(Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(line));
        }
        return out;
    }

    /**
     * Matches the reported segments to the events one by one, in order, checks their times and kinds; returns how
     * many vowel labels are right.
     */
    static int check(List<JsonNode> lines, List<Event> events, String what) {
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode a = lines.get(i);
            Event e = i < events.size() ? events.get(i) : null;
            summary.append(String.format(Locale.ROOT, "%n  %.3f–%.3f s %-4s %s", a.path("start_s").asDouble(),
                    a.path("end_s").asDouble(), e == null ? "?" : e.vowel() == null ? "-" : e.vowel(),
                    a.has("error") ? "rejected: " + a.get("error").asText() : "→ " + a.path("label").asText()));
            if (e != null) {
                summary.append(String.format(Locale.ROOT, "   (put in at %.3f–%.3f s%s)", e.start(), e.end(),
                        e.vowel() == null ? "" : String.format(Locale.ROOT, ", vowel ends %.3f", e.vowelEnd())));
            }
        }
        assertEquals(events.size(), lines.size(), what + ": one segment per event:" + summary);
        int correct = 0;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            JsonNode a = lines.get(i);
            double start = a.path("start_s").asDouble(Double.NaN);
            double end = a.path("end_s").asDouble(Double.NaN);
            String at = what + ", segment " + i + " " + a + ": ";
            assertEquals(e.start(), start, TOLERANCE_S, at + "start");
            if (e.vowel() == null) {
                assertEquals(e.end(), end, TOLERANCE_S, at + "end");
                assertTrue(a.has("error") && !a.get("error").asText().isBlank(), at + "a non-vowel is rejected");
                assertFalse(a.has("label"), at);
                assertTrue(List.of("too_short", "no_voiced_segment").contains(a.path("reason").asText()), at);
                continue;
            }
            // the segment ends between the vowel's end and the /d/'s release (the voice bar and the burst are
            // near the threshold)
            assertTrue(end > e.vowelEnd() - TOLERANCE_S && end < e.end() + TOLERANCE_S,
                    at + "end, vowel ends " + e.vowelEnd() + ", word " + e.end());
            assertFalse(a.has("error"), at);
            String label = a.path("label").asText();
            assertTrue(Vowel.PAT_7_CODES.contains(label), at);
            double conf = a.path("confidence").asDouble(-1);
            assertTrue(conf > 0 && conf <= 1, at);
            assertTrue(a.path("model").asText().startsWith("vowels7@"), at);
            assertEquals(12, a.path("formants_hz").size(), at);
            assertTrue(a.path("f0_hz").asDouble() > 50, at);
            double ac = a.path("audio_confidence").asDouble(-1);
            assertTrue(ac >= 0 && ac <= 1, at);
            assertTrue(a.path("warnings").isArray(), at);
            correct += label.equals(e.vowel()) ? 1 : 0;
        }
        System.out.printf("listen --wav, %s: %d segments, %d/%d vowels right:%s%n", what, lines.size(), correct,
                events.stream().filter(e -> e.vowel() != null).count(), summary);
        return correct;
    }

    static Path wav(String name, double[] samples, int rate) throws Exception {
        return Files.write(dir.resolve(name), WavWriter.mono16(samples, rate));
    }

    /**
     * What {@code pnn listen} measures in each segment is what {@code classify --wav} measures in that word's own
     * file (the word with 150 ms of the pause around it): the segmenter neither clips the vowel nor lets the next
     * word in. Tolerance 2 % (the segment starts at the first loud frame, the file 150 ms earlier, so the analysis
     * frames fall a few ms apart).
     */
    static void sameFormantsAsEachWordAlone(Session s, List<JsonNode> lines) throws Exception {
        double[] all = s.samples();
        for (int i = 0; i < s.events.size(); i++) {
            Event e = s.events.get(i);
            if (e.vowel() == null) {
                continue;
            }
            int from = Math.max(0, (int) ((e.start() - 0.15) * s.rate));
            int to = Math.min(all.length, (int) ((e.end() + 0.15) * s.rate));
            FormantFeatures.Result alone = FormantFeatures.extract(
                    new Audio(Arrays.copyOfRange(all, from, to), s.rate, "word " + i, List.of()));
            JsonNode heard = lines.get(i).path("formants_hz");
            double[] hz = alone.featuresHz();
            for (int k = 0; k < hz.length; k++) {
                assertEquals(hz[k], heard.get(k).asDouble(), 0.02 * hz[k],
                        "word " + i + " (" + e.vowel() + ") formant value " + k + ": alone " + Arrays.toString(hz)
                                + ", in the session " + heard);
            }
            assertEquals(alone.f0Hz(), lines.get(i).path("f0_hz").asDouble(), 0.02 * alone.f0Hz(), "word " + i + " F0");
        }
    }

    @Test
    void aSessionOfFourteenWordsWithANoiseBurstAndAClick() throws Exception {
        Session s = fourteenWords(16_000);
        Path w = wav("session.wav", s.samples(), 16_000);
        Result r = listen(w, "--json");
        assertEquals(0, r.exit(), r.out() + r.err());
        ClassifyWavCliTest.assertNoStackTrace(r);
        List<JsonNode> lines = jsonLines(r);
        assertEquals(14, lines.stream().filter(a -> a.has("label")).count(), r.out());
        assertEquals(2, lines.stream().filter(a -> a.has("error")).count(), r.out());
        int correct = check(lines, s.events, "16 kHz session");
        assertTrue(correct >= 11, "only " + correct + "/14 words right:\n" + r.out());
        // the running talker estimate (window 7): the woman's after her seven words, then the man's after his
        List<JsonNode> words = lines.stream().filter(a -> a.has("label")).toList();
        JsonNode woman = words.get(6).path("talker");
        JsonNode man = words.get(13).path("talker");
        assertTrue(woman.path("vowels").asInt() >= 5 && man.path("vowels").asInt() >= 5, r.out());
        assertTrue(woman.path("f0_hz").asDouble() > 170 && man.path("f0_hz").asDouble() < 150, r.out());
        assertTrue(woman.path("formant_mean_hz").asDouble() > 1.08 * man.path("formant_mean_hz").asDouble(),
                "a woman's formants are ~15 % higher than a man's: " + woman + " vs " + man);
        assertTrue(man.path("settled").asBoolean(), man.toString());
        assertFalse(words.get(0).path("talker").path("settled").asBoolean(false), r.out());
        sameFormantsAsEachWordAlone(s, lines);

        // the human-readable form: the same segments, one line each, with their times
        Result text = listen(w);
        assertEquals(0, text.exit(), text.out() + text.err());
        ClassifyWavCliTest.assertNoStackTrace(text);
        String[] out = text.out().stripTrailing().split("\n");
        assertEquals(16, out.length, text.out());
        assertTrue(Arrays.stream(out).filter(l -> l.contains("   talker over ")).count() >= 10, text.out());
        for (int i = 0; i < out.length; i++) {
            String when = String.format(Locale.ROOT, "%6.2f–", lines.get(i).get("start_s").asDouble());
            assertTrue(out[i].startsWith(when), "line " + i + " starts with '" + when + "': " + out[i]);
            if (lines.get(i).has("error")) {
                assertTrue(out[i].contains("(not a vowel: "), out[i]);
            } else {
                assertTrue(out[i].contains(" confidence ") && out[i].contains(" F1 "), out[i]);
            }
        }
    }

    @Test
    void otherSampleRatesAndStereoAreConvertedTo16kHzMono() throws Exception {
        // 22.05 kHz mono through WavWriter
        Session s = Session.words(22_050, TalkerGroup.WOMEN, 7, Vowel.AE, Vowel.IY, Vowel.UW);
        Result r = listen(wav("session-22k.wav", s.samples(), 22_050), "--json");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(check(jsonLines(r), s.events, "22.05 kHz") >= 2, r.out());

        // 44.1 kHz 16-bit stereo (channels differ slightly): averaged to mono by the reader, then resampled
        Session m = Session.words(44_100, TalkerGroup.MEN, 9, Vowel.AH, Vowel.IY, Vowel.UW);
        double[] left = m.samples();
        double[] right = new double[left.length];
        Random rnd = new Random(3);
        for (int i = 0; i < left.length; i++) {
            right[i] = 0.8 * left[i] + 0.0005 * rnd.nextGaussian();
        }
        Result st = listen(Files.write(dir.resolve("session-44k-stereo.wav"), stereo16(left, right, 44_100)),
                "--json");
        assertEquals(0, st.exit(), st.out() + st.err());
        assertTrue(check(jsonLines(st), m.events, "44.1 kHz stereo") >= 2, st.out());
    }

    @Test
    void aRecordingWithoutAVowelSaysSo() throws Exception {
        for (String[] mode : new String[][] {{"--json"}, {}}) {
            Path silence = wav("silence.wav", new double[16_000], 16_000);
            Result r = listen(silence, mode);
            assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.out() + r.err());
            assertTrue(r.out().isEmpty(), "nothing on stdout: " + r.out());
            assertTrue(r.err().startsWith("pnn: " + silence) && r.err().contains("no vowel found")
                    && r.err().contains("nothing louder than -40 dBFS"), r.err());
            assertEquals(1, errorLines(r), r.err());
            ClassifyWavCliTest.assertNoStackTrace(r);
        }
        // only noise: the segment is reported, then the same exit code
        Random rnd = new Random(5);
        double[] noise = new double[16_000];
        for (int i = 4000; i < 8000; i++) {
            noise[i] = 0.05 * rnd.nextGaussian();
        }
        Result r = listen(wav("noise.wav", noise, 16_000), "--json");
        assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.out() + r.err());
        List<JsonNode> lines = jsonLines(r);
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).has("error"), r.out());
        assertTrue(r.err().contains("no vowel found") && r.err().contains("rejected all 1"), r.err());
        ClassifyWavCliTest.assertNoStackTrace(r);
    }

    @Test
    void filesThatAreNotUsableWavsAreRefused() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.wav"), "these are my notes, not a recording\n");
        Path missing = dir.resolve("does-not-exist.wav");
        Path oneHertz = wav("one-hertz.wav", new double[8000], 1);
        for (Object[] c : new Object[][] {{notes, "not a WAV"}, {missing, "file not found"},
                {oneHertz, "sample rate 1 Hz"}}) {
            Path p = (Path) c[0];
            Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> listen(p, "--json"));
            assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.out() + r.err());
            assertTrue(r.out().isEmpty(), r.out());
            assertTrue(r.err().startsWith("pnn: ") && r.err().contains(p.toString())
                    && r.err().contains((String) c[1]), r.err());
            assertEquals(1, errorLines(r), r.err());
            ClassifyWavCliTest.assertNoStackTrace(r);
        }
    }

    /** Lines of the error output that are not log lines (those carry a level: " WARN [", " INFO [" ...). */
    static long errorLines(Result r) {
        return r.err().lines().filter(l -> !l.matches("^[0-9:.]+ [A-Z]+ \\[.*")).count();
    }

    /** A 16-bit PCM stereo WAV (WavWriter writes mono only). */
    static byte[] stereo16(double[] left, double[] right, int rate) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(44 + 4 * left.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 4 * left.length)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 2)
                .putInt(rate).putInt(rate * 4).putShort((short) 4).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(4 * left.length);
        for (int i = 0; i < left.length; i++) {
            b.putShort(pcm(left[i])).putShort(pcm(right[i]));
        }
        data.writeBytes(b.array());
        return data.toByteArray();
    }

    static short pcm(double x) {
        return (short) Math.max(-32768, Math.min(32767, Math.round(x * 32767)));
    }
}
