package org.pnnedge.runtime.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.models.data.FeatureLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "classify", description = "Classify one feature vector, recorded vowel or measured vowel on a "
        + "running service (control socket) or directly on a device with a bundle.")
final class ClassifyCommand implements Callable<Integer> {
    @Option(names = "--features", paramLabel = "F1,F2,...", description = "Feature values, comma-separated (the "
            + "model's units: for the vowel models its feature layout, e.g. formants divided by the PAT maxima for "
            + "hz12 bundles; audio.md).")
    String features;

    @Option(names = "--wav", paramLabel = "FILE", description = "A recorded vowel: its formants and F0 are measured "
            + "(LPC) and converted to the features of the bundle's layout (featureLayout; legacy bundles: hz12). '-' "
            + "reads it from standard input, e.g. arecord -d 2 -f S16_LE -r 16000 -c 1 | pnn classify --wav - "
            + "(at most 30 s; given up when nothing arrives for 10 s).")
    Path wav;

    @Option(names = "--formants-hz", paramLabel = "F1,F2,...", description = "A measured vowel: its 12 formant "
            + "values in Hz (F1-F3 at steady state, then at 20, 50 and 80 %% of the vowel), converted to the features "
            + "of the model's layout (by the service, when classifying on one).")
    String formantsHz;

    @Option(names = "--f0", paramLabel = "HZ", description = "With --formants-hz: the vowel's F0 in Hz (needed by "
            + "every layout but hz12).")
    Double f0;

    @Option(names = "--talker", paramLabel = "ID", description = "With --wav or --formants-hz on a running service: "
            + "who is speaking; the service keeps that talker's formant level over requests for talker13 models "
            + "(1-64 letters, digits or . _ : @ -).")
    String talker;

    @Option(names = "--socket", paramLabel = "PATH", description = "Control socket of a running service "
            + "(default <state.dir>/control.sock with state.dir from --state-dir).")
    Path socket;

    @Option(names = "--state-dir", defaultValue = "/var/lib/pnn-edge", description = "Default ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(names = "--device", paramLabel = "URI", description = "Run directly on this device instead of a service.")
    String device;

    @Option(names = "--bundle", paramLabel = "BUNDLE", description = "With --device: the model to run.")
    Path bundle;

    @Option(names = "--trust", paramLabel = "PUB_OR_DIR", description = "With --device: trusted key(s); default the "
            + "shipped release key(s) and your development key.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Where {@code --wav -} reads (tests give their own stream). */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws Exception {
        if ((features != null ? 1 : 0) + (wav != null ? 1 : 0) + (formantsHz != null ? 1 : 0) != 1) {
            throw new CliException("give exactly one of --features, --wav and --formants-hz");
        }
        if (f0 != null && formantsHz == null) {
            throw new CliException("--f0 goes with --formants-hz (a WAV's F0 is measured)");
        }
        if (f0 != null && !(f0 > 0 && Double.isFinite(f0))) {
            throw new CliException("--f0 must be a positive number of Hz, got " + f0);
        }
        if (talker != null && features != null) {
            throw new CliException("--talker goes with --wav or --formants-hz: features are already normalised");
        }
        double[] measuredHz = formantsHz == null ? null : parse("--formants-hz", formantsHz);
        if (measuredHz != null && measuredHz.length != 12) {
            throw new CliException("--formants-hz needs 12 values (F1-F3 at steady state, 20, 50 and 80 %), got "
                    + measuredHz.length);
        }
        org.pnnedge.models.audio.FormantFeatures.Result audio = null;
        if (wav != null) {
            try {
                audio = wav.toString().equals("-")
                        ? org.pnnedge.models.audio.FormantFeatures.extract(
                                PipeFrames.recording(stdin, "stdin", Duration.ofSeconds(10)))
                        : org.pnnedge.models.audio.FormantFeatures.extract(wav);
            } catch (org.pnnedge.models.audio.AudioException e) {
                throw new CliException(e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonNode answer;
        try (DeviceContext ctx = DeviceContext.create()) {
            FeatureClassifier c = FeatureClassifier.open(ctx, device, bundle, trust,
                    socket != null ? socket : stateDir.resolve("control.sock"));
            // a measurement becomes the features of the model's layout: here for a device, in the service for one
            try {
                if (audio != null) {
                    // a doubtful measurement would bias the talker's estimate (as pnn listen keeps it out)
                    answer = c.classify(audio.featuresHz(), audio.f0Hz(), talker, !audio.lowConfidence());
                } else if (measuredHz != null) {
                    FeatureLayout layout = f0 == null ? c.layout() : null;
                    if (layout != null && layout.needsF0()) {
                        // the layout's own message says "got NaN Hz": name the option that gives F0 instead
                        throw new CliException("feature layout " + layout.id() + " needs F0: give the vowel's F0 "
                                + "with --f0 HZ");
                    }
                    answer = c.classify(measuredHz, f0 == null ? Double.NaN : f0, talker, true);
                } else {
                    answer = c.classify(parse("--features", features));
                }
            } catch (IllegalArgumentException e) {
                throw new CliException((wav == null ? "" : wav.toString().equals("-") ? "stdin: " : wav + ": ")
                        + e.getMessage());
            }
        }
        if (audio != null) {
            ObjectNode a = (ObjectNode) answer.deepCopy();
            a.set("formants_hz", Json.MAPPER.valueToTree(audio.featuresHz()));
            a.put("f0_hz", audio.f0Hz());
            a.put("audio_confidence", audio.confidence());
            a.set("warnings", Json.MAPPER.valueToTree(audio.warnings()));
            answer = a;
        }
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(answer));
        } else {
            out.printf("%s (confidence %.2f, %s, %.0f µs)%n", answer.path("label").asText(),
                    answer.path("confidence").asDouble(), answer.path("model").asText(),
                    answer.path("latencyMicros").asDouble());
            JsonNode t = answer.path("talker");
            if (t.has("id")) { // the service's estimate of who spoke (mqtt.md, "Measurement requests")
                out.printf("talker %s over %d vowel(s)%s%s%n", t.path("id").asText(), t.path("vowels").asInt(),
                        t.has("formant_mean_hz") ? String.format(java.util.Locale.ROOT, ": F0 %.0f Hz, formant mean "
                                + "%.0f Hz", t.path("f0_hz").asDouble(), t.path("formant_mean_hz").asDouble()) : "",
                        t.path("settled").asBoolean() ? "" : " (settling)");
            }
            if (audio != null) {
                double[] hz = audio.featuresHz();
                out.printf("formants at steady state F1 %.0f F2 %.0f F3 %.0f Hz, F0 %.0f Hz, audio confidence %.2f%s%n",
                        hz[0], hz[1], hz[2], audio.f0Hz(), audio.confidence(),
                        audio.warnings().isEmpty() ? "" : "; " + String.join("; ", audio.warnings()));
            }
        }
        return 0;
    }

    static double[] parse(String option, String text) {
        String[] parts = text.split(",");
        double[] f = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                f[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new CliException(option + ": '" + parts[i].trim() + "' is not a number");
            }
            if (!Double.isFinite(f[i])) {
                throw new CliException(option + ": value " + (i + 1) + " is not finite");
            }
        }
        return f;
    }
}
