package org.pnnedge.models.bench;

import java.util.List;
import java.util.function.Consumer;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.pnn.ImageShift;
import org.pnnedge.models.pnn.LayerOps;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;
import org.pnnedge.models.pnn.EpochStats;
import org.pnnedge.models.twin.Twin;

/**
 * A hybrid physical-digital network on a fixed train/test split (MNIST): PAT on the device, the same trained in
 * silico and run on the device, and the physics-ablated network (identity in place of the device), each test
 * measured in a fresh device session (a new link to the same unit, {@code freshAfterHours} of device time later).
 * The features are globally normalised (one mean and deviation) so that image shifts stay images.
 */
public record HybridBenchmark(String deviceUri, int projection, int layers, int epochs, int batch,
                              double learningRate, ImageShift augmentation, double freshAfterHours, long seed) {
    public static final List<String> METHODS = List.of("PAT on device", "in-silico, run on device",
            "ablation: physics replaced by identity");

    /** Test accuracy per method (fresh session) and the seconds each training took. */
    public record Result(double[] accuracy, double[] trainSeconds) {
    }

    public Result run(Dataset train, Dataset test, Twin twin, Consumer<String> log) {
        Normalization zn = Normalization.globalZScore(train);
        Dataset tr = zn.apply(train);
        Dataset te = zn.apply(test);
        PnnArchitecture arch = PnnArchitecture.hybrid(layers, train.numFeatures(), twin.inputs(), twin.params(),
                twin.outputs(), train.numClasses(), LayerOps.DEEP, projection);
        double[] acc = new double[3];
        double[] secs = new double[3];
        PnnModel[] models = new PnnModel[2];
        PnnTrainer[] trainers = new PnnTrainer[2];
        DeviceInfo info;
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(deviceUri)) {
            info = link.info();
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            TrainingMode[] modes = {TrainingMode.PAT, TrainingMode.INSILICO};
            for (int v = 0; v < 2; v++) {
                trainers[v] = new PnnTrainer(modes[v], layers, epochs, batch, learningRate, 1.0, false, seed,
                        augmentation);
                PnnTrainer.Result r = trainers[v].train(arch, train.labelNames(), zn.offset(), zn.scale(),
                        tr.features(), tr.labels(), null, null, device, twin, progress(log, v));
                models[v] = r.model();
                secs[v] = r.seconds();
            }
        }
        double[] fresh = Comparisons.freshSession(deviceUri, freshAfterHours, List.of(models), te, 1);
        for (int v = 0; v < 2; v++) {
            acc[v] = fresh[v];
            log.accept("%s: test accuracy %.4f (fresh session)".formatted(METHODS.get(v), acc[v]));
        }
        Comparisons.Ablation ab = Comparisons.ablation(trainers[1], arch, info, zn, tr, te, train.labelNames(),
                progress(log, 2));
        acc[2] = ab.accuracy();
        secs[2] = ab.seconds();
        log.accept("%s: test accuracy %.4f".formatted(METHODS.get(2), acc[2]));
        return new Result(acc, secs);
    }

    private static Consumer<EpochStats> progress(Consumer<String> log, int method) {
        return e -> log.accept("%s epoch %d: loss %.3f train %.3f".formatted(METHODS.get(method), e.epoch(),
                e.trainLoss(), e.trainAccuracy()));
    }
}
