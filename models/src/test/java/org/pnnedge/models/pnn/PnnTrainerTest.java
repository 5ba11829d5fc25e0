package org.pnnedge.models.pnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
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
 * Training end to end on the emulated SHG device with synthetic vowels (the PAT paper's 7-vowel task, women):
 * no external data. A short grey-box twin fit is shared by the tests.
 */
class PnnTrainerTest {
    static final String DEVICE = "emulator:shg?seed=2&timing=zero";
    static final String CLEAN = "emulator:shg?seed=2&noise=off&drift=off&timing=zero";

    static DeviceContext ctx;
    static DeviceLink link;
    static TrainableTwin twin;
    static Dataset train;
    static Dataset test;
    static Normalization zn;
    static PnnArchitecture arch;

    static Dataset vowels(int talkers, long seed) {
        return SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(talkers).seed(seed)
                .build();
    }

    @BeforeAll
    static void setUp() {
        ctx = DeviceContext.create();
        link = ctx.open(DEVICE);
        long t0 = System.nanoTime();
        Characterization c = Characterizer.of(3000, 2).measure(link, d -> { });
        twin = new TwinFitter(20, 64, 1e-2, 0.1, 2, null).fit(ShgTwin.initial(), c, false, p -> { }).twin();
        System.out.printf("PnnTrainerTest twin: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        train = vowels(30, 1);
        test = vowels(20, 2);
        zn = Normalization.zScore(train);
        arch = new PnnArchitecture(1, 12, 16, 32, 16, PnnArchitecture.spreadChannels(7, 16));
    }

    @AfterAll
    static void tearDown() {
        ctx.close();
    }

    static PnnTrainer.Result train(TrainingMode mode, int epochs, long seed, PhysicalLayers device,
                                   List<EpochStats> curve) {
        Dataset tr = zn.apply(train);
        Dataset va = zn.apply(test);
        return new PnnTrainer(mode, 1, epochs, 8, 0.03, 1.0, seed).train(arch, train.labelNames(), zn.offset(),
                zn.scale(), tr.features(), tr.labels(), va.features(), va.labels(), device, twin, curve::add);
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    @Test
    void patOnTheDeviceLearnsTheVowels() {
        PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
        List<EpochStats> curve = new ArrayList<>();
        long t0 = System.nanoTime();
        PnnTrainer.Result r = train(TrainingMode.PAT, 60, 1, device, curve);
        double secs = (System.nanoTime() - t0) / 1e9;
        Dataset te = zn.apply(test);
        int[][] confusion = new int[7][7];
        double[] acc = PnnTrainer.evaluate(r.model(), te.features(), te.labels(), device, 3, confusion);
        double trainAcc = mean(PnnTrainer.evaluate(r.model(), zn.apply(train).features(), train.labels(), device, 1,
                null));
        System.out.printf("PAT: held-out device accuracy %.3f %s (train %.3f), %d epochs in %.1f s, first epoch "
                        + "train acc %.3f, last %.3f, shots %d%n", mean(acc), Arrays.toString(acc), trainAcc,
                curve.size(), secs, curve.get(0).trainAccuracy(), curve.get(curve.size() - 1).trainAccuracy(),
                device.shots());
        // chance is 1/7 = 0.14
        assertTrue(mean(acc) > 0.7, "held-out accuracy on the device " + mean(acc));
        assertEquals(60, curve.size());
        assertEquals(curve, r.curve());
        for (int i = 0; i < curve.size(); i++) {
            EpochStats e = curve.get(i);
            assertEquals(i + 1, e.epoch());
            assertTrue(Double.isFinite(e.trainLoss()) && e.trainLoss() > 0);
            assertTrue(e.validationAccuracy() >= 0 && e.validationAccuracy() <= 1);
            assertTrue(e.deviceSeconds() >= 0 && e.digitalSeconds() >= 0);
        }
        assertTrue(curve.get(curve.size() - 1).trainLoss() < curve.get(0).trainLoss(), "loss must fall");
        int total = Arrays.stream(confusion).flatMapToInt(Arrays::stream).sum();
        assertEquals(3 * test.size(), total);
        PnnModel m = r.model();
        assertEquals(Vowel.PAT_7_CODES, m.labels());
        for (int code : m.thetaCodes()[0]) {
            assertTrue(code >= 0 && code <= 4095);
        }
        assertArrayEquals(zn.offset(), m.featureOffset());
        assertThrows(UnsupportedOperationException.class, () -> r.curve().add(curve.get(0)));
    }

    @Test
    void inSilicoTrainsOnTheTwinAndRunsOnTheDevice() {
        PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
        List<EpochStats> curve = new ArrayList<>();
        long shotsBefore = device.shots();
        PnnTrainer.Result r = train(TrainingMode.INSILICO, 40, 1, device, curve);
        long trainingShots = device.shots() - shotsBefore;
        Dataset te = zn.apply(test);
        double acc = mean(PnnTrainer.evaluate(r.model(), te.features(), te.labels(), device, 3, null));
        System.out.printf("in silico: held-out device accuracy %.3f, last twin train acc %.3f, device shots "
                + "during training %d%n", acc, curve.get(curve.size() - 1).trainAccuracy(), trainingShots);
        // the device only serves validation (and the readout's dark reference): one pass per epoch plus a few shots
        assertTrue(trainingShots <= 40L * test.size() + 100, "device shots while training in silico: " + trainingShots);
        assertTrue(acc > 0.4, "in-silico model on the device " + acc);
        assertEquals(40, r.curve().size());
    }

    @Test
    void acrossSessionsEachEpochRunsOnItsSession() {
        try (DeviceContext ctx2 = DeviceContext.create()) {
            List<PhysicalLayers.OnDevice> links = List.of(new PhysicalLayers.OnDevice(ctx2.open(DEVICE)),
                    new PhysicalLayers.OnDevice(ctx2.open(DEVICE + "&session=5")));
            PhysicalLayers.AcrossSessions across = new PhysicalLayers.AcrossSessions(links);
            long[] before = {0, 0};
            List<String> seen = new ArrayList<>();
            PnnTrainer.Result r = new PnnTrainer(TrainingMode.PAT, 1, 4, 8, 0.03, 1.0, 1).train(arch,
                    train.labelNames(), zn.offset(), zn.scale(), zn.apply(train).features(), train.labels(),
                    zn.apply(test).features(), test.labels(), across, twin, e -> {
                        long[] now = {links.get(0).shots(), links.get(1).shots()};
                        seen.add("epoch " + e.epoch() + ": +" + (now[0] - before[0]) + "/+" + (now[1] - before[1]));
                        System.arraycopy(now, 0, before, 0, 2);
                    });
            // epoch e forward passes and validation on session (e - 1) mod 2, the other link untouched
            for (int e = 1; e <= 4; e++) {
                String[] d = seen.get(e - 1).replaceAll(".*: ", "").split("/");
                int used = (e - 1) % 2;
                assertTrue(Long.parseLong(d[used].substring(1)) >= (long) train.size() + test.size(),
                        "session " + used + " must serve epoch " + e + ": " + seen);
                assertEquals(0, Long.parseLong(d[1 - used].substring(1)), "only one session per epoch: " + seen);
            }
            assertEquals(1, across.currentIndex());
            assertEquals(4, r.curve().size());
        }
        assertThrows(IllegalArgumentException.class, () -> new PhysicalLayers.AcrossSessions(List.of()));
    }

    @Test
    void sameSeedSameModelWithoutNoise() {
        PnnModel a;
        PnnModel b;
        PnnModel c;
        try (DeviceContext ctx2 = DeviceContext.create()) {
            a = train(TrainingMode.PAT, 5, 3, new PhysicalLayers.OnDevice(ctx2.open(CLEAN)), new ArrayList<>()).model();
            b = train(TrainingMode.PAT, 5, 3, new PhysicalLayers.OnDevice(ctx2.open(CLEAN)), new ArrayList<>()).model();
            c = train(TrainingMode.PAT, 5, 4, new PhysicalLayers.OnDevice(ctx2.open(CLEAN)), new ArrayList<>()).model();
        }
        assertTrue(Arrays.deepEquals(a.thetaCodes(), b.thetaCodes()));
        assertTrue(Arrays.deepEquals(a.gain(), b.gain()));
        assertTrue(Arrays.deepEquals(a.offset(), b.offset()));
        assertArrayEquals(a.readGain(), b.readGain());
        assertArrayEquals(a.readOffset(), b.readOffset());
        assertEquals(a.architecture(), b.architecture());
        assertTrue(!Arrays.deepEquals(a.thetaCodes(), c.thetaCodes()), "another seed gives another model");
    }

    @Test
    void modelIsImmutable() {
        PnnArchitecture a = new PnnArchitecture(2, 2, 16, 32, 16, new int[] {3, 9});
        int[][] codes = new int[2][32];
        double[][] gain = new double[2][16];
        double[][] offset = new double[2][16];
        double[] fo = {1, 2};
        double[] fs = {3, 4};
        double[] rg = {5, 6};
        double[] ro = {7, 8};
        List<String> labels = new ArrayList<>(List.of("a", "b"));
        PnnModel m = new PnnModel(a, labels, fo, fs, codes, gain, offset, rg, ro);
        // the constructor copies
        codes[0][0] = 99;
        gain[1][2] = 99;
        offset[0][3] = 99;
        fo[0] = 99;
        fs[0] = 99;
        rg[0] = 99;
        ro[0] = 99;
        labels.set(0, "z");
        assertEquals(0, m.thetaCodes()[0][0]);
        assertEquals(0.0, m.gain()[1][2]);
        assertEquals(0.0, m.offset()[0][3]);
        assertEquals(1.0, m.featureOffset()[0]);
        assertEquals(3.0, m.featureScale()[0]);
        assertEquals(5.0, m.readGain()[0]);
        assertEquals(7.0, m.readOffset()[0]);
        assertEquals("a", m.labels().get(0));
        // accessors return copies
        m.thetaCodes()[0][0] = 5;
        m.gain()[1][2] = 5;
        m.offset()[0][3] = 5;
        m.featureOffset()[0] = 5;
        m.featureScale()[0] = 5;
        m.readGain()[0] = 5;
        m.readOffset()[0] = 5;
        m.architecture().classChannels()[0] = 5;
        assertEquals(0, m.thetaCodes()[0][0]);
        assertEquals(0.0, m.gain()[1][2]);
        assertEquals(0.0, m.offset()[0][3]);
        assertEquals(1.0, m.featureOffset()[0]);
        assertEquals(3.0, m.featureScale()[0]);
        assertEquals(5.0, m.readGain()[0]);
        assertEquals(7.0, m.readOffset()[0]);
        assertEquals(3, m.architecture().classChannels()[0]);
        assertThrows(UnsupportedOperationException.class, () -> m.labels().set(0, "q"));
        // and the model rejects arrays that do not fit its architecture
        assertThrows(IllegalArgumentException.class, () -> new PnnModel(a, List.of("a"), fo, fs, codes, gain, offset,
                rg, ro));
        assertThrows(IllegalArgumentException.class, () -> new PnnModel(a, labels, new double[3], fs, codes, gain,
                offset, rg, ro));
        assertThrows(IllegalArgumentException.class, () -> new PnnModel(a, labels, fo, fs, new int[1][32], gain,
                offset, rg, ro));
        assertThrows(IllegalArgumentException.class, () -> new PnnModel(a, labels, fo, fs, new int[2][31], gain,
                offset, rg, ro));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expected), "'" + ex.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void architectureValidation() {
        assertMessage("at least one physical layer", () -> new PnnArchitecture(0, 12, 16, 32, 16, new int[] {0}));
        assertMessage("17 features do not fit 16 device inputs",
                () -> new PnnArchitecture(1, 17, 16, 32, 16, new int[] {0}));
        assertMessage("0 features", () -> new PnnArchitecture(1, 0, 16, 32, 16, new int[] {0}));
        assertMessage("stacking layers needs as many outputs as inputs",
                () -> new PnnArchitecture(2, 12, 16, 32, 8, new int[] {0}));
        assertMessage("class channel 16 outside 0..15", () -> new PnnArchitecture(1, 12, 16, 32, 16, new int[] {2, 16}));
        assertMessage("class channel -1", () -> new PnnArchitecture(1, 12, 16, 32, 16, new int[] {-1}));
        assertMessage("distinct", () -> new PnnArchitecture(1, 12, 16, 32, 16, new int[] {4, 4}));
        // one layer may have fewer outputs than inputs
        PnnArchitecture one = new PnnArchitecture(1, 12, 16, 32, 8, new int[] {0, 7});
        assertEquals(2, one.classes());
        int[] spread = PnnArchitecture.spreadChannels(7, 16);
        assertEquals(7, Arrays.stream(spread).distinct().count());
        for (int ch : spread) {
            assertTrue(ch >= 0 && ch < 16);
        }
        int[] ch = {1, 2};
        PnnArchitecture a = new PnnArchitecture(1, 2, 16, 32, 16, ch);
        ch[0] = 9;
        assertEquals(1, a.classChannels()[0], "the architecture copies its class channels");
        assertEquals(a, new PnnArchitecture(1, 2, 16, 32, 16, new int[] {1, 2}));
        assertEquals(a.hashCode(), new PnnArchitecture(1, 2, 16, 32, 16, new int[] {1, 2}).hashCode());
        assertNotEquals(a, new PnnArchitecture(1, 2, 16, 32, 16, new int[] {2, 1}));
    }

    @Test
    void trainerSettingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new PnnTrainer(TrainingMode.PAT, 0, 10, 8, 0.03, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PnnTrainer(TrainingMode.PAT, 1, 0, 8, 0.03, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PnnTrainer(TrainingMode.PAT, 1, 10, 0, 0.03, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PnnTrainer(TrainingMode.PAT, 1, 10, 8, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PnnTrainer(TrainingMode.PAT, 1, 10, 8, 0.03, -1, 1));
    }
}
