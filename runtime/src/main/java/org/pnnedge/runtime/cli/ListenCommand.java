package org.pnnedge.runtime.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.models.audio.Audio;
import org.pnnedge.models.audio.AudioException;
import org.pnnedge.models.audio.FormantFeatures;
import org.pnnedge.models.audio.Resampler;
import org.pnnedge.models.audio.TalkerEstimate;
import org.pnnedge.models.audio.WavReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "listen", description = "Capture from the microphone (or read a recording with --wav) and classify "
        + "each vowel heard (on a device with --device/--bundle, or on the running service).")
final class ListenCommand implements Callable<Integer> {
    static final float RATE = 16_000f;
    /** What the segmenter reads: the microphone's capture format, and what a --wav file is converted to. */
    static final AudioFormat FORMAT = new AudioFormat(RATE, 16, 1, true, false);

    /** JSON Lines: one compact object per line. */
    private static final ObjectWriter LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--seconds", defaultValue = "0", description = "Microphone or --wav -: stop after this many "
            + "seconds (0 = until Ctrl-C or the end of the stream).")
    int seconds;

    @Option(names = "--wav", paramLabel = "FILE", description = "Read this recording instead of the microphone and "
            + "classify every vowel in it (any WAV the classify command reads; converted to 16 kHz mono). '-' reads "
            + "a WAV stream from standard input as it arrives, e.g. arecord -f S16_LE -r 16000 -c 1 | pnn listen "
            + "--wav - (any rate of at least 8 kHz).")
    Path wav;

    @Option(names = "--publish", description = "On the running service: it also publishes each vowel heard on MQTT "
            + "(<prefix>/<device>/heard; mqtt.md), as source 'listen'.")
    boolean publish;

    @Option(names = "--stall-seconds", defaultValue = "10", description = "--wav -: give up when no audio has "
            + "arrived for this long (default ${DEFAULT-VALUE}).")
    double stallSeconds;

    @Option(names = "--json", description = "One JSON object per segment per line (JSON Lines).")
    boolean json;

    @Option(names = "--device", paramLabel = "URI", description = "Classify directly on this device.")
    String device;

    @Option(names = "--bundle", paramLabel = "BUNDLE", description = "With --device: the model.")
    Path bundle;

    @Option(names = "--trust", paramLabel = "PUB_OR_DIR", description = "With --device: trusted key(s).")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--state-dir", defaultValue = "/var/lib/pnn-edge", description = "Running service's state dir (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--threshold-db", defaultValue = "-40", description = "Level a vowel must exceed, dB full scale; raised to 12 dB "
            + "above the background noise when that is higher (default ${DEFAULT-VALUE}).")
    double thresholdDb;

    @Option(names = "--talker-window", defaultValue = "7", description = "Vowels the running per-talker estimate "
            + "(log-mean formant level and F0, audio.md) remembers; a new talker replaces the old one within this "
            + "many vowels (default ${DEFAULT-VALUE}).")
    int talkerWindow;

    @Option(names = "--talker-min-confidence", defaultValue = "" + TalkerEstimate.DEFAULT_MIN_CONFIDENCE,
            description = "Only answers at least this confident (0..1) update the per-talker estimate: a wrong "
            + "answer would pull it the wrong way (default ${DEFAULT-VALUE}).")
    double talkerMinConfidence;

    @Option(names = "--talker-max-step", defaultValue = "" + TalkerEstimate.DEFAULT_MAX_STEP,
            description = "The most one vowel moves the per-talker log-mean G (natural log; default "
            + "${DEFAULT-VALUE}, about 10 %%).")
    double talkerMaxStep;

    @Spec
    CommandSpec spec;

    /** Where {@code --wav -} reads (tests give their own stream). */
    InputStream stdin = System.in;

    /** The sample rate of the frames being listened to: 16 kHz, or a pipe's own rate. */
    private float rate = RATE;

    /** The running estimate of who is talking (made in {@link #call}, once --talker-window is known). */
    private TalkerEstimate talker;

    /** Segments found and vowels classified so far. */
    private int segments;
    private int vowels;

    @Override
    public Integer call() throws Exception {
        if (talkerWindow < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--talker-window must be at least 1 vowel, got " + talkerWindow);
        }
        if (seconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--seconds must be 0 (no limit) or more, got " + seconds);
        }
        if (!(thresholdDb <= 0)) { // a level above full scale (or NaN) is never exceeded: no vowel would be found
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--threshold-db must be a level in dB full scale, at most 0, got " + thresholdDb);
        }
        try {
            talker = new TalkerEstimate(talkerWindow, talkerMinConfidence, talkerMaxStep);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--talker-min-confidence / "
                    + "--talker-max-step: " + e.getMessage());
        }
        if (wav != null && wav.toString().equals("-")) {
            return fromPipe();
        }
        return wav != null ? fromFile() : fromMicrophone();
    }

    private Integer fromPipe() throws Exception {
        if (!(stallSeconds > 0 && stallSeconds <= 3600)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--stall-seconds must be in (0, 3600], got " + stallSeconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        long end = seconds > 0 ? System.nanoTime() + Duration.ofSeconds(seconds).toNanos() : Long.MAX_VALUE;
        try (DeviceContext ctx = DeviceContext.create();
             PipeFrames pipe = new PipeFrames(stdin, "stdin", Duration.ofMillis(Math.round(stallSeconds * 1000)))) {
            FeatureClassifier classifier = classifier(ctx);
            rate = pipe.awaitRate();
            if (rate < FormantFeatures.MIN_SAMPLE_RATE) {
                throw new CliException("stdin: sample rate " + (int) rate + " Hz is too low for formant analysis "
                        + "(need at least " + FormantFeatures.MIN_SAMPLE_RATE + " Hz; record with -r 16000)");
            }
            listen(pipe::next, end, "stdin", classifier, out);
            requireAVowel("stdin", pipe.samples() / rate);
        }
        return 0;
    }

    /** A recording or stream ({@code name}) of {@code seconds} in which no vowel was found is exit 2, said why. */
    private void requireAVowel(String name, double seconds) {
        if (segments == 0) {
            throw new CliException(String.format(Locale.ROOT, "%s: no vowel found: nothing louder than %.0f dBFS in "
                    + "%.2f s of audio (silence? try a lower --threshold-db)", name, thresholdDb, seconds));
        }
        if (vowels == 0) {
            throw new CliException(name + ": no vowel found: the front end rejected all " + segments
                    + " loud segment(s) (listed on stdout)");
        }
    }

    /** The service behind --state-dir (asked to publish with --publish), or --device with --bundle. */
    private FeatureClassifier classifier(DeviceContext ctx) throws Exception {
        return FeatureClassifier.open(ctx, device, bundle, trust, stateDir.resolve("control.sock"),
                publish ? "listen" : null);
    }

    /** Where {@link #listen} takes its frames from. */
    @FunctionalInterface
    private interface FrameSource {
        /** The next frame (shorter only at the end), or null at the end or once {@code endNanos} passed. */
        double[] next(long endNanos) throws Exception;
    }

    /** 16-bit frames of the microphone or of a converted recording. */
    private static FrameSource frames(AudioInputStream in, String what) {
        byte[] buf = new byte[2 * ListenSegmenter.frameSamples(RATE)];
        return endNanos -> {
            int n;
            try {
                n = readFrame(in, buf, endNanos);
            } catch (IOException e) {
                throw new CliException(what + ": cannot read audio: " + e.getMessage());
            }
            double[] x = new double[n / 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = (short) ((buf[2 * i] & 0xFF) | (buf[2 * i + 1] << 8)) / 32768.0;
            }
            return x;
        };
    }

    private Integer fromMicrophone() throws Exception {
        DataLine.Info info = new DataLine.Info(TargetDataLine.class, FORMAT);
        if (!AudioSystem.isLineSupported(info)) {
            throw new CliException("no audio capture device: the system offers no microphone line for 16 kHz mono "
                    + "16-bit capture (check the sound card and permissions; or classify recordings with pnn listen --wav)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DeviceContext ctx = DeviceContext.create()) {
            FeatureClassifier classifier = classifier(ctx);
            TargetDataLine line;
            try {
                line = (TargetDataLine) AudioSystem.getLine(info);
                line.open(FORMAT);
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
                throw new CliException("cannot open the microphone: " + e.getMessage());
            }
            try (line; AudioInputStream in = new AudioInputStream(line)) {
                line.start();
                // with --json stdout carries only the JSON lines
                PrintWriter banner = json ? spec.commandLine().getErr() : out;
                banner.printf("listening (16 kHz mono); say a vowel such as 'heed' or 'hod'%s%n",
                        seconds > 0 ? " for " + seconds + " s" : "; Ctrl-C to stop");
                banner.flush();
                long end = seconds > 0 ? System.nanoTime() + Duration.ofSeconds(seconds).toNanos() : Long.MAX_VALUE;
                listen(frames(in, "microphone"), end, null, classifier, out);
            }
        }
        return 0;
    }

    private Integer fromFile() throws Exception {
        AudioInputStream in;
        double duration;
        try {
            Audio audio = WavReader.read(wav);
            duration = audio.durationSeconds();
            in = stream(audio);
        } catch (AudioException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DeviceContext ctx = DeviceContext.create(); in) {
            FeatureClassifier classifier = classifier(ctx);
            String name = wav.getFileName().toString();
            listen(frames(in, name), Long.MAX_VALUE, name, classifier, out);
        }
        requireAVowel(wav.toString(), duration);
        return 0;
    }

    /**
     * A recording as the 16 kHz 16-bit mono stream the microphone would give: resampled if its rate differs
     * (multi-channel files are already averaged to mono by the reader).
     */
    static AudioInputStream stream(Audio audio) throws AudioException {
        if (audio.sampleRate() < FormantFeatures.MIN_SAMPLE_RATE) {
            // before resampling: a damaged header's "1 Hz" would take minutes and gigabytes to convert
            throw new AudioException(AudioException.Reason.UNSUPPORTED_RATE, audio.source() + ": sample rate "
                    + audio.sampleRate() + " Hz is too low for formant analysis (need at least "
                    + FormantFeatures.MIN_SAMPLE_RATE + " Hz; is the WAV header damaged?)");
        }
        if (audio.samples().length == 0) {
            throw new AudioException(AudioException.Reason.EMPTY, audio.source() + ": audio contains no samples");
        }
        double[] x = audio.sampleRate() == (int) RATE ? audio.samples()
                : Resampler.resample(audio.samples(), audio.sampleRate(), (int) RATE);
        byte[] pcm = new byte[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            double v = Double.isFinite(x[i]) ? x[i] : 0;
            int s = (int) Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        return new AudioInputStream(new ByteArrayInputStream(pcm), FORMAT, x.length);
    }

    /**
     * Splits the stream into loud segments (a vowel plus its consonants) and classifies each one, until the stream
     * ends or {@code endNanos} passes.
     *
     * @param file the recording's name (segments are then labelled with their times), or null for the microphone
     */
    private void listen(FrameSource frames, long endNanos, String file, FeatureClassifier classifier,
                        PrintWriter out) throws Exception {
        int frame = ListenSegmenter.frameSamples(rate); // 20 ms
        ListenSegmenter segmenter = new ListenSegmenter(thresholdDb);
        while (System.nanoTime() < endNanos) {
            double[] x = frames.next(endNanos);
            if (x == null) {
                break;
            }
            ListenSegmenter.Segment s = segmenter.accept(x);
            if (s != null) {
                classify(s, file, classifier, out);
            }
            if (x.length < frame) { // end of the stream
                break;
            }
        }
        ListenSegmenter.Segment last = segmenter.finish();
        if (last != null) {
            classify(last, file, classifier, out);
        }
    }

    /**
     * Fills {@code buf} with one frame; returns fewer bytes only at the end of the stream or when {@code endNanos}
     * passes (a capture line that delivers nothing cannot hold the loop past --seconds).
     */
    private static int readFrame(AudioInputStream in, byte[] buf, long endNanos) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
            if (r == 0) {
                if (System.nanoTime() >= endNanos) {
                    break;
                }
                Thread.onSpinWait();
            }
        }
        return n - n % 2;
    }

    private void classify(ListenSegmenter.Segment s, String file, FeatureClassifier classifier, PrintWriter out)
            throws Exception {
        segments++;
        double start = s.startSample() / (double) rate;
        double end = s.loudEnd() / (double) rate;
        String when = String.format(Locale.ROOT, "%6.2f–%6.2f s  ", start, end);
        String source = file == null ? "microphone"
                : String.format(Locale.ROOT, "%s at %.2f–%.2f s", file, start, end);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("start_s", Math.round(start * 1000) / 1000.0);
        o.put("end_s", Math.round(end * 1000) / 1000.0);
        try {
            FormantFeatures.Result r = FormantFeatures.extract(new Audio(s.samples(), (int) rate, source, List.of()));
            // talker13 models take the talker's G over the vowels before this one (audio.md, talker13)
            JsonNode a = classifier.classify(r.features(classifier.layout(), talker.talkerG()));
            vowels++;
            double[] hz = r.featuresHz();
            if (!r.lowConfidence()) { // a doubtful measurement would bias the talker's estimate
                // a doubtful answer too: TalkerEstimate leaves out answers below --talker-min-confidence
                talker.add(hz, r.f0Hz(), a.path("label").asText(null), a.path("confidence").asDouble());
            }
            if (json) {
                o.setAll((ObjectNode) a);
                o.set("formants_hz", Json.MAPPER.valueToTree(hz));
                o.put("f0_hz", r.f0Hz());
                o.put("audio_confidence", r.confidence());
                o.set("warnings", Json.MAPPER.valueToTree(r.warnings()));
                if (talker.vowels() > 0) {
                    ObjectNode t = o.putObject("talker");
                    t.put("vowels", talker.vowels());
                    t.put("f0_hz", Math.round(talker.f0Hz() * 10) / 10.0);
                    t.put("formant_mean_hz", Math.round(talker.formantMeanHz() * 10) / 10.0);
                    t.put("settled", talker.settled());
                }
                out.println(LINE.writeValueAsString(o));
            } else {
                out.printf("%s%-4s confidence %.2f   F1 %.0f F2 %.0f F3 %.0f Hz, F0 %.0f Hz%s%s%n",
                        file == null ? "" : when, a.path("label").asText(), a.path("confidence").asDouble(),
                        hz[0], hz[1], hz[2], r.f0Hz(), r.lowConfidence() ? "   (low audio confidence)" : "",
                        talker.vowels() == 0 ? "" : String.format(Locale.ROOT,
                                "   talker over %d vowel(s): F0 %.0f Hz, formant mean %.0f Hz%s", talker.vowels(),
                                talker.f0Hz(), talker.formantMeanHz(), talker.settled() ? "" : " (settling)"));
            }
        } catch (AudioException e) {
            if (json) {
                o.put("error", e.getMessage());
                o.put("reason", e.reason().name().toLowerCase(Locale.ROOT));
                out.println(LINE.writeValueAsString(o));
            } else {
                out.println((file == null ? "" : when) + "(not a vowel: " + e.getMessage() + ")");
            }
        }
        out.flush();
    }
}
