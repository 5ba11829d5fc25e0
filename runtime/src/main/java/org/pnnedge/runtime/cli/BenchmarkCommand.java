package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bench.DepthBenchmark;
import org.pnnedge.models.bench.HybridBenchmark;
import org.pnnedge.models.bench.VowelBenchmark;
import org.pnnedge.models.pnn.LayerOps;
import org.pnnedge.models.twin.Twin;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.twin.FittedTwin;
import org.pnnedge.models.twin.TwinFitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "benchmark", description = "Benchmarks. 'vowels': PAT vs in-silico vs ablation vs digital, by "
        + "cross-validation. 'depth': accuracy by number of layers, right after training and in a fresh device session. "
        + "'hybrid': a digital projection to --input-projection device inputs, then the physical layers, trained on "
        + "--train three ways (PAT, in silico, physics ablated) and tested on --test in a fresh device session. "
        + "'mnist-digital': digital baselines (logistic regression, MLP 784-16-10 and 784-128-10) on the split of "
        + "`pnn data mnist`. 'energy': energy per inference of a bundle on the device (device, link, host) against "
        + "the digital baselines on one core of --pi-model, with the break-even MACs per shot. 'layouts': the vowel "
        + "feature layouts (talker normalisations) with digital classifiers on --train and every --test-set.")
final class BenchmarkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TASK", description = "vowels, depth, hybrid, mnist-digital, "
            + "energy or layouts")
    String task;

    @Option(names = "--input-projection", defaultValue = "128", paramLabel = "K", description = "hybrid: device "
            + "inputs the digital projection feeds (default ${DEFAULT-VALUE}).")
    int projection;

    @Option(names = "--augment-shift", paramLabel = "WxH:PIXELS", description = "hybrid: random image shifts while "
            + "training, e.g. 28x28:2 (default none).")
    String augmentShift;

    @Option(names = "--data", paramLabel = "CSV", description = "vowels, depth: e.g. ../shared/data/vowels/train.csv")
    Path data;

    @Option(names = "--train", paramLabel = "CSV", description = "mnist-digital: DIR/mnist-train.csv of `pnn data mnist`")
    Path trainCsv;

    @Option(names = "--test", paramLabel = "CSV", description = "mnist-digital: DIR/mnist-test.csv of `pnn data mnist`")
    Path testCsv;

    @Option(names = "--seed", defaultValue = "1", description = "mnist-digital: initialisation and shuffling seed "
            + "(default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "emulator:shg?seed=1&timing=zero",
            description = "Device URI; an emulator URI lets folds run in parallel (default ${DEFAULT-VALUE}).")
    String uri;

    @Option(names = "--folds", defaultValue = "5", description = "Default ${DEFAULT-VALUE}.")
    int folds;

    @Option(names = "--seeds", defaultValue = "3", description = "Default ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--layers", defaultValue = "1", description = "vowels: physical layers; depth: a list such as "
            + "1,2,3,5 (default ${DEFAULT-VALUE}).")
    String layers;

    @Option(names = "--ops", defaultValue = "deep", description = "depth: between-layer operations, deep or legacy "
            + "(default ${DEFAULT-VALUE}).")
    String ops;

    @Option(names = "--fresh-after-hours", defaultValue = "3", description = "depth: the fresh device session "
            + "starts this many hours of device time later (default ${DEFAULT-VALUE}).")
    double freshAfterHours;

    @Option(names = "--twin", paramLabel = "TWIN", description = "Twin file (pnn fit-twin) instead of characterizing "
            + "the device and fitting one.")
    Path twinFile;

    @Option(names = "--epochs", description = "Default 400 (vowels, depth), 20 (mnist-digital).")
    Integer epochs;

    @Option(names = "--batch", description = "Default 8 (vowels, depth), 32 (mnist-digital).")
    Integer batch;

    @Option(names = "--learning-rate", description = "Peak Adam step (default 0.03 / sqrt(layers); mnist-digital: "
            + "0.001).")
    Double learningRate;

    @Option(names = "--samples", defaultValue = "10000", description = "Characterization samples for the twin (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--repeats", defaultValue = "3", description = "Device passes per test fold (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--bundle", paramLabel = "BUNDLE", description = "energy: the signed bundle to price.")
    Path bundleFile;

    @Option(names = "--trust", paramLabel = "PUB_OR_DIR", description = "energy: trusted public key(s); default: as pnn eval "
            + "(your development key and the shipped release keys).")
    java.util.List<Path> trust = new java.util.ArrayList<>();

    @Mixin
    EnergyOptions energyOptions = new EnergyOptions();

    @Option(names = "--test-set", paramLabel = "NAME=CSV", description = "layouts: a named test set of raw "
            + "measurements (pnn data ... --units hz-f0); repeat for more.")
    List<String> testSets;

    @Option(names = "--layouts", paramLabel = "ID,...", split = ",", description = "layouts: the feature layouts to "
            + "compare (default: all of them).")
    List<String> layouts;

    @Option(names = "--talker-layout", description = "layouts: also talker13, from the -talker13 / -talker13-running "
            + "files that `pnn data ... --also-units talker13,talker13-running` wrote beside --train and each test set.")
    boolean talkerLayout;

    @Option(names = "--threads", defaultValue = "2", description = "Parallel folds (emulator only; default ${DEFAULT-VALUE}).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ("layouts".equals(task)) {
            return LayoutBenchmark.run(spec.commandLine().getOut(), trainCsv, testSets, seeds, layouts, talkerLayout);
        }
        if ("mnist-digital".equals(task)) {
            return MnistDigitalBenchmark.run(spec.commandLine().getOut(), trainCsv, testCsv, epochs, batch,
                    learningRate, seed);
        }
        if ("energy".equals(task)) {
            return energy();
        }
        if (!"vowels".equals(task) && !"depth".equals(task) && !"hybrid".equals(task)) {
            throw new CliException("unknown benchmark '" + task + "' (known: vowels, depth, hybrid, mnist-digital, "
                    + "energy, layouts)");
        }
        if ("hybrid".equals(task)) {
            return hybrid();
        }
        if (folds < 2) { // cross-validation's own check says "k must be at least 2", naming no option
            throw new CliException("--folds must be at least 2, got " + folds);
        }
        if (data == null) {
            throw new CliException("benchmark " + task + " needs --data CSV");
        }
        int epochs = this.epochs != null ? this.epochs : 400;
        int batch = this.batch != null ? this.batch : 8;
        int[] layerCounts = TrainCommand.parseLayers(layers, "depth".equals(task));
        boolean emulator = uri.startsWith("emulator:");
        int workers = emulator ? threads : 1;
        Dataset ds = ModelData.load(data);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Twin twin = twin(out, err, false);
        if ("depth".equals(task)) {
            return depth(ds, twin, layerCounts, workers, epochs, batch, out, err);
        }
        VowelBenchmark b = new VowelBenchmark(uri, folds, seeds, layerCounts[0], epochs, batch,
                learningRate != null ? learningRate : 0.03, repeats,
                workers);
        ProgressBar bar = new ProgressBar(err, "cross-validate", (long) folds * seeds);
        int[] done = {0};
        VowelBenchmark.Result r = b.run(ds, twin, line -> {
            bar.update(++done[0], "");
            out.println(line);
        });
        out.printf("%n%d-fold cross-validation on %s (%d samples), mean ± std over %d seeds, %d physical layer%s, "
                + "device %s:%n", folds, data.getFileName(), ds.size(), seeds, layerCounts[0], layerCounts[0] == 1 ? "" : "s",
                uri);
        out.println("| method | accuracy |");
        out.println("|---|---|");
        for (String m : r.accuracy().keySet()) {
            double[] ms = r.meanStd(m);
            out.printf("| %s | %.1f %% ± %.1f %% |%n", m, 100 * ms[0], 100 * ms[1]);
        }
        out.println("| reference: SHG PNN, Wright et al. 2022 | 93 % |");
        out.println("| reference: PAT reference code, coupled pendula | 93 % |");
        out.printf("(%.0f s)%n", r.seconds());
        return 0;
    }

    /** Energy per inference of a bundle: one evaluation pass set on the device, priced (EnergyReport). */
    private int energy() throws Exception {
        if (bundleFile == null || data == null) {
            throw new CliException("benchmark energy needs --bundle BUNDLE and --data CSV");
        }
        EnergyReport.Settings settings = energyOptions.settings();
        org.pnnedge.models.bundle.ModelBundle b = BundleFile.load(bundleFile,
                EvalCommand.trustedKeys(trust));
        org.pnnedge.models.pnn.PnnModel model = org.pnnedge.models.pnn.PnnBundles.model(b.manifest());
        Dataset ds = ModelData.load(data);
        double[][] z = new double[ds.size()][];
        for (int i = 0; i < z.length; i++) {
            z[i] = b.manifest().normalization().apply(ds.features()[i]);
        }
        EnergyReport.Run run;
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uri)) {
            b.requireCompatible(link.info());
            run = EnergyReport.evaluate(link, model, z, ds.labels(), repeats, null, settings, uri);
        }
        java.util.Map<String, Object> e = run.energy();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s@%s, %d layer%s (%d shots per inference), device %s, %d inferences; host and digital priced "
                + "at one %s core (%.3f W), link at %.0f MHz:%n", b.manifest().modelId(), b.manifest().version(),
                model.architecture().layers(), model.architecture().layers() == 1 ? "" : "s",
                model.architecture().shotsPerInference(), uri, (long) z.length * repeats, energyOptions.piModel,
                (double) e.get("host_watts_per_core"), energyOptions.spiClockHz / 1e6);
        out.println("| device figure | device J | link J | host J | total J | digital MLP J | ratio | break-even "
                + "MACs/shot |");
        out.println("|---|---|---|---|---|---|---|---|");
        out.printf("| %s | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g |%n", e.get("device_source"),
                e.get("device"), e.get("link"), e.get("host"), e.get("total"), e.get("digital"), e.get("ratio"),
                e.get("break_even_macs_per_shot"));
        @SuppressWarnings("unchecked")
        java.util.Map<String, java.util.Map<String, Object>> profiles =
                (java.util.Map<String, java.util.Map<String, Object>>) e.get("modelled_profiles");
        profiles.forEach((name, p) -> out.printf("| model: %s | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g |%n",
                name, p.get("device"), e.get("link"), e.get("host"), p.get("total"), e.get("digital"), p.get("ratio"),
                p.get("break_even_macs_per_shot")));
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("model", b.manifest().modelId() + "@" + b.manifest().version());
        json.put("accuracy", TrainCommand.mean(run.accuracy()));
        json.put("energy_per_inference_j", e);
        out.println(Json.write(json));
        return 0;
    }

    /**
     * The twin the benchmark trains with: {@code --twin}, or one fitted to a fresh characterization of the device —
     * grey-box, or (when {@code blackBoxUnlessShg}) a black-box MLP for physics other than SHG.
     */
    private Twin twin(PrintWriter out, PrintWriter err, boolean blackBoxUnlessShg) throws Exception {
        if (twinFile != null) {
            return Twins.read(twinFile);
        }
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uri)) {
            ProgressBar bar = new ProgressBar(err, "characterize", samples);
            Characterization c = Characterizer.of(samples, 5).measure(link, d -> bar.update(d, null));
            String type = blackBoxUnlessShg && c.kind() != org.pnnedge.bridge.PhysicsKind.SHG ? "mlp" : "greybox";
            FittedTwin f = Twins.fit(Twins.fresh(type, c, 1), c, TwinFitter.defaults(1), err);
            Twins.printReport(out, f.report());
            return f.twin();
        }
    }

    /** Hybrid network on a fixed split: PAT, in-silico and ablation, tested in a fresh device session. */
    private int hybrid() throws Exception {
        if (trainCsv == null || testCsv == null) {
            throw new CliException("benchmark hybrid needs --train CSV and --test CSV (e.g. from pnn data mnist)");
        }
        int layerCount = TrainCommand.parseLayers(layers, false)[0];
        Dataset train = ModelData.load(trainCsv);
        Dataset test = ModelData.load(testCsv);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Twin twin = twin(out, err, true);
        int ep = epochs != null ? epochs : 60;
        int bs = batch != null ? batch : 32;
        double lr = learningRate != null ? learningRate : 0.002;
        org.pnnedge.models.pnn.ImageShift shift = augmentShift == null ? null
                : org.pnnedge.models.pnn.ImageShift.parse(augmentShift);
        HybridBenchmark b = new HybridBenchmark(uri, projection, layerCount, ep, bs, lr, shift, freshAfterHours, seed);
        HybridBenchmark.Result r = b.run(train, test, twin, err::println);
        out.printf("%nhybrid network on %s → %s (%d train, %d test), projection %d, %d layer%s, %d epochs, batch %d, "
                + "lr %s, device %s, tested in a fresh session %.1f h later:%n", trainCsv.getFileName(),
                testCsv.getFileName(), train.size(), test.size(), projection, layerCount, layerCount == 1 ? "" : "s",
                ep, bs, lr, uri, freshAfterHours);
        out.println("| method | test accuracy | train s |");
        out.println("|---|---|---|");
        for (int m = 0; m < HybridBenchmark.METHODS.size(); m++) {
            out.printf("| %s | %.1f %% | %.0f |%n", HybridBenchmark.METHODS.get(m), 100 * r.accuracy()[m],
                    r.trainSeconds()[m]);
        }
        return 0;
    }

    private int depth(Dataset ds, Twin twin, int[] layerCounts, int workers, int epochs, int batch, PrintWriter out,
                      PrintWriter err) throws Exception {
        LayerOps lo = TrainCommand.parseOps(ops);
        DepthBenchmark b = new DepthBenchmark(uri, folds, layerCounts, lo, epochs, batch,
                learningRate != null ? learningRate : Double.NaN, repeats,
                freshAfterHours, workers, 1000);
        ProgressBar bar = new ProgressBar(err, "depth", (long) folds * layerCounts.length);
        int[] done = {0};
        DepthBenchmark.Result r = b.run(ds, twin, line -> {
            bar.update(++done[0], "");
            out.println(line);
        });
        out.printf("%n%d-fold cross-validation on %s (%d samples), %s operations, device %s; 'fresh' = a new device "
                + "session %.1f h of device time later:%n", folds, data.getFileName(), ds.size(), ops, uri,
                freshAfterHours);
        out.println("| layers | PAT | PAT, fresh session | in-silico | in-silico, fresh | ablation | PAT s/epoch device "
                + "| PAT s/epoch digital |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (int li = 0; li < layerCounts.length; li++) {
            out.printf("| %d | %.1f ± %.1f %% | %.1f ± %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.3f | %.3f |%n",
                    layerCounts[li], 100 * r.mean(li, 0, 0), 100 * r.std(li, 0, 0), 100 * r.mean(li, 0, 1),
                    100 * r.std(li, 0, 1), 100 * r.mean(li, 1, 0), 100 * r.mean(li, 1, 1), 100 * r.mean(li, 2, 0),
                    r.epochSeconds()[li][0], r.epochSeconds()[li][1]);
        }
        out.printf("(%.0f s)%n", r.seconds());
        return 0;
    }
}
