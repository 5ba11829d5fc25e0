package org.pnnedge.runtime.recal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.pnnedge.models.data.Checkout;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.runtime.service.InferenceEngine;
import org.pnnedge.runtime.service.Prediction;

/** Shared test material: the shipped default bundle, held-out synthetic vowels, accuracy through the engine. */
final class RecalFixtures {
    static final String DEVICE = "emulator:shg?seed=1&timing=zero";

    private RecalFixtures() {
    }

    static Path root() {
        return Checkout.requireRoot();
    }

    /** src/dist/models/vowels7.pnnb, verified against the development key. */
    static ModelBundle defaultBundle() throws IOException, BundleException {
        Path root = root();
        return Bundles.load(root.resolve("src/dist/models/vowels7.pnnb"),
                TrustedKeys.load(root.resolve("src/dist/keys/pnn-release.pub")));
    }

    /** Synthetic women's 7-vowel tokens in PAT feature units (what the default bundle was trained on). */
    static Dataset vowels(int talkers, long seed) {
        return Normalization.patVowel7().apply(SyntheticVowels.builder().groups(TalkerGroup.WOMEN)
                .vowels(Vowel.PAT_7).talkers(talkers).seed(seed).build());
    }

    /** Held out: the default bundle was trained on seed 1. */
    static Dataset heldOut() {
        return vowels(100, 77);
    }

    static double accuracy(InferenceEngine e, Dataset d) {
        Prediction p = e.newPrediction();
        int ok = 0;
        for (int i = 0; i < d.size(); i++) {
            e.classify(d.features()[i], p);
            if (p.label() == d.labels()[i]) {
                ok++;
            }
        }
        return ok / (double) d.size();
    }

    /**
     * Trains a one-layer PNN with the affine readout (g·y + h: the most accurate, and sensitive to drift) by PAT
     * on {@code link}, with the default bundle's twin for the backward pass, and packs it into an (unsigned,
     * in-memory) bundle with reference probes measured at the end of training.
     */
    static ModelBundle trainAffineBundle(DeviceLink link, TrainableTwin twin, int epochs) {
        Dataset train = vowels(60, 1);
        Normalization zn = Normalization.zScore(train);
        Dataset tr = zn.apply(train);
        PnnArchitecture arch = new PnnArchitecture(1, 12, 16, 32, 16, PnnArchitecture.spreadChannels(7, 16));
        PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
        PnnTrainer.Result r = new PnnTrainer(TrainingMode.PAT, 1, epochs, 8, 0.03, 1.0, 1).train(arch,
                train.labelNames(), zn.offset(), zn.scale(), tr.features(), tr.labels(), null, null, device, twin,
                e -> { });
        PnnModel m = r.model();
        List<Probe> probes = PnnBundles.measureProbes(m, tr.features(), 4, 8, device);
        BundleManifest manifest = PnnBundles.manifest("vowels7-affine", "0.1.0", m, link.info(), twin, probes, null,
                Map.of());
        return new ModelBundle(manifest, "0000000000000000", "0".repeat(64), false);
    }
}
