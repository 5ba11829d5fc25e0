package org.pnnedge.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.HillenbrandReader;
import org.pnnedge.runtime.demo.DemoModel;
import org.pnnedge.runtime.demo.FeatureUnits;
import org.pnnedge.runtime.demo.VowelDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = "Everything in one process: MQTT broker, emulated SHG device, the edge service "
        + "with the shipped bundle (or --bundle); inference over MQTT on held-out talkers in the bundle's feature "
        + "layout, telemetry, drift and recalibration, an over-the-air update and a tampered bundle refused.")
final class DemoCommand implements Callable<Integer> {
    /**
     * The shipped hearing bundle (talker13: per-talker normalised formants and F0; audio.md). The service's default
     * feature bundle, src/dist/models/vowels7.pnnb, stays hz12 for clients that send formant vectors; the demo
     * classifies heard vowels, so it serves the bundle that hears best (BENCHMARKS.md, "800-epoch talker13").
     */
    static final String SHIPPED = "src/dist/models/vowels7-talker13.pnnb";

    @Option(names = "--json-summary", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path jsonSummary;

    @Option(names = "--bundle", paramLabel = "BUNDLE", description = "Serve this vowel bundle instead of the shipped "
            + "one (e.g. a candidate): its feature layout (hz12, log13, bark13, logmean13, talker13) decides how the "
            + "held-out vowels are measured and how the update is retrained.")
    Path bundle;

    @Option(names = "--trust", paramLabel = "PUB_OR_DIR", description = "Public key file or directory of *.pub that "
            + "may sign --bundle; repeatable. Default: the shipped release key. Your development key is trusted "
            + "too (it signs the demo's own update).")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--held-out-talkers", defaultValue = "6", paramLabel = "N", description = "New synthetic talkers "
            + "a group whose vowels are classified, 1..50 (default ${DEFAULT-VALUE}: 42 vowels a group for 7 vowels).")
    int heldOutTalkers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (heldOutTalkers < 1 || heldOutTalkers > 50) {
            throw new CliException("--held-out-talkers must be 1..50, got " + heldOutTalkers);
        }
        Path home = home();
        Path file = bundle != null ? bundle : home.resolve(SHIPPED);
        BundleFile.requireReadable(file);
        if (jsonSummary != null) {
            OutputFile.check("--json-summary", jsonSummary); // now, not after the demo's minute
        }
        List<Path> keys = trust.isEmpty() ? List.of(home.resolve("src/dist/keys/pnn-release.pub")) : trust;
        TrustedKeys trusted;
        try {
            trusted = TrustedKeys.load(keys);
        } catch (java.io.IOException e) {
            throw new CliException("--trust: cannot read key " + e.getMessage());
        }
        DemoModel model = DemoModel.load(file, trusted);
        StringBuilder listen = new StringBuilder(bundle == null ? SHIPPED : bundle.toString());
        trust.forEach(k -> listen.append(" --trust ").append(k));
        Map<String, Object> summary = new VowelDemo(spec.commandLine().getOut(), model, units(),
                new VowelDemo.Options(heldOutTalkers, bundle == null, listen.toString())).run();
        if (jsonSummary != null) {
            Files.writeString(jsonSummary, Json.write(summary));
        }
        return 0;
    }

    /** The units of {@code pnn data}, so the demo's vowels are made by the code that makes data sets. */
    static FeatureUnits units() {
        return (raw, talkers, units) -> {
            double[][] hz = Arrays.stream(raw.features()).map(r -> Arrays.copyOf(r, 12)).toArray(double[][]::new);
            Dataset formants = raw.withFeatures(hz, HillenbrandReader.FEATURE_NAMES);
            return DataCommand.inUnits(formants, () -> raw, () -> talkers, units);
        };
    }

    /** The checkout (for the shipped bundle and the release key). */
    static Path home() {
        Path root = ModelData.checkoutWith(SHIPPED);
        if (root == null) {
            throw new CliException("cannot find " + SHIPPED + ": run ./pnn demo from the checkout");
        }
        return root;
    }
}
