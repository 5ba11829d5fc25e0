package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.emulator.EmulatorEndpoint;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.plot.ConfusionMatrixChart;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", description = "Evaluate a bundle on a device: accuracy over repeats, per-class recall, confusion matrix.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--bundle", required = true, paramLabel = "BUNDLE", description = "Signed model bundle.")
    Path bundle;

    @Option(names = "--device", required = true, paramLabel = "URI", description = "Device URI.")
    String uri;

    @Option(names = "--data", required = true, paramLabel = "CSV", description = "Labelled data in the training format.")
    Path data;

    @Option(names = "--repeats", defaultValue = "5", description = "Passes over the data (the device is noisy; default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--sessions", defaultValue = "1", description = "Emulated device only: run the repeats in this "
            + "many sessions of the unit (the URI's session, then the next ones: the same unit at other times, "
            + "another drift state and noise), each a fresh device; the figure is the mean over all of them "
            + "(default ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--trust", paramLabel = "PUB_OR_DIR", description = "Trusted public key(s); default: the "
            + "shipped release key(s) and your development key.")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--confusion", paramLabel = "PNG", description = "Also write the confusion matrix as a PNG.")
    Path confusionPng;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    EnergyOptions energyOptions = new EnergyOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || repeats > 1000) {
            throw new CliException("--repeats must be in 1..1000");
        }
        List<String> uris = sessionUris(uri, sessions);
        if (confusionPng != null) {
            ToolsLib.requireChartRenderer("--confusion");
            OutputFile.checkNotDirectory("--confusion", confusionPng);
            OutputFile.notInput("--confusion", confusionPng, "--data", data);
            OutputFile.notInput("--confusion", confusionPng, "--bundle", bundle);
        }
        EnergyReport.Settings energySettings = energyOptions.settings();
        ModelBundle b = BundleFile.load(bundle, trustedKeys(trust));
        PnnModel model;
        try {
            model = PnnBundles.model(b.manifest());
        } catch (IllegalArgumentException e) {
            throw new CliException(bundle + ": " + e.getMessage());
        }
        Dataset ds = ModelData.load(data);
        if (ds.numFeatures() != model.architecture().features()) {
            throw new CliException(data + " has " + ds.numFeatures() + " features, the model takes "
                    + model.architecture().features());
        }
        List<String> labels = model.labels();
        int classes = labels.size();
        double[][] z = new double[ds.size()][];
        for (int i = 0; i < ds.size(); i++) {
            z[i] = b.manifest().normalization().apply(ds.features()[i]);
        }
        int[] y = ds.labels();
        for (int v : y) {
            if (v >= classes) {
                throw new CliException(data + " has label " + v + " but the model knows " + classes + " classes");
            }
        }
        int[][] confusion = new int[classes][classes];
        double[] acc = new double[0];
        double[] perSession = new double[uris.size()];
        Map<String, Object> energy = null;
        for (int k = 0; k < uris.size(); k++) {
            try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uris.get(k))) {
                b.requireCompatible(link.info());
                EnergyReport.Run run = EnergyReport.evaluate(link, model, z, y, repeats, confusion, energySettings,
                        uris.get(k));
                perSession[k] = TrainCommand.mean(run.accuracy());
                acc = concat(acc, run.accuracy());
                energy = energy == null ? run.energy() : energy; // the first session's: every session prices alike
            }
        }
        double mean = TrainCommand.mean(acc);
        double sd = 0;
        for (double a : acc) {
            sd += (a - mean) * (a - mean);
        }
        sd = acc.length > 1 ? Math.sqrt(sd / (acc.length - 1)) : 0;
        double[] recall = new double[classes];
        for (int c = 0; c < classes; c++) {
            int row = java.util.Arrays.stream(confusion[c]).sum();
            recall[c] = row == 0 ? Double.NaN : confusion[c][c] / (double) row;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (confusionPng != null) {
            ConfusionMatrixChart.of("Confusion on " + data.getFileName() + " (" + repeats + " repeats)", labels, confusion)
                    .write(confusionPng);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", b.manifest().modelId() + "@" + b.manifest().version());
            m.put("accuracy", mean);
            m.put("accuracy_std", sd);
            m.put("n", ds.size());
            m.put("repeats", repeats);
            if (uris.size() > 1) {
                Map<String, Double> bySession = new LinkedHashMap<>();
                for (int k = 0; k < uris.size(); k++) {
                    bySession.put(uris.get(k), perSession[k]);
                }
                m.put("sessions", bySession);
            }
            m.put("labels", labels);
            Map<String, Double> rec = new LinkedHashMap<>();
            for (int c = 0; c < classes; c++) {
                rec.put(labels.get(c), recall[c]);
            }
            m.put("recall", rec);
            m.put("per_class", rec);
            m.put("confusion", confusion);
            m.put("layers", model.architecture().layers());
            m.put("shots_per_inference", model.architecture().shotsPerInference());
            m.put("energy_per_inference_j", energy);
            // what training measured at its end (same unit, its drift state then), next to this measurement
            Map<String, Object> end = new LinkedHashMap<>();
            Map<String, Double> metrics = b.manifest().metrics();
            for (String k : List.of("validation_accuracy_device", "train_accuracy_device")) {
                if (metrics != null && metrics.containsKey(k)) {
                    end.put(k, metrics.get(k));
                }
            }
            m.put("end_of_training", end);
            Double endVal = metrics == null ? null : metrics.get("validation_accuracy_device");
            if (endVal != null) {
                m.put("accuracy_minus_end_of_training_validation", mean - endVal);
            }
            out.println(Json.write(m));
        } else {
            out.printf("%s@%s on %s: accuracy %.3f ± %.3f over %d repeats of %d samples%s%n", b.manifest().modelId(),
                    b.manifest().version(), data.getFileName(), mean, sd, repeats, ds.size(),
                    uris.size() > 1 ? " in each of " + uris.size() + " sessions" : "");
            for (int k = 0; uris.size() > 1 && k < uris.size(); k++) {
                out.printf("  %s: %.3f%n", uris.get(k), perSession[k]);
            }
            Map<String, Double> metrics = b.manifest().metrics();
            if (metrics != null && metrics.containsKey("validation_accuracy_device")) {
                out.printf("end of training (from the bundle): validation %.3f%n",
                        metrics.get("validation_accuracy_device"));
            }
            out.printf("energy per inference: %.3g J (device %.3g J %s, link %.3g J, host %.3g J on a %s core) vs "
                    + "%.3g J for the digital MLP on the same core: ratio %.3g%n", energy.get("total"),
                    energy.get("device"), energy.get("device_source"), energy.get("link"), energy.get("host"),
                    energyOptions.piModel, energy.get("digital"), energy.get("ratio"));
            out.print("recall  ");
            for (int c = 0; c < classes; c++) {
                out.printf(" %s %.2f", labels.get(c), recall[c]);
            }
            out.println();
            out.println("confusion (rows = truth, columns = prediction, summed over repeats):");
            out.print("      ");
            for (String l : labels) {
                out.printf("%6s", l);
            }
            out.println();
            for (int c = 0; c < classes; c++) {
                out.printf("%6s", labels.get(c));
                for (int p = 0; p < classes; p++) {
                    out.printf("%6d", confusion[c][p]);
                }
                out.println();
            }
        }
        return 0;
    }

    /**
     * The device URIs of {@code n} sessions (1..100): {@code uri} itself, then for an emulator the next sessions of
     * the same unit ({@code session=} the URI's, or 0, plus 1, 2, ...; {@link EmulatorEndpoint#sessionUri}). A real
     * device has one session at a time. Shared by {@code pnn eval --sessions} and {@code pnn train --sessions}.
     */
    static List<String> sessionUris(String uri, int n) {
        if (n < 1 || n > 100) {
            throw new CliException("--sessions must be in 1..100, got " + n);
        }
        if (n == 1) {
            return List.of(uri);
        }
        if (!EmulatorEndpoint.isEmulatorUri(uri)) {
            throw new CliException("--sessions " + n + " needs an emulated device (emulator:...); a real device is "
                    + "in one session: evaluate it again at another time");
        }
        try {
            long first = EmulatorEndpoint.sessionOf(uri);
            List<String> uris = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                uris.add(EmulatorEndpoint.sessionUri(uri, first + k));
            }
            return uris;
        } catch (IllegalArgumentException e) {
            throw new CliException(uri + ": " + e.getMessage());
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** The keys of --trust; a file that is not there is bad input (exit 2) naming it, not a stack trace. */
    static TrustedKeys loadTrust(List<Path> trust) throws java.io.IOException {
        try {
            return TrustedKeys.load(trust);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException("--trust: no such file or directory: " + e.getFile());
        }
    }

    static TrustedKeys trustedKeys(List<Path> trust) throws java.io.IOException {
        if (!trust.isEmpty()) {
            return loadTrust(trust);
        }
        // default: what pnn train signs with (this user's development key) and, in a checkout, the release keys
        // that sign the shipped bundles
        // (only if it exists: checking a bundle never creates a key)
        List<Path> keys = new java.util.ArrayList<>();
        Path dev = org.pnnedge.models.bundle.DevelopmentKeys.defaultDirectory()
                .resolve(org.pnnedge.models.bundle.DevelopmentKeys.PUBLIC_FILE);
        if (java.nio.file.Files.isRegularFile(dev)) {
            keys.add(dev);
        }
        Path shipped = ModelData.shippedKeys();
        if (shipped != null) {
            keys.add(shipped);
        }
        if (keys.isEmpty()) {
            throw new CliException("no --trust key given, no shipped release key found and no development key in "
                    + dev.getParent());
        }
        return TrustedKeys.load(keys);
    }
}
