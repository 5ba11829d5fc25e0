package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.TargetDataLine;

import com.fasterxml.jackson.databind.JsonNode;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.models.audio.Audio;
import org.pnnedge.models.audio.AudioException;
import org.pnnedge.models.audio.FormantFeatures;
import org.pnnedge.models.data.Normalization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "listen", description = "Capture from the microphone and classify each vowel heard (on a device "
        + "with --device/--bundle, or on the running service).")
final class ListenCommand implements Callable<Integer> {
    static final float RATE = 16_000f;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (0 = until Ctrl-C).")
    int seconds;

    @Option(names = "--device", paramLabel = "URI", description = "Classify directly on this device.")
    String device;

    @Option(names = "--bundle", paramLabel = "BUNDLE", description = "With --device: the model.")
    Path bundle;

    @Option(names = "--trust", paramLabel = "PUB_OR_DIR", description = "With --device: trusted key(s).")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--state-dir", defaultValue = "/var/lib/pnn-edge", description = "Running service's state dir (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--threshold-db", defaultValue = "-40", description = "Level a vowel must exceed, dB full scale (default ${DEFAULT-VALUE}).")
    double thresholdDb;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
        DataLine.Info info = new DataLine.Info(TargetDataLine.class, format);
        if (!AudioSystem.isLineSupported(info)) {
            throw new CliException("no audio capture device: the system offers no microphone line for 16 kHz mono "
                    + "16-bit capture (check the sound card and permissions; or classify recordings with pnn classify --wav)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DeviceContext ctx = DeviceContext.create()) {
            FeatureClassifier classifier = FeatureClassifier.open(ctx, device, bundle, trust,
                    stateDir.resolve("control.sock"));
            TargetDataLine line;
            try {
                line = (TargetDataLine) AudioSystem.getLine(info);
                line.open(format);
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
                throw new CliException("cannot open the microphone: " + e.getMessage());
            }
            try (line) {
                line.start();
                out.printf("listening (16 kHz mono); say a vowel such as 'heed' or 'hod'%s%n",
                        seconds > 0 ? " for " + seconds + " s" : "; Ctrl-C to stop");
                out.flush();
                listen(line, classifier, out);
            }
        }
        return 0;
    }

    /** Splits the stream into loud segments (a vowel plus its consonants) and classifies each one. */
    private void listen(TargetDataLine line, FeatureClassifier classifier, PrintWriter out) throws Exception {
        int frame = (int) (RATE / 50); // 20 ms
        byte[] buf = new byte[2 * frame];
        double threshold = Math.pow(10, thresholdDb / 20);
        List<double[]> segment = new ArrayList<>();
        int quiet = 0;
        long end = seconds > 0 ? System.nanoTime() + Duration.ofSeconds(seconds).toNanos() : Long.MAX_VALUE;
        while (System.nanoTime() < end) {
            int n = line.read(buf, 0, buf.length);
            if (n <= 0) {
                continue;
            }
            double[] x = new double[n / 2];
            double energy = 0;
            for (int i = 0; i < x.length; i++) {
                x[i] = (short) ((buf[2 * i] & 0xFF) | (buf[2 * i + 1] << 8)) / 32768.0;
                energy += x[i] * x[i];
            }
            boolean loud = Math.sqrt(energy / x.length) > threshold;
            if (loud) {
                segment.add(x);
                quiet = 0;
            } else if (!segment.isEmpty()) {
                segment.add(x);
                if (++quiet >= 10) { // 200 ms of quiet ends a word
                    classify(segment, classifier, out);
                    segment.clear();
                    quiet = 0;
                }
            }
        }
    }

    private void classify(List<double[]> frames, FeatureClassifier classifier, PrintWriter out) throws Exception {
        int total = frames.stream().mapToInt(f -> f.length).sum();
        double[] samples = new double[total];
        int p = 0;
        for (double[] f : frames) {
            System.arraycopy(f, 0, samples, p, f.length);
            p += f.length;
        }
        try {
            FormantFeatures.Result r = FormantFeatures.extract(new Audio(samples, (int) RATE, "microphone", List.of()));
            JsonNode a = classifier.classify(r.toNormalized(Normalization.patVowel7()));
            double[] hz = r.featuresHz();
            out.printf("%-4s confidence %.2f   F1 %.0f F2 %.0f F3 %.0f Hz, F0 %.0f Hz%s%n", a.path("label").asText(),
                    a.path("confidence").asDouble(), hz[0], hz[1], hz[2], r.f0Hz(),
                    r.lowConfidence() ? "   (low audio confidence)" : "");
        } catch (AudioException e) {
            out.println("(not a vowel: " + e.getMessage() + ")");
        }
        out.flush();
    }
}
