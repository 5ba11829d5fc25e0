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
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.Provenance;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.plot.LineChart;
import org.pnnedge.models.pnn.EpochStats;
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

    @Option(names = "--layers", defaultValue = "1", description = "Physical layers (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--epochs", defaultValue = "400", description = "Default ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", defaultValue = "8", description = "Default ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--learning-rate", defaultValue = "0.03", description = "Default ${DEFAULT-VALUE}.")
    double learningRate;

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

    @Option(names = "--key", paramLabel = "KEY", description = "Signing key (pnn keygen); default: the development key of this checkout.")
    Path key;

    @Option(names = "--model-id", defaultValue = "vowels7", description = "Default ${DEFAULT-VALUE}.")
    String modelId;

    @Option(names = "--version", defaultValue = "1.0.0", description = "Semantic version of the model (default ${DEFAULT-VALUE}).")
    String version;

    @Option(names = "--curves", paramLabel = "PREFIX", description = "Write PREFIX.csv and PREFIX.png training curves "
            + "(default: next to the bundle).")
    Path curves;

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
        Path keyFile = key != null ? key : ModelData.developmentKey();
        if (keyFile == null) {
            throw new CliException("no --key given and no development key found (src/dist/dev-keys); create one "
                    + "with pnn keygen");
        }
        SigningKey signing = KeyFiles.readPrivate(keyFile);
        Dataset ds = ModelData.load(data);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uri)) {
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
            Normalization zn = Normalization.zScore(train);
            Dataset tr = zn.apply(train);
            Dataset va = val == null ? null : zn.apply(val);
            PnnArchitecture arch = new PnnArchitecture(layers, ds.numFeatures(), link.info().inputs(),
                    link.info().params(), link.info().outputs(),
                    PnnArchitecture.spreadChannels(ds.numClasses(), link.info().outputs()));
            boolean darkReadout = switch (readout.toLowerCase(Locale.ROOT)) {
                case "affine" -> false;
                case "dark-referenced", "dark" -> true;
                default -> throw new CliException("--readout must be affine or dark-referenced, got '" + readout + "'");
            };
            PnnTrainer trainer = new PnnTrainer(m, layers, epochs, batch, learningRate, 1.0, darkReadout, seed);
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            ProgressBar bar = new ProgressBar(err, "train " + m.name().toLowerCase(Locale.ROOT), epochs);
            PnnTrainer.Result r = trainer.train(arch, ds.labelNames(), zn.offset(), zn.scale(), tr.features(),
                    tr.labels(), va == null ? null : va.features(), va == null ? null : va.labels(), device, twin,
                    e -> bar.update(e.epoch(), "loss %.3f train %.3f%s".formatted(e.trainLoss(), e.trainAccuracy(),
                            Double.isNaN(e.validationAccuracy()) ? "" : " val %.3f".formatted(e.validationAccuracy()))));
            Map<String, Double> metrics = new LinkedHashMap<>();
            double trainAcc = mean(PnnTrainer.evaluate(r.model(), tr.features(), tr.labels(), device, 3, null));
            metrics.put("train_accuracy_device", trainAcc);
            if (va != null) {
                metrics.put("validation_accuracy_device",
                        mean(PnnTrainer.evaluate(r.model(), va.features(), va.labels(), device, 3, null)));
            }
            metrics.put("train_seconds", r.seconds());
            ObjectNode hp = Json.MAPPER.valueToTree(trainer);
            hp.put("twin", twinOrigin);
            hp.put("validation_fraction", validation);
            hp.put("device_serial", link.info().serialHex()); // lets recalibration notice a different unit
            hp.put("device_uri", uri);
            Provenance prov = new Provenance(ds.contentHash(), seed, CodeVersion.get(), "PnnTrainer/" + m, hp,
                    System.getProperty("user.name"), InetAddress.getLocalHost().getHostName());
            BundleManifest manifest = PnnBundles.manifest(modelId, version, r.model(), link.info(), twin,
                    PnnBundles.measureProbes(r.model(), tr.features(), 4, 8, device), prov, metrics);
            Bundles.write(bundleOut, manifest, signing, false);
            Path prefix = curves != null ? curves
                    : bundleOut.resolveSibling(stripExt(bundleOut.getFileName().toString()) + "-curves");
            writeCurves(prefix, r.curve());
            out.printf("trained %s (%d layer%s, %s) in %.1f s: device accuracy train %.3f%s%n", modelId, layers,
                    layers == 1 ? "" : "s", m.name(), r.seconds(), trainAcc, va == null ? ""
                            : ", validation %.3f".formatted(metrics.get("validation_accuracy_device")));
            out.printf("wrote %s (signed by %s%s) and %s.csv/.png%n", bundleOut, signing.keyId(),
                    signing.development() ? ", DEVELOPMENT key" : "", prefix);
        }
        return 0;
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
        chart.write(prefix.resolveSibling(prefix.getFileName() + ".png"));
    }
}
