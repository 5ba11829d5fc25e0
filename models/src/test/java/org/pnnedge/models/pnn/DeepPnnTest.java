package org.pnnedge.models.pnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.TwinFitter;

/**
 * Deep and hybrid networks end to end on the emulated SHG device: a short 3-layer PAT run with the deep operations
 * learns, holds its accuracy in a fresh device session hours later, survives a bundle round trip (format 2) and
 * answers the same through {@link PnnInference}; a hybrid network runs time-multiplexed.
 */
class DeepPnnTest {
    static final String DEVICE = "emulator:shg?seed=4&timing=zero";
    static DeviceContext ctx;
    static DeviceLink link;
    static TrainableTwin twin;
    static Dataset train;
    static Dataset test;
    static Normalization zn;

    @BeforeAll
    static void setUp() {
        ctx = DeviceContext.create();
        link = ctx.open(DEVICE);
        Characterization c = Characterizer.of(3000, 4).measure(link, d -> { });
        twin = new TwinFitter(20, 64, 1e-2, 0.1, 4, null).fit(ShgTwin.initial(), c, false, p -> { }).twin();
        train = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(30).seed(11).build();
        test = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(20).seed(12).build();
        zn = Normalization.zScore(train);
    }

    @AfterAll
    static void tearDown() {
        ctx.close();
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    @Test
    void threeDeepLayersLearnAndHoldInAFreshSession() throws Exception {
        PnnArchitecture arch = PnnArchitecture.physical(3, 12, 16, 32, 16, 7, LayerOps.DEEP);
        PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
        Dataset tr = zn.apply(train);
        Dataset te = zn.apply(test);
        List<EpochStats> curve = new ArrayList<>();
        PnnTrainer.Result r = new PnnTrainer(TrainingMode.PAT, 3, 60, 8, 0.03, 1.0, 3).train(arch, train.labelNames(),
                zn.offset(), zn.scale(), tr.features(), tr.labels(), null, null, device, twin, curve::add);
        double after = mean(PnnTrainer.evaluate(r.model(), te.features(), te.labels(), device, 2, null));
        double fresh;
        try (DeviceContext c2 = DeviceContext.create(); DeviceLink later = c2.open(DEVICE)) {
            later.lab().orElseThrow().advanceClock(3 * 3600); // the same unit, hours later: another drift state
            fresh = mean(PnnTrainer.evaluate(r.model(), te.features(), te.labels(), new PhysicalLayers.OnDevice(later),
                    2, null));
        }
        EpochStats last = curve.get(curve.size() - 1);
        System.out.printf("3 deep layers: held-out %.3f after training, %.3f in a fresh session; |dL/dθ| per layer %s, "
                + "out of range %s%n", after, fresh, Arrays.toString(last.thetaGradient()),
                Arrays.toString(last.saturation()));
        assertTrue(after > 0.8, "held-out accuracy after training " + after); // chance 1/7
        assertTrue(fresh > after - 0.05, "a fresh session " + fresh + " vs " + after);
        assertEquals(3, last.thetaGradient().length);
        for (double g : last.thetaGradient()) {
            assertTrue(g > 0 && Double.isFinite(g), "every layer gets a gradient: " + g);
        }

        // format 2 bundle: the same network back, answering the same
        SigningKey key = KeyFiles.generate(false);
        BundleManifest m = PnnBundles.manifest("deep", "1.0.0", r.model(), link.info(), twin,
                PnnBundles.measureProbes(r.model(), tr.features(), 2, 4, device), null, Map.of());
        assertEquals(2, m.formatVersion());
        ModelBundle back = Bundles.load(Bundles.sign(m, key), TrustedKeys.of(key.trusted()));
        PnnModel model = PnnBundles.model(back.manifest());
        assertEquals(r.model().architecture(), model.architecture());
        assertTrue(Arrays.deepEquals(r.model().skip(), model.skip()));
        assertArrayEquals(r.model().dark(), model.dark(), 0.0);

        // inference one sample at a time on a noise-free unit gives the batch pass's logits
        try (DeviceContext c3 = DeviceContext.create();
             DeviceLink clean = c3.open("emulator:shg?seed=4&timing=zero&noise=off&drift=off")) {
            PhysicalLayers.OnDevice quiet = new PhysicalLayers.OnDevice(clean);
            PnnPass pass = new PnnPass(model.architecture(), 5);
            double[][] z5 = Arrays.copyOf(te.features(), 5);
            pass.forward(model.toParameters(quiet.maxDac()), z5, 5, quiet);
            PnnInference inf = new PnnInference(model, quiet);
            for (int b = 0; b < 5; b++) {
                assertArrayEquals(pass.logits[b], inf.logits(test.features()[b]), 1e-9, "sample " + b);
            }
        }
    }

    @Test
    void hybridNetworkTimeMultiplexesItsProjection() {
        // 40 channels: three shots of 16 per layer, the last one partly constant
        PnnArchitecture arch = PnnArchitecture.hybrid(2, 12, 16, 32, 16, 7, LayerOps.DEEP, 40);
        assertEquals(3, arch.groups());
        assertEquals(48, arch.width());
        assertEquals(6, arch.shotsPerInference());
        PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
        long before = device.shots();
        Dataset tr = zn.apply(train);
        Dataset te = zn.apply(test);
        PnnTrainer.Result r = new PnnTrainer(TrainingMode.PAT, 2, 30, 16, 0.01, 1.0, 5).train(arch, train.labelNames(),
                zn.offset(), zn.scale(), tr.features(), tr.labels(), null, null, device, twin, e -> { });
        double acc = mean(PnnTrainer.evaluate(r.model(), te.features(), te.labels(), device, 1, null));
        System.out.printf("hybrid 12 -> 48 channels, 2 layers: held-out %.3f, %d shots%n", acc,
                device.shots() - before);
        assertTrue(acc > 0.8, "hybrid held-out accuracy " + acc);
        assertEquals(7 * 48, r.model().readGain().length, "a digital readout from every output channel");
        assertEquals(48 * 12, r.model().gain()[0].length, "a digital projection from every feature");
    }

    @Test
    void badArchitecturesAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> PnnArchitecture.physical(0, 12, 16, 32, 16, 7,
                LayerOps.DEEP));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PnnArchitecture.physical(1, 784, 16, 32, 16, 10, LayerOps.DEEP));
        assertTrue(e.getMessage().contains("784 features do not fit 16 device inputs"), e.getMessage());
        assertTrue(e.getMessage().contains("input projection"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PnnArchitecture.hybrid(1, 784, 16, 32, 16, 10,
                LayerOps.DEEP, 0));
        assertThrows(IllegalArgumentException.class, () -> PnnArchitecture.physical(2, 12, 16, 32, 8, 7,
                LayerOps.DEEP));
    }

    @Test
    void softRangeKeepingStaysInsideAndIsSmooth() {
        LayerOps.RangeKeeping soft = LayerOps.RangeKeeping.SOFT;
        assertEquals(0.5, soft.apply(0.5), 0.0);
        assertEquals(0.2, soft.apply(0.2), 0.0);
        for (double u = -3; u <= 4; u += 0.01) {
            double x = soft.apply(u);
            assertTrue(x >= 0 && x <= 1, "x(" + u + ") = " + x);
            double fd = (soft.apply(u + 1e-6) - soft.apply(u - 1e-6)) / 2e-6;
            assertEquals(fd, soft.slope(u), 1e-5, "slope at " + u);
            if (u > -0.2 && u < 1.2) { // where training keeps inputs (the range penalty pulls them back)
                assertTrue(x > 0 && x < 1 && soft.slope(u) > 1e-3, "no dead gradient at " + u);
            }
        }
        assertEquals(1.0, LayerOps.RangeKeeping.CLAMP.apply(1.7), 0.0);
        assertEquals(0.0, LayerOps.RangeKeeping.CLAMP.slope(1.7), 0.0);
        assertEquals(LayerOps.OutputNorm.COMMON_MODE, LayerOps.OutputNorm.of("common-mode"));
        assertThrows(IllegalArgumentException.class, () -> LayerOps.RangeKeeping.of("tanh"));
    }
}
