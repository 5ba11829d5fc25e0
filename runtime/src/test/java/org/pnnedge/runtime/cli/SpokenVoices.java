package org.pnnedge.runtime.cli;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The text-to-speech voices {@link SpokenWordsTest} speaks the /hVd/ words with, and how each one is run
 * (festival in batch mode, espeak-ng, or a frequency-scaled copy of another voice's WAVs).
 *
 * <p>Every external process runs with a timeout (killed when it is exceeded) and its output in a log file, so a
 * hung or chatty synthesizer can neither block nor fill a pipe.
 */
final class SpokenVoices {

    /** How long one synthesizer process (one voice, all its words) may take. */
    static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);

    /** Formant and F0 scale of the child-like proxies: relabelled sample rate = original × this. */
    static final double CHILD_PROXY_SCALE = 1.18;

    /** One test word: the vowel label of the bundle and the text the synthesizer gets. */
    record Word(String vowel, String text, String file) {
    }

    /** The seven English /hVd/ words (file names are ASCII). */
    static final List<Word> ENGLISH = List.of(
            new Word("iy", "heed", "heed"),
            new Word("ih", "hid", "hid"),
            new Word("ae", "had", "had"),
            new Word("ah", "hod", "hod"),
            new Word("aw", "hawed", "hawed"),
            new Word("uw", "who'd", "whod"),
            new Word("er", "heard", "heard"));

    /**
     * The other five /hVd/ words of Hillenbrand's 12, asked of the English voices only when the bundle has their
     * labels (the 12-vowel bundle), so a 7-vowel bundle is measured on exactly the seven words above.
     */
    static final List<Word> ENGLISH_MORE = List.of(
            new Word("ei", "hayed", "hayed"),
            new Word("eh", "head", "head"),
            new Word("oa", "hoed", "hoed"),
            new Word("oo", "hood", "hood"),
            new Word("uh", "hud", "hud"));

    /** Every English word, in report order. */
    static final List<Word> ENGLISH_ALL = java.util.stream.Stream.concat(ENGLISH.stream(), ENGLISH_MORE.stream())
            .toList();

    /**
     * The Czech child voice's h+vowel+d words, for the vowels Czech has (festival: "h i: t", "h i t", "h u: t",
     * "h a: t", "h o t" — word-final d is devoiced). Czech has no /æ/ and no r-coloured vowel, so had and heard are
     * not asked of it; Czech o [o] stands in for /ɔ/ (hawed), á [aː] for /ɑ/ (hod).
     */
    static final List<Word> CZECH = List.of(
            new Word("iy", "híd", "heed"),
            new Word("ih", "hid", "hid"),
            new Word("ah", "hád", "hod"),
            new Word("aw", "hod", "hawed"),
            new Word("uw", "hůd", "whod"));

    enum Kind {
        DIPHONE("diphone concatenation of a real speaker's recordings"),
        HTS("HTS statistical parametric voice trained on a real speaker's recordings"),
        RULES("rule-based formant synthesis (no recordings)"),
        PROXY("child-like PROXY: another voice's WAVs with the sample rate relabelled ×1.18");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /**
     * @param id      short name, also the WAV file prefix
     * @param speaker man, woman, child, child (proxy)
     * @param tool    festival, espeak-ng, or proxy
     * @param arg     festival voice function, espeak-ng voice name, or the id of the voice a proxy scales
     * @param words   what it is asked to say
     */
    record Voice(String id, String speaker, Kind kind, String tool, String arg, List<Word> words, String about) {
    }

    /** A voice's WAVs, or why there are none. */
    record Spoken(Voice voice, Map<Word, Path> wavs, String unavailable) {
    }

    /** The voices, each asked the words whose vowel is among {@code labels} (the bundle's classes). */
    static List<Voice> all(List<String> labels) {
        return all().stream().map(v -> new Voice(v.id(), v.speaker(), v.kind(), v.tool(), v.arg(),
                words(v.words(), labels), v.about())).toList();
    }

    private static List<Word> words(List<Word> base, List<String> labels) {
        List<Word> w = new ArrayList<>(base == ENGLISH ? ENGLISH_ALL : base);
        w.removeIf(x -> !labels.contains(x.vowel()));
        return List.copyOf(w);
    }

    static List<Voice> all() {
        List<Voice> v = new ArrayList<>();
        v.add(new Voice("kal", "man", Kind.DIPHONE, "festival", "voice_kal_diphone", ENGLISH,
                "festvox-kallpc16k, US English male diphones (CMU, speaker kal), LPC, 16 kHz"));
        v.add(new Voice("ked", "man", Kind.DIPHONE, "festival", "voice_ked_diphone", ENGLISH,
                "festvox-kdlpc16k, US English male diphones (speaker ked), LPC, 16 kHz"));
        v.add(new Voice("slt", "woman", Kind.HTS, "festival", "voice_cmu_us_slt_arctic_hts", ENGLISH,
                "festvox-us-slt-hts, US English female, CMU ARCTIC speaker slt, 32 kHz"));
        v.add(new Voice("krb", "child", Kind.DIPHONE, "festival", "voice_czech_krb", CZECH,
                "festvox-czech-krb, Czech boy's diphones (Brailcom), 16 kHz; 5 of the 7 vowels"));
        for (String variant : List.of("m1", "m3", "m5", "m7")) {
            v.add(new Voice("esp-" + variant, "man", Kind.RULES, "espeak-ng", "en-us+" + variant, ENGLISH,
                    "espeak-ng en-us, male variant " + variant + ", 22.05 kHz"));
        }
        for (String variant : List.of("f1", "f2", "f3", "f4", "f5")) {
            v.add(new Voice("esp-" + variant, "woman", Kind.RULES, "espeak-ng", "en-us+" + variant, ENGLISH,
                    "espeak-ng en-us, female variant " + variant + ", 22.05 kHz"));
        }
        v.add(new Voice("slt-x1.18", "child (proxy)", Kind.PROXY, "proxy", "slt", ENGLISH,
                "slt with every frequency ×1.18 (formants and F0 together)"));
        v.add(new Voice("esp-f3-x1.18", "child (proxy)", Kind.PROXY, "proxy", "esp-f3", ENGLISH,
                "espeak-ng en-us+f3 with every frequency ×1.18"));
        return v;
    }

    /**
     * Voices rendered beforehand, e.g. the withheld set of {@code bench/render-withheld-voices.sh}:
     * {@code dir/voices.tsv} has one voice a line (id, speaker, kind, engine, word set, settings, package, about,
     * status: "ok" or why the voice is missing) and {@code dir/ID_FILE.wav} are its words. Word set "czech" is
     * {@link #CZECH}, "sam" (spoken from SAM phonemes) and "english" the seven {@link #ENGLISH} words, "english12"
     * {@link #ENGLISH_ALL} (bench/render-praat-hillenbrand.sh --vowels all12); each voice is asked the words
     * whose vowel is among {@code labels}.
     */
    static List<Spoken> fromDirectory(Path dir, List<String> labels) throws IOException {
        Path index = dir.resolve("voices.tsv");
        if (!Files.isRegularFile(index)) {
            throw new IOException(index + " is missing: render the voices first (bench/render-withheld-voices.sh)");
        }
        List<Spoken> out = new ArrayList<>();
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] c = line.split("\t", -1);
            if (c.length != 9) {
                throw new IOException(index + ": expected 9 tab-separated columns, got " + c.length + ": " + line);
            }
            List<Word> set = switch (c[4]) {
                case "czech" -> CZECH;
                case "sam", "english" -> ENGLISH;
                case "english12" -> ENGLISH_ALL;
                default -> throw new IOException(index + ": unknown word set " + c[4]);
            };
            Voice v = new Voice(c[0], c[1], Kind.valueOf(c[2]), c[3], c[5],
                    set.stream().filter(w -> labels.contains(w.vowel())).toList(),
                    c[7] + "; " + c[3] + " " + c[5] + " (" + c[6] + ")");
            Map<Word, Path> wavs = new LinkedHashMap<>();
            for (Word w : v.words()) {
                Path f = wav(v, w, dir);
                if (Files.isRegularFile(f)) {
                    wavs.put(w, f);
                }
            }
            String missing = !"ok".equals(c[8]) ? c[8] : wavs.isEmpty() ? "no WAV in " + dir : null;
            out.add(new Spoken(v, missing == null ? wavs : Map.of(), missing));
        }
        return out;
    }

    static boolean onPath(String program) {
        return which(program).isPresent();
    }

    /** Where {@code program} is on the PATH (the first executable of that name), if it is. */
    static Optional<Path> which(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program));
            }
        }
        return Optional.empty();
    }

    /** Speaks every voice's words into {@code dir}; voices whose tool is missing or fails are reported unavailable. */
    static List<Spoken> speakAll(List<Voice> voices, Path dir) throws InterruptedException {
        Map<String, Spoken> done = new LinkedHashMap<>();
        for (Voice v : voices) {
            Spoken s;
            try {
                s = switch (v.tool()) {
                    case "festival" -> festival(v, dir);
                    case "espeak-ng" -> espeak(v, dir);
                    case "proxy" -> proxy(v, done.get(v.arg()), dir);
                    default -> throw new IllegalStateException(v.tool());
                };
            } catch (IOException e) {
                s = new Spoken(v, Map.of(), e.getMessage());
            }
            done.put(v.id(), s);
        }
        return List.copyOf(done.values());
    }

    private static Path wav(Voice v, Word w, Path dir) {
        return dir.resolve(v.id() + "_" + w.file() + ".wav");
    }

    /** One festival process per voice (a batch script; the WAVs are byte-identical to text2wave's). */
    private static Spoken festival(Voice v, Path dir) throws IOException, InterruptedException {
        if (!onPath("festival")) {
            return new Spoken(v, Map.of(), "festival not installed");
        }
        // The Czech voice reads ISO-8859-2 (UTF-8 input makes it spell the bytes out); English is ASCII either way.
        Charset cs = v.arg().contains("czech") ? Charset.forName("ISO-8859-2") : StandardCharsets.US_ASCII;
        StringBuilder scm = new StringBuilder("(" + v.arg() + ")\n");
        Map<Word, Path> out = new LinkedHashMap<>();
        for (Word w : v.words()) {
            Path f = wav(v, w, dir);
            out.put(w, f);
            scm.append("(utt.save.wave (SynthText \"").append(w.text()).append("\") \"")
                    .append(f.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\" 'riff)\n");
        }
        Path script = Files.write(dir.resolve(v.id() + ".scm"), scm.toString().getBytes(cs));
        String failed = run(dir.resolve(v.id() + ".log"), "festival", "--batch", script.toString());
        return collect(v, out, failed);
    }

    private static Spoken espeak(Voice v, Path dir) throws IOException, InterruptedException {
        if (!onPath("espeak-ng")) {
            return new Spoken(v, Map.of(), "espeak-ng not installed");
        }
        Map<Word, Path> out = new LinkedHashMap<>();
        String failed = null;
        for (Word w : v.words()) {
            Path f = wav(v, w, dir);
            out.put(w, f);
            failed = run(dir.resolve(v.id() + "_" + w.file() + ".log"), "espeak-ng", "-v", v.arg(), "-w",
                    f.toString(), w.text());
            if (failed != null) {
                break;
            }
        }
        return collect(v, out, failed);
    }

    private static Spoken proxy(Voice v, Spoken source, Path dir) throws IOException {
        if (source == null || source.unavailable() != null) {
            return new Spoken(v, Map.of(), "its source voice " + v.arg() + " is unavailable");
        }
        Map<Word, Path> out = new LinkedHashMap<>();
        for (Word w : v.words()) {
            Path src = source.wavs().get(w);
            if (src != null) {
                Path f = wav(v, w, dir);
                Files.write(f, relabelRate(Files.readAllBytes(src), CHILD_PROXY_SCALE));
                out.put(w, f);
            }
        }
        return new Spoken(v, out, null);
    }

    /**
     * A copy of a RIFF/WAVE file whose "fmt " chunk claims {@code scale} times the sample rate (and byte rate):
     * played at the new rate every frequency — F0 and the formants alike — is {@code scale} times higher and the
     * word {@code scale} times shorter, roughly what a proportionally shorter vocal tract would do.
     */
    static byte[] relabelRate(byte[] wav, double scale) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(wav.clone()).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) { // "RIFF", "WAVE"
            throw new IOException("not a RIFF/WAVE file");
        }
        int p = 12;
        while (p + 8 <= wav.length) {
            int id = b.getInt(p);
            int size = b.getInt(p + 4);
            if (id == 0x20746d66) { // "fmt "
                int rate = b.getInt(p + 12);
                int byteRate = b.getInt(p + 16);
                int newRate = (int) Math.round(rate * scale);
                b.putInt(p + 12, newRate);
                b.putInt(p + 16, (int) Math.round((double) byteRate * newRate / rate));
                return b.array();
            }
            p += 8 + size + (size & 1);
        }
        throw new IOException("no fmt chunk");
    }

    private static Spoken collect(Voice v, Map<Word, Path> out, String failed) throws IOException {
        Map<Word, Path> ok = new LinkedHashMap<>();
        for (Map.Entry<Word, Path> e : out.entrySet()) {
            if (Files.isRegularFile(e.getValue()) && Files.size(e.getValue()) > 44) {
                ok.put(e.getKey(), e.getValue());
            }
        }
        if (ok.isEmpty()) {
            return new Spoken(v, Map.of(), failed != null ? failed : "no WAV written");
        }
        return new Spoken(v, ok, null);
    }

    /** Runs a command with {@link #PROCESS_TIMEOUT}; null when it exited 0, else what went wrong. */
    static String run(Path log, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close(); // nothing on stdin: a synthesizer waiting for text ends at once
        if (!p.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return String.format(Locale.ROOT, "%s timed out after %d s", command[0], PROCESS_TIMEOUT.toSeconds());
        }
        if (p.exitValue() != 0) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1).strip();
            String last = text.isEmpty() ? "" : ": " + text.lines().reduce((a, b) -> b).orElse("");
            return command[0] + " exited with " + p.exitValue() + last;
        }
        return null;
    }

    private SpokenVoices() {
    }
}
