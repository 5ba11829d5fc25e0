package org.pnnedge.models.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;
import org.pnnedge.models.twin.Twin;

/**
 * The vowel task side by side: physics-aware training on the device, in-silico training run on the same
 * device, the ablation with the physical layer replaced by identity, and digital classifiers, by stratified
 * k-fold cross-validation repeated over several seeds. Folds run in parallel, each on its own link to an
 * identical device (same URI, same seed), all using one twin.
 *
 * @param deviceUri  the device (an emulator URI gives each worker its own identical emulated device)
 * @param repeats    device evaluations of each test fold (the device is noisy); their mean is the fold's accuracy
 */
public record VowelBenchmark(String deviceUri, int folds, int seeds, int layers, int epochs, int batch,
                             double learningRate, int repeats, int threads) {

    /** Accuracies per method: one value per (seed, fold). */
    public record Result(Map<String, double[][]> accuracy, double seconds) {
        /** Mean over folds for each seed, then mean and standard deviation over seeds. */
        public double[] meanStd(String method) {
            double[][] a = accuracy.get(method);
            double[] perSeed = new double[a.length];
            for (int s = 0; s < a.length; s++) {
                perSeed[s] = java.util.Arrays.stream(a[s]).average().orElse(Double.NaN);
            }
            double mean = java.util.Arrays.stream(perSeed).average().orElse(Double.NaN);
            double var = 0;
            for (double v : perSeed) {
                var += (v - mean) * (v - mean);
            }
            return new double[] {mean, perSeed.length > 1 ? Math.sqrt(var / (perSeed.length - 1)) : 0};
        }
    }

    public static final String PAT = "PAT on device";
    public static final String PAT_DARK = "PAT on device, dark-referenced readout";
    public static final String INSILICO = "in-silico, run on device";
    public static final String ABLATION = "ablation: physics replaced by identity";
    public static final String LOGREG = "digital logistic regression";
    public static final String MLP = "digital MLP";

    public Result run(Dataset data, Twin twin, Consumer<String> log) throws Exception {
        long t0 = System.nanoTime();
        List<String> methods = List.of(PAT, PAT_DARK, INSILICO, ABLATION, LOGREG, MLP);
        Map<String, double[][]> acc = new LinkedHashMap<>();
        for (String m : methods) {
            acc.put(m, new double[seeds][folds]);
        }
        List<Callable> jobs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            List<Dataset.Fold> fs = data.stratifiedKFold(folds, 1000 + s);
            for (Dataset.Fold f : fs) {
                jobs.add(new Callable(s, f));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (Callable j : jobs) {
                futures.add(pool.submit(() -> runFold(j.seed, j.fold, data, twin)));
            }
            for (int i = 0; i < jobs.size(); i++) {
                double[] r = futures.get(i).get();
                Callable j = jobs.get(i);
                for (int m = 0; m < methods.size(); m++) {
                    acc.get(methods.get(m))[j.seed][j.fold.index()] = r[m];
                }
                log.accept("seed %d fold %d: PAT %.3f  PAT dark-ref %.3f  in-silico %.3f  ablation %.3f  logreg %.3f  MLP %.3f"
                        .formatted(j.seed + 1, j.fold.index() + 1, r[0], r[1], r[2], r[3], r[4], r[5]));
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(acc, (System.nanoTime() - t0) / 1e9);
    }

    private record Callable(int seed, Dataset.Fold fold) {
    }

    private double[] runFold(int seed, Dataset.Fold fold, Dataset data, Twin twin) {
        Normalization zn = Normalization.zScore(fold.train());
        Dataset tr = zn.apply(fold.train());
        Dataset te = zn.apply(fold.test());
        int classes = data.numClasses();
        PnnArchitecture arch = new PnnArchitecture(layers, data.numFeatures(), twin.inputs(), twin.params(),
                twin.outputs(), PnnArchitecture.spreadChannels(classes, twin.outputs()));
        long trainSeed = 17L * seed + fold.index();
        double[] out = new double[6];
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(deviceUri)) {
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            int m = 0;
            TrainingMode[] modes = {TrainingMode.PAT, TrainingMode.PAT, TrainingMode.INSILICO};
            boolean[] dark = {false, true, false};
            for (int v = 0; v < modes.length; v++) {
                PnnTrainer t = new PnnTrainer(modes[v], layers, epochs, batch, learningRate, 1.0, dark[v], trainSeed);
                PnnTrainer.Result r = t.train(arch, data.labelNames(), zn.offset(), zn.scale(), tr.features(),
                        tr.labels(), null, null, device, twin, e -> { });
                out[m++] = Comparisons.mean(PnnTrainer.evaluate(r.model(), te.features(), te.labels(), device, repeats, null));
            }
            PnnTrainer t = new PnnTrainer(TrainingMode.INSILICO, layers, epochs, batch, learningRate, 1.0, trainSeed);
            out[m++] = Comparisons.ablation(t, arch, link.info(), zn, tr, te, data.labelNames(), e -> { }).accuracy();
            out[m++] = DigitalBaseline.logisticRegression(trainSeed).trainAndTest(tr.features(), tr.labels(),
                    te.features(), te.labels(), classes);
            out[m] = DigitalBaseline.mlp(trainSeed).trainAndTest(tr.features(), tr.labels(), te.features(),
                    te.labels(), classes);
        }
        return out;
    }
}
