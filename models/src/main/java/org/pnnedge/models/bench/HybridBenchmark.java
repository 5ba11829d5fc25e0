package org.pnnedge.models.bench;

import java.util.List;
import java.util.function.Consumer;

import org.pnnedge.bridge.DeviceContext;
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
import org.pnnedge.models.twin.IdentityTwin;
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
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(deviceUri)) {
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            TrainingMode[] modes = {TrainingMode.PAT, TrainingMode.INSILICO};
            for (int v = 0; v < 2; v++) {
                int m = v;
                PnnTrainer t = new PnnTrainer(modes[v], layers, epochs, batch, learningRate, 1.0, false, seed,
                        augmentation);
                PnnTrainer.Result r = t.train(arch, train.labelNames(), zn.offset(), zn.scale(), tr.features(),
                        tr.labels(), null, null, device, twin, e -> log.accept("%s epoch %d: loss %.3f train %.3f"
                                .formatted(METHODS.get(m), e.epoch(), e.trainLoss(), e.trainAccuracy())));
                models[v] = r.model();
                secs[v] = r.seconds();
            }
        }
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(deviceUri)) {
            if (freshAfterHours > 0) {
                link.lab().ifPresent(lab -> lab.advanceClock(freshAfterHours * 3600));
            }
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            for (int v = 0; v < 2; v++) {
                acc[v] = PnnTrainer.evaluate(models[v], te.features(), te.labels(), device, 1, null)[0];
                log.accept("%s: test accuracy %.4f (fresh session)".formatted(METHODS.get(v), acc[v]));
            }
        }
        IdentityTwin id = new IdentityTwin(twin.inputs(), twin.params());
        PhysicalLayers wire = new PhysicalLayers.OnTwin(id, 4095, 65535);
        PnnTrainer t = new PnnTrainer(TrainingMode.INSILICO, layers, epochs, batch, learningRate, 1.0, false, seed,
                augmentation);
        PnnTrainer.Result r = t.train(arch, train.labelNames(), zn.offset(), zn.scale(), tr.features(), tr.labels(),
                null, null, wire, id, e -> log.accept("%s epoch %d: loss %.3f train %.3f".formatted(METHODS.get(2),
                        e.epoch(), e.trainLoss(), e.trainAccuracy())));
        secs[2] = r.seconds();
        acc[2] = PnnTrainer.evaluate(r.model(), te.features(), te.labels(), wire, 1, null)[0];
        log.accept("%s: test accuracy %.4f".formatted(METHODS.get(2), acc[2]));
        return new Result(acc, secs);
    }
}
