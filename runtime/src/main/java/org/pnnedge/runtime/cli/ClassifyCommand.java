package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "classify", description = "Classify one feature vector on a running service (control socket) or "
        + "directly on a device with a bundle.")
final class ClassifyCommand implements Callable<Integer> {
    @Option(names = "--features", paramLabel = "F1,F2,...", description = "Feature values, comma-separated (the "
            + "model's units: for the vowel models its feature layout, e.g. formants divided by the PAT maxima for "
            + "hz12 bundles; audio.md).")
    String features;

    @Option(names = "--wav", paramLabel = "FILE", description = "A recorded vowel: its formants and F0 are measured "
            + "(LPC) and converted to the features of the bundle's layout (featureLayout; legacy bundles: hz12).")
    Path wav;

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

    @Override
    public Integer call() throws Exception {
        if ((features == null) == (wav == null)) {
            throw new CliException("give exactly one of --features and --wav");
        }
        org.pnnedge.models.audio.FormantFeatures.Result audio = null;
        if (wav != null) {
            try {
                audio = org.pnnedge.models.audio.FormantFeatures.extract(wav);
            } catch (org.pnnedge.models.audio.AudioException e) {
                throw new CliException(e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonNode answer;
        try (DeviceContext ctx = DeviceContext.create()) {
            FeatureClassifier c = FeatureClassifier.open(ctx, device, bundle, trust,
                    socket != null ? socket : stateDir.resolve("control.sock"));
            // the features the bundle was trained on (its feature layout), from the measured formants and F0
            double[] f;
            try {
                f = audio != null ? audio.features(c.layout()) : parse(features);
            } catch (IllegalArgumentException e) {
                throw new CliException(wav + ": " + e.getMessage());
            }
            answer = c.classify(f);
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
            if (audio != null) {
                double[] hz = audio.featuresHz();
                out.printf("formants at steady state F1 %.0f F2 %.0f F3 %.0f Hz, F0 %.0f Hz, audio confidence %.2f%s%n",
                        hz[0], hz[1], hz[2], audio.f0Hz(), audio.confidence(),
                        audio.warnings().isEmpty() ? "" : "; " + String.join("; ", audio.warnings()));
            }
        }
        return 0;
    }

    static double[] parse(String text) {
        String[] parts = text.split(",");
        double[] f = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                f[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new CliException("--features: '" + parts[i].trim() + "' is not a number");
            }
            if (!Double.isFinite(f[i])) {
                throw new CliException("--features: value " + (i + 1) + " is not finite");
            }
        }
        return f;
    }
}
