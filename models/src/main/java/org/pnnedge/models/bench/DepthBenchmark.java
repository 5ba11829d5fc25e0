package org.pnnedge.models.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.pnn.EpochStats;
import org.pnnedge.models.pnn.LayerOps;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;
import org.pnnedge.models.twin.Twin;

/**
 * Depth as users meet it: for each number of layers, stratified k-fold cross-validation of PAT, in-silico training
 * and the physics-ablated network (identity in place of the device), each test fold measured twice — on the
 * training session right after training, and in a <b>fresh device session</b> (a new link to the same emulated unit,
 * its clock advanced by {@code freshAfterHours}: the laser's drift state of another time, as a deployed unit meets
 * it). Folds run in parallel, each on its own link.
 *
 * @param learningRate the peak learning rate, or NaN for {@link PnnTrainer#defaultLearningRate} per layer count
 */
public record DepthBenchmark(String deviceUri, int folds, int[] layerCounts, LayerOps ops, int epochs, int batch,
                             double learningRate, int repeats, double freshAfterHours, int threads, long seed) {
    public static final List<String> METHODS = List.of("PAT", "in-silico", "ablation");

    /**
     * Accuracy [layerIndex][method][0 = after training, 1 = fresh session][fold], and the mean wall time per epoch
     * [layerIndex][0 = device, 1 = digital] of PAT (seconds).
     */
    public record Result(double[][][][] accuracy, double[][] epochSeconds, double seconds) {
        public double mean(int layerIndex, int method, int when) {
            return java.util.Arrays.stream(accuracy[layerIndex][method][when]).average().orElse(Double.NaN);
        }

        public double std(int layerIndex, int method, int when) {
            double[] a = accuracy[layerIndex][method][when];
            double m = mean(layerIndex, method, when);
            double v = 0;
            for (double x : a) {
                v += (x - m) * (x - m);
            }
            return a.length > 1 ? Math.sqrt(v / (a.length - 1)) : 0;
        }
    }

    public Result run(Dataset data, Twin twin, Consumer<String> log) throws Exception {
        long t0 = System.nanoTime();
        int nl = layerCounts.length;
        double[][][][] acc = new double[nl][METHODS.size()][2][folds];
        double[][] epochSeconds = new double[nl][2];
        List<Dataset.Fold> fs = data.stratifiedKFold(folds, seed);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int li = 0; li < nl; li++) {
                for (Dataset.Fold f : fs) {
                    int layers = layerCounts[li];
                    futures.add(pool.submit(() -> runFold(layers, f, data, twin)));
                }
            }
            int i = 0;
            for (int li = 0; li < nl; li++) {
                for (Dataset.Fold f : fs) {
                    double[] r = futures.get(i++).get();
                    for (int m = 0; m < METHODS.size(); m++) {
                        acc[li][m][0][f.index()] = r[2 * m];
                        acc[li][m][1][f.index()] = r[2 * m + 1];
                    }
                    epochSeconds[li][0] += r[6] / folds;
                    epochSeconds[li][1] += r[7] / folds;
                    log.accept(("%d layer%s fold %d: PAT %.3f / fresh %.3f  in-silico %.3f / %.3f  ablation %.3f / %.3f")
                            .formatted(layerCounts[li], layerCounts[li] == 1 ? "" : "s", f.index() + 1, r[0], r[1], r[2],
                                    r[3], r[4], r[5]));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(acc, epochSeconds, (System.nanoTime() - t0) / 1e9);
    }

    private double[] runFold(int layers, Dataset.Fold fold, Dataset data, Twin twin) {
        Normalization zn = Normalization.zScore(fold.train());
        Dataset tr = zn.apply(fold.train());
        Dataset te = zn.apply(fold.test());
        PnnArchitecture arch = PnnArchitecture.physical(layers, data.numFeatures(), twin.inputs(), twin.params(),
                twin.outputs(), data.numClasses(), ops);
        long trainSeed = seed * 131 + 17L * layers + fold.index();
        double lr = Double.isNaN(learningRate) ? PnnTrainer.defaultLearningRate(layers) : learningRate;
        double[] out = new double[8];
        PnnModel[] models = new PnnModel[2];
        PnnTrainer[] trainers = new PnnTrainer[2];
        DeviceInfo info;
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(deviceUri)) {
            info = link.info();
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            TrainingMode[] modes = {TrainingMode.PAT, TrainingMode.INSILICO};
            for (int v = 0; v < modes.length; v++) {
                trainers[v] = new PnnTrainer(modes[v], layers, epochs, batch, lr, 1.0, false, trainSeed);
                PnnTrainer.Result r = trainers[v].train(arch, data.labelNames(), zn.offset(), zn.scale(),
                        tr.features(), tr.labels(), null, null, device, twin, e -> { });
                models[v] = r.model();
                out[2 * v] = Comparisons.mean(PnnTrainer.evaluate(r.model(), te.features(), te.labels(), device,
                        repeats, null));
                if (v == 0) {
                    for (EpochStats e : r.curve()) {
                        out[6] += e.deviceSeconds() / epochs;
                        out[7] += e.digitalSeconds() / epochs;
                    }
                }
            }
        }
        double[] fresh = Comparisons.freshSession(deviceUri, freshAfterHours, List.of(models), te, repeats);
        out[1] = fresh[0];
        out[3] = fresh[1];
        out[4] = Comparisons.ablation(trainers[1], arch, info, zn, tr, te, data.labelNames(), e -> { }).accuracy();
        out[5] = out[4]; // no device: nothing drifts
        return out;
    }
}
