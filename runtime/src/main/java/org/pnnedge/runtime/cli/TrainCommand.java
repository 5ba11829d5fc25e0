package org.pnnedge.runtime.cli;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.CodeVersion;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.Provenance;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.plot.Chart;
import org.pnnedge.models.plot.LineChart;
import org.pnnedge.models.pnn.EpochStats;
import org.pnnedge.models.pnn.ImageShift;
import org.pnnedge.models.pnn.LayerOps;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;
import org.pnnedge.models.twin.FittedTwin;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.TwinFitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", description = "Train a PNN on a device (physics-aware or in silico) and write a signed bundle.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "CSV", description = "Training data (features + label).")
    Path data;

    @Option(names = "--device", required = true, paramLabel = "URI", description = "Device URI.")
    String uri;

    @Option(names = "--mode", defaultValue = "pat", description = "pat or insilico (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--layers", defaultValue = "1", description = "Physical layers, 1..8 (default ${DEFAULT-VALUE}).")
    String layersText;

    @Option(names = "--ops", defaultValue = "deep", description = "Operations between layers: deep (skip path, "
            + "common-mode output normalisation, soft range keeping; bundle format 2) or legacy (format 1) "
            + "(default ${DEFAULT-VALUE}).")
    String ops;

    @Option(names = "--input-projection", defaultValue = "0", paramLabel = "K", description = "Hybrid network: a "
            + "trainable digital projection from the features to K device inputs (time-multiplexed over ceil(K / "
            + "inputs) shots per layer) and a digital readout; 0 = a physical network (default ${DEFAULT-VALUE}).")
    int projection;

    @Option(names = "--normalization", defaultValue = "zscore", description = "Feature normalisation: zscore (per "
            + "feature) or global (one mean and deviation for all features, for images) (default ${DEFAULT-VALUE}).")
    String normalization;

    @Option(names = "--augment-shift", paramLabel = "WxH:PIXELS", description = "Image data: shift each training "
            + "image by up to PIXELS in x and y every epoch, e.g. 28x28:2 for MNIST (use with --normalization global).")
    String augmentShift;

    @Option(names = "--fidelity-device", paramLabel = "URI", description = "Noise-free device for the per-layer "
            + "gradient fidelity report (default for an emulator: the same URI with noise=off&drift=off; 'none' "
            + "skips it).")
    String fidelityUri;

    @Option(names = "--epochs", defaultValue = "400", description = "Default ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", defaultValue = "8", description = "Default ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--learning-rate", description = "Peak Adam step (default 0.03 / sqrt(layers)).")
    Double learningRate;

    @Option(names = "--sessions", defaultValue = "1", description = "Emulated device, physics-aware training only: "
            + "run the forward passes of epoch e in session (e-1) mod N of the unit (the URI's session, then the next "
            + "ones: the same unit at other times, other drift states), so the model cannot lean on one drift state; "
            + "the twin is fitted on the first; 1..100 (default ${DEFAULT-VALUE}; models.md).")
    int sessions;

    @Option(names = "--seed", defaultValue = "1", description = "Default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--readout", defaultValue = "affine", description = "affine: per-class gain and offset (most "
            + "accurate; needs recalibration when the device drifts); dark-referenced: g·(y − dark), unchanged by "
            + "light-source drift (default ${DEFAULT-VALUE}).")
    String readout;

    @Option(names = "--twin", paramLabel = "TWIN", description = "Twin file (pnn fit-twin); otherwise the device is "
            + "characterized and a grey-box twin fitted first.")
    Path twinFile;

    @Option(names = "--samples", defaultValue = "10000", description = "Characterization samples when no --twin (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--validation", defaultValue = "0.2", description = "Fraction held out for the validation curve (default ${DEFAULT-VALUE}; 0 = none).")
    double validation;

    @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "Signed bundle to write.")
    Path bundleOut;

    @Option(names = "--key", paramLabel = "KEY", description = "Signing key (pnn keygen); default: your development key (created on first use in ~/.config/pnn-edge/dev-keys).")
    Path key;

    @Option(names = "--model-id", defaultValue = "vowels7", description = "Default ${DEFAULT-VALUE}.")
    String modelId;

    @Option(names = "--version", defaultValue = "1.0.0", description = "Semantic version of the model (default ${DEFAULT-VALUE}).")
    String version;

    @Option(names = "--validate-only", description = "Check the arguments that need neither the data nor the device "
            + "(--version, --model-id, --key, the folders of --out and --curves, --mode, --layers, ...) and exit: 0 "
            + "when they are good, 2 naming the bad one. --data is not read (it need not exist yet) and no device is "
            + "opened: src/dist/make-*-bundle.sh run it before they spend minutes making the data.")
    boolean validateOnly;

    @Option(names = "--curves", paramLabel = "PREFIX", description = "Write PREFIX.csv and PREFIX.png training curves "
            + "(default: next to the bundle).")
    Path curves;

    @Option(names = "--feature-layout", paramLabel = "ID", description = "What the features are, recorded in the "
            + "bundle so `pnn classify --wav` and `pnn listen` compute them: hz12 (legacy, the default), log13, "
            + "bark13 or logmean13 (audio.md, talker normalisation). The CSV's columns must be that layout's "
            + "(`pnn data ... --units ID`).")
    String featureLayout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainingMode m = switch (mode.toLowerCase(Locale.ROOT)) {
            case "pat" -> TrainingMode.PAT;
            case "insilico", "in-silico" -> TrainingMode.INSILICO;
            default -> throw new CliException("--mode must be pat or insilico, got '" + mode + "'");
        };
        if (!(validation >= 0 && validation < 0.9)) {
            throw new CliException("--validation must be in [0, 0.9)");
        }
        TrainChecks.requireSteps(epochs, batch, learningRate);
        Path keyFile = key != null ? key : ModelData.developmentKey();
        List<String> sessionUris = TrainSessions.uris(uri, sessions, m);
        int layers = parseLayers(layersText, false)[0];
        LayerOps layerOps = parseOps(ops);
        if (projection < 0 || projection > 4096) {
            throw new CliException("--input-projection must be in 0..4096 (0 = none), got " + projection);
        }
        // what the bundle is written with is checked before the data is read and the device opened
        TrainChecks checked = TrainChecks.check(version, modelId, featureLayout, readout, bundleOut, curves, keyFile,
                data, twinFile);
        org.pnnedge.models.data.FeatureLayout layout = checked.layout();
        boolean darkReadout = checked.darkReadout();
        SigningKey signing = checked.signing();
        if (validateOnly) {
            spec.commandLine().getOut().printf("pnn train: the arguments are good (%s %s, signed by %s%s); --data "
                    + "not read, no device opened%n", modelId, version, signing.keyId(),
                    signing.development() ? ", a DEVELOPMENT key" : "");
            return 0;
        }
        Dataset ds = ModelData.load(data);
        TrainChecks.requireValidationRows(ds, data, validation, seed); // now: the device has not been opened
        if (layout != null) {
            if (layout != org.pnnedge.models.data.FeatureLayout.HZ12 && !ds.featureNames().equals(layout.names())) {
                throw new CliException("--feature-layout " + layout.id() + " needs the columns " + layout.names()
                        + "; " + data + " has " + ds.featureNames() + " (write it with pnn data ... --units "
                        + layout.id() + ")");
            }
            featureLayout = layout.id();
        }

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(sessionUris.get(0))) {
            if (projection == 0 && ds.numFeatures() > link.info().inputs()) {
                throw new CliException(data + " has " + ds.numFeatures() + " features but the device has "
                        + link.info().inputs() + " inputs: use a hybrid network (--input-projection K)");
            }
            if (layers > 1 && link.info().inputs() != link.info().outputs()) {
                throw new CliException("stacking " + layers + " layers needs as many device outputs as inputs ("
                        + link.info().outputs() + " vs " + link.info().inputs() + ")");
            }
            if (layers > link.info().slots() - 1) {
                throw new CliException("--layers " + layers + " needs " + layers + " parameter slots plus one for "
                        + "characterization; the device has " + link.info().slots());
            }
            TrainableTwin twin;
            String twinOrigin;
            if (twinFile != null) {
                twin = Twins.read(twinFile);
                twinOrigin = twinFile.toString();
            } else {
                ProgressBar bar = new ProgressBar(err, "characterize", samples);
                Characterization c = Characterizer.of(samples, seed).measure(link, d -> bar.update(d, null));
                FittedTwin f = Twins.fit(Twins.fresh("greybox", c, seed), c, TwinFitter.defaults(seed), err);
                Twins.printReport(out, f.report());
                twin = f.twin();
                twinOrigin = "fitted on " + c.size() + " fresh samples, data " + c.dataHash().substring(0, 16);
            }
            if (twin.kind() != link.info().kind()) {
                throw new CliException("twin models " + twin.kind().id() + " but the device is " + link.info().kind().id());
            }
            Dataset train = ds;
            Dataset val = null;
            if (validation > 0) {
                Dataset.Split sp = ds.stratifiedSplit(validation, seed);
                train = sp.train();
                val = sp.validation();
            }
            Normalization zn = switch (normalization.toLowerCase(Locale.ROOT)) {
                case "zscore", "z-score" -> Normalization.zScore(train);
                case "global" -> Normalization.globalZScore(train);
                default -> throw new CliException("--normalization must be zscore or global, got '" + normalization
                        + "'");
            };
            Dataset tr = zn.apply(train);
            Dataset va = val == null ? null : zn.apply(val);
            PnnArchitecture arch = projection > 0
                    ? PnnArchitecture.hybrid(layers, ds.numFeatures(), link.info().inputs(), link.info().params(),
                            link.info().outputs(), ds.numClasses(), layerOps, projection)
                    : PnnArchitecture.physical(layers, ds.numFeatures(), link.info().inputs(), link.info().params(),
                            link.info().outputs(), ds.numClasses(), layerOps);
            double lr = learningRate != null ? learningRate : PnnTrainer.defaultLearningRate(layers);
            ImageShift shift = augmentShift == null ? null : ImageShift.parse(augmentShift);
            if (shift != null && shift.width() * shift.height() != ds.numFeatures()) {
                throw new CliException("--augment-shift " + augmentShift + " is for " + shift.width() * shift.height()
                        + " features, " + data + " has " + ds.numFeatures());
            }
            PnnTrainer trainer = new PnnTrainer(m, layers, epochs, batch, lr, 1.0, darkReadout, seed, shift);
            TrainSessions across = TrainSessions.open(ctx, link, sessionUris);
            PhysicalLayers.OnDevice device = across.first();
            ProgressBar bar = new ProgressBar(err, "train " + m.name().toLowerCase(Locale.ROOT), epochs);
            PnnTrainer.Result r = trainer.train(arch, ds.labelNames(), zn.offset(), zn.scale(), tr.features(),
                    tr.labels(), va == null ? null : va.features(), va == null ? null : va.labels(), across.trainOn(), twin,
                    e -> bar.update(e.epoch(), "loss %.3f train %.3f%s".formatted(e.trainLoss(), e.trainAccuracy(),
                            Double.isNaN(e.validationAccuracy()) ? "" : " val %.3f".formatted(e.validationAccuracy()))));
            Map<String, Double> metrics = new LinkedHashMap<>();
            // over every session (the mean; per session too when more than one)
            double trainAcc = across.evaluate(r.model(), tr.features(), tr.labels(), 3, "train_accuracy_device",
                    metrics);
            if (va != null) {
                across.evaluate(r.model(), va.features(), va.labels(), 3, "validation_accuracy_device", metrics);
            }
            metrics.put("train_seconds", r.seconds());
            metrics.put("shots_per_inference", (double) arch.shotsPerInference());
            double[] fidelity = layerFidelity(r.model(), tr, twin, err);
            for (int l = 0; l < fidelity.length; l++) {
                metrics.put("gradient_fidelity_layer" + l, fidelity[l]);
            }
            ObjectNode hp = Json.MAPPER.valueToTree(trainer);
            hp.put("twin", twinOrigin);
            hp.put("validation_fraction", validation);
            hp.put("device_serial", link.info().serialHex()); // lets recalibration notice a different unit
            hp.put("device_uri", uri);
            across.record(hp);
            Provenance prov = new Provenance(ds.contentHash(), seed, CodeVersion.get(), "PnnTrainer/" + m, hp,
                    System.getProperty("user.name"), InetAddress.getLocalHost().getHostName());
            BundleManifest manifest = PnnBundles.manifest(modelId, version, r.model(), link.info(), twin,
                    PnnBundles.measureProbes(r.model(), tr.features(), 4, 8, device), prov, metrics, featureLayout);
            Bundles.write(bundleOut, manifest, signing, false);
            Path prefix = curves != null ? curves
                    : bundleOut.resolveSibling(stripExt(bundleOut.getFileName().toString()) + "-curves");
            writeCurves(prefix, r.curve());
            TrainingCurves.writeLayers(prefix, r.curve());
            out.printf("trained %s (%d layer%s%s, %s ops, %s) in %.1f s: device accuracy train %.3f%s; %d shot%s per "
                    + "inference%n", modelId, layers, layers == 1 ? "" : "s", arch.hybrid() ? ", hybrid K="
                    + arch.width() : "", ops, m.name(), r.seconds(), trainAcc, va == null ? ""
                    : ", validation %.3f".formatted(metrics.get("validation_accuracy_device")),
                    arch.shotsPerInference(), arch.shotsPerInference() == 1 ? "" : "s");
            across.print(out, metrics);
            if (fidelity.length > 0) {
                out.print("gradient fidelity along the chained network (cosine PAT vs finite differences), per layer:");
                for (double f : fidelity) {
                    out.printf(" %.3f", f);
                }
                out.println();
            }
            out.printf("wrote %s (signed by %s%s) and %s.csv%s%n", bundleOut, signing.keyId(),
                    signing.development() ? ", DEVELOPMENT key" : "", prefix, Chart.canRender() ? "/.png"
                    : " (no PNG: the chart renderer is an offline tool, not on this class path)");
        }
        return 0;
    }

    /** Per-layer chained gradient fidelity on a noise-free twin of the device, or nothing when none can be had. */
    private double[] layerFidelity(org.pnnedge.models.pnn.PnnModel model, Dataset tr, TrainableTwin twin,
                                   PrintWriter err) {
        String f = fidelityUri;
        if (f == null) {
            if (!uri.startsWith("emulator:")) {
                return new double[0];
            }
            f = uri + (uri.contains("?") ? "&" : "?") + "noise=off&drift=off";
        }
        if ("none".equals(f)) {
            return new double[0];
        }
        int n = Math.min(32, tr.size());
        double[][] z = java.util.Arrays.copyOf(tr.features(), n);
        int[] y = java.util.Arrays.copyOf(tr.labels(), n);
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink quiet = ctx.open(f)) {
            return org.pnnedge.models.pnn.ChainedFidelity.perLayer(model, z, y, new PhysicalLayers.OnDevice(quiet),
                    twin, 32);
        } catch (RuntimeException e) {
            err.println("gradient fidelity not measured: " + e.getMessage());
            return new double[0];
        }
    }

    /** "3" or, when {@code list}, "1,2,3,5": layer counts in 1..8. */
    static int[] parseLayers(String text, boolean list) {
        String[] parts = text.split(",");
        if (!list && parts.length != 1) {
            throw new CliException("--layers takes one number here, got '" + text + "'");
        }
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new CliException("--layers must be a whole number" + (list ? " or a list like 1,2,3,5" : "")
                        + ", got '" + text + "'");
            }
            if (v[i] < 1 || v[i] > MAX_LAYERS) {
                throw new CliException("--layers must be in 1.." + MAX_LAYERS + ", got " + v[i]);
            }
        }
        return v;
    }

    static final int MAX_LAYERS = 8;

    /** deep (skip path, common-mode normalisation, soft range) or legacy (the format-1 operations). */
    static LayerOps parseOps(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "deep" -> LayerOps.DEEP;
            case "legacy" -> LayerOps.LEGACY;
            default -> throw new CliException("--ops must be deep or legacy, got '" + text + "'");
        };
    }

    static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static String stripExt(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static void writeCurves(Path prefix, List<EpochStats> curve) throws java.io.IOException {
        Path csv = prefix.resolveSibling(prefix.getFileName() + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("epoch,train_loss,train_accuracy,validation_accuracy,device_seconds,digital_seconds\n");
            for (EpochStats e : curve) {
                w.write("%d,%.6f,%.4f,%s,%.4f,%.4f%n".formatted(e.epoch(), e.trainLoss(), e.trainAccuracy(),
                        Double.isNaN(e.validationAccuracy()) ? "" : "%.4f".formatted(e.validationAccuracy()),
                        e.deviceSeconds(), e.digitalSeconds()));
            }
        }
        int n = curve.size();
        double[] loss = new double[n];
        double[] tr = new double[n];
        double[] va = new double[n];
        List<Double> vals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            loss[i] = curve.get(i).trainLoss();
            tr[i] = curve.get(i).trainAccuracy();
            va[i] = curve.get(i).validationAccuracy();
            vals.add(va[i]);
        }
        LineChart chart = new LineChart("Training curves", "epoch", "loss / accuracy").series("train loss", loss)
                .series("train accuracy", tr);
        if (vals.stream().anyMatch(v -> !Double.isNaN(v))) {
            chart.series("validation accuracy (device)", va);
        }
        if (Chart.canRender()) {
            chart.write(prefix.resolveSibling(prefix.getFileName() + ".png"));
        }
    }
}
