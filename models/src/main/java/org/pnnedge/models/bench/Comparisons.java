package org.pnnedge.models.bench;

import java.util.List;
import java.util.function.Consumer;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.pnn.EpochStats;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;
import org.pnnedge.models.twin.IdentityTwin;

/** What the method comparisons (depth, hybrid) share: a fresh device session, and the physics-ablated network. */
final class Comparisons {
    private Comparisons() {
    }

    /**
     * Each model's accuracy (mean over {@code repeats} passes) in a fresh device session: a new link to the same
     * unit, its clock advanced by {@code afterHours} — the laser's drift state of another time.
     */
    static double[] freshSession(String uri, double afterHours, List<PnnModel> models, Dataset test, int repeats) {
        double[] acc = new double[models.size()];
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uri)) {
            if (afterHours > 0) {
                link.lab().ifPresent(lab -> lab.advanceClock(afterHours * 3600));
            }
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            for (int v = 0; v < acc.length; v++) {
                acc[v] = mean(PnnTrainer.evaluate(models.get(v), test.features(), test.labels(), device, repeats,
                        null));
            }
        }
        return acc;
    }

    /** The ablated network's held-out accuracy and its training time. */
    record Ablation(double accuracy, double seconds) {
    }

    /**
     * The same architecture and trainer settings with an identity "device" (a wire from inputs to outputs, codes of
     * the real device's widths) in place of the physics, trained and tested on that wire: what the digital
     * operations achieve alone.
     */
    static Ablation ablation(PnnTrainer settings, PnnArchitecture arch, DeviceInfo device, Normalization zn,
                             Dataset train, Dataset test, List<String> labels, Consumer<EpochStats> progress) {
        IdentityTwin id = new IdentityTwin(device.inputs(), device.params());
        PhysicalLayers wire = new PhysicalLayers.OnTwin(id, device.maxDacCode(), device.maxAdcCode());
        PnnTrainer t = new PnnTrainer(TrainingMode.INSILICO, settings.layers(), settings.epochs(), settings.batch(),
                settings.learningRate(), settings.rangePenalty(), settings.darkReferencedReadout(), settings.seed(),
                settings.augmentation());
        PnnTrainer.Result r = t.train(arch, labels, zn.offset(), zn.scale(), train.features(), train.labels(), null,
                null, wire, id, progress);
        return new Ablation(mean(PnnTrainer.evaluate(r.model(), test.features(), test.labels(), wire, 1, null)),
                r.seconds());
    }

    static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }
}
