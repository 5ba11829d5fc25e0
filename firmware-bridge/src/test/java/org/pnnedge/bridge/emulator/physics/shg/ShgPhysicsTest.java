package org.pnnedge.bridge.emulator.physics.shg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.SelfTestCheck;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.emulator.physics.FixedState;
import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.emulator.physics.PhysicsSpec;

class ShgPhysicsTest {
    private static final int P = ShgPhysics.PARAMS;
    private static final int N = ShgPhysics.INPUTS;
    private static final int M = ShgPhysics.OUTPUTS;
    private static final int FULL = 65535;

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    private static int[] random(SplittableRandom r, int n, int lo, int hi) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(lo, hi + 1);
        }
        return a;
    }

    private static int[] shot(Physics p, int[] params, int[] inputs, FixedState s) {
        int[] out = new int[M];
        p.shot(params, inputs, out, s);
        return out;
    }

    /** Root-mean-square of (b − a)/a over channels, signal above the dark level. */
    private static double rmsRelativeChange(int[] a, int[] b, double dark) {
        double acc = 0;
        for (int m = 0; m < M; m++) {
            double d = (b[m] - a[m]) / (a[m] - dark);
            acc += d * d;
        }
        return Math.sqrt(acc / M);
    }

    @Test
    void specMatchesTheDevice() {
        PhysicsSpec spec = Physics.create(PhysicsKind.SHG, 1, true).spec();
        assertEquals(PhysicsKind.SHG, spec.kind());
        assertEquals(16, spec.inputs());
        assertEquals(32, spec.params());
        assertEquals(16, spec.outputs());
        assertEquals(4095, spec.maxDacCode());
        assertEquals(65535, spec.maxAdcCode());
        assertEquals(20_000, spec.typicalShotMicros());
    }

    @Test
    void layoutIsAPermutationOfTheSlmBins() {
        boolean[] used = new boolean[48];
        for (int i = 0; i < N; i++) {
            used[ShgPhysics.slmBinOfInput(i)] = true;
        }
        for (int p = 0; p < P; p++) {
            int b = ShgPhysics.slmBinOfParam(p);
            assertFalse(used[b], "bin " + b + " used twice");
            used[b] = true;
        }
        for (boolean u : used) {
            assertTrue(u);
        }
    }

    @Test
    void idealModelScalesWithTheFourthPowerOfACommonAmplitude() {
        ShgPhysics ideal = ShgPhysics.ideal();
        FixedState s = new FixedState(false, false);
        // Uniform codes and a random spectral pattern: doubling every amplitude multiplies SH by 16.
        SplittableRandom r = new SplittableRandom(7);
        int[][] basesP = {filled(P, 1024), filled(P, 1500), random(r, P, 600, 2047)};
        int[][] basesI = {filled(N, 1024), filled(N, 1500), random(r, N, 600, 2047)};
        for (int k = 0; k < basesP.length; k++) {
            int[] p1 = basesP[k];
            int[] i1 = basesI[k];
            int[] p2 = Arrays.stream(p1).map(c -> 2 * c).toArray();
            int[] i2 = Arrays.stream(i1).map(c -> 2 * c).toArray();
            int[] o1 = shot(ideal, p1, i1, s);
            int[] o2 = shot(ideal, p2, i2, s);
            int checked = 0;
            for (int m = 0; m < M; m++) {
                if (o1[m] >= 100) { // away from quantisation
                    assertEquals(16.0, (double) o2[m] / o1[m], 16 * 0.015, "pattern " + k + " channel " + m);
                    checked++;
                }
            }
            assertTrue(checked >= 8, "too few channels above quantisation: " + Arrays.toString(o1));
        }
    }

    @Test
    void realisticSlmBreaksTheFourthPowerLaw() {
        // Guards the ideal test: the nominal device (LC nonlinearity, leakage, offset) must not be quartic.
        Physics p = new ShgPhysics(0, false);
        FixedState s = new FixedState(false, false);
        int[] o1 = shot(p, filled(P, 1024), filled(N, 1024), s);
        int[] o2 = shot(p, filled(P, 2048), filled(N, 2048), s);
        double dark = 1020;
        double ratio = (o2[8] - dark) / (o1[8] - dark);
        assertTrue(ratio > 2 && ratio < 10, "ratio " + ratio);
    }

    @Test
    void midCodesGiveMidRangeOutputsAndFullCodesSaturateOnlyAFewChannels() {
        Physics p = new ShgPhysics(0, false);
        FixedState s = new FixedState(false, false);
        int[] mid = shot(p, filled(P, 2048), filled(N, 2048), s);
        int max = Arrays.stream(mid).max().orElseThrow();
        double median = Arrays.stream(mid).sorted().toArray()[M / 2];
        assertTrue(max > 0.35 * FULL && max < 0.55 * FULL, "peak " + max);
        assertTrue(median > 0.2 * FULL, "median " + median);
        int[] full = shot(p, filled(P, 4095), filled(N, 4095), s);
        long saturated = Arrays.stream(full).filter(v -> v == FULL).count();
        assertTrue(saturated >= 1 && saturated <= 4, "saturated channels " + saturated);
    }

    @Test
    void saturationClampsAtFullScale() {
        FixedState s = new FixedState(true, false);
        for (long seed = 0; seed < 5; seed++) {
            Physics p = new ShgPhysics(seed, seed != 0);
            int[] out = shot(p, filled(P, 4095), filled(N, 4095), s);
            for (int v : out) {
                assertTrue(v <= FULL);
            }
            if (seed == 0) {
                assertEquals(FULL, Arrays.stream(out).max().orElseThrow(), Arrays.toString(out));
            }
        }
    }

    @Test
    void outputsAreValidAdcCodesForRandomCodes() {
        SplittableRandom r = new SplittableRandom(3);
        FixedState s = new FixedState(true, true);
        for (long seed = 0; seed < 4; seed++) {
            Physics p = new ShgPhysics(seed, true);
            for (int k = 0; k < 500; k++) {
                s.time += 0.02;
                s.temperature = 20 + 15 * r.nextDouble();
                int[] out = shot(p, random(r, P, 0, 4095), random(r, N, 0, 4095), s);
                for (int v : out) {
                    assertTrue(v >= 0 && v <= FULL, "code " + v);
                }
            }
        }
    }

    @Test
    void allZeroCodesGiveTheDarkLevel() {
        ShgPhysics p = new ShgPhysics(4, true);
        int[] out = shot(p, new int[P], new int[N], new FixedState(false, false));
        for (int m = 0; m < M; m++) {
            double dark = p.pedestalCounts(m) + p.darkCounts(m, 25);
            assertEquals(dark, out[m], 2.0, "channel " + m);
        }
    }

    @Test
    void deterministicWithNoiseOff() {
        SplittableRandom r = new SplittableRandom(11);
        int[] params = random(r, P, 0, 4095);
        int[] inputs = random(r, N, 0, 4095);
        Physics a = new ShgPhysics(42, true);
        Physics b = new ShgPhysics(42, true);
        FixedState sa = new FixedState(false, true);
        FixedState sb = new FixedState(false, true);
        for (int k = 0; k < 20; k++) {
            sa.time = sb.time = 30.0 * k;
            sa.temperature = sb.temperature = 25 + 0.3 * k;
            int[] oa = shot(a, params, inputs, sa);
            assertArrayEquals(oa, shot(b, params, inputs, sb), "shot " + k);
            assertArrayEquals(oa, shot(a, params, inputs, sa), "repeat at the same time, shot " + k);
        }
    }

    @Test
    void differentSeedsGiveDifferentDevices() {
        int[] params = filled(P, 2048);
        int[] inputs = filled(N, 2048);
        FixedState s = new FixedState(false, false);
        int[] o1 = shot(new ShgPhysics(1, true), params, inputs, s);
        int[] o2 = shot(new ShgPhysics(2, true), params, inputs, s);
        int differ = 0;
        for (int m = 0; m < M; m++) {
            if (Math.abs(o1[m] - o2[m]) > 0.02 * o1[m]) {
                differ++;
            }
        }
        assertTrue(differ >= M / 2, Arrays.toString(o1) + " vs " + Arrays.toString(o2));
    }

    @Test
    void nominalDeviceIsTheSameForEverySeed() {
        SplittableRandom r = new SplittableRandom(5);
        int[] params = random(r, P, 0, 4095);
        int[] inputs = random(r, N, 0, 4095);
        FixedState s = new FixedState(false, false);
        assertArrayEquals(shot(new ShgPhysics(1, false), params, inputs, s),
                shot(new ShgPhysics(987654321L, false), params, inputs, s));
    }

    @Test
    void outputsDependOnInputParamProducts() {
        // f(x,w) − f(x,0) − f(0,w) + f(0,0) ≠ 0: an input and a parameter interact (SH cross term).
        Physics p = new ShgPhysics(0, false);
        FixedState s = new FixedState(false, false);
        int[] base = filled(P, 1500);
        int[] in = filled(N, 1500);
        int[] f00 = shot(p, base, in, s);
        int[] pw = base.clone();
        pw[17] = 4000; // SLM bin 26
        int[] ix = in.clone();
        ix[7] = 4000; // SLM bin 22: the cross term lands at SH bin 48, mid-spectrometer
        int[] f0w = shot(p, pw, in, s);
        int[] fx0 = shot(p, base, ix, s);
        int[] fxw = shot(p, pw, ix, s);
        double maxInteraction = 0;
        for (int m = 0; m < M; m++) {
            maxInteraction = Math.max(maxInteraction, Math.abs(fxw[m] - fx0[m] - f0w[m] + f00[m]));
        }
        assertTrue(maxInteraction > 50, "interaction " + maxInteraction);
    }

    @Test
    void measuredNoiseMatchesTheConfiguredNoiseModel() {
        ShgPhysics p = new ShgPhysics(9, true);
        SplittableRandom r = new SplittableRandom(21);
        int[] params = random(r, P, 1500, 3000);
        int[] inputs = random(r, N, 1500, 3000);
        int[] clean = shot(p, params, inputs, new FixedState(false, false));
        FixedState s = new FixedState(true, false);
        s.random = new SplittableRandom(99);
        int shots = 4000;
        double[] sum = new double[M];
        double[] sum2 = new double[M];
        int[] out = new int[M];
        for (int k = 0; k < shots; k++) {
            p.shot(params, inputs, out, s);
            for (int m = 0; m < M; m++) {
                sum[m] += out[m];
                sum2[m] += (double) out[m] * out[m];
            }
        }
        double relAtMid = 0;
        int midCount = 0;
        for (int m = 0; m < M; m++) {
            double mean = sum[m] / shots;
            double std = Math.sqrt(sum2[m] / shots - mean * mean);
            double expected = p.expectedNoiseStd(m, clean[m], 25);
            assertTrue(clean[m] < FULL, "test codes must not saturate");
            assertEquals(expected, std, 0.15 * expected, "channel " + m + " mean " + mean);
            assertEquals(clean[m], mean, 5 * expected / Math.sqrt(shots) + 1, "unbiased, channel " + m);
            double signal = clean[m] - p.pedestalCounts(m) - p.darkCounts(m, 25);
            if (signal > 0.15 * FULL && signal < 0.6 * FULL) {
                relAtMid += std / signal;
                midCount++;
            }
        }
        assertTrue(midCount > 0);
        relAtMid /= midCount;
        assertTrue(relAtMid > 0.01 && relAtMid < 0.03, "relative noise at mid scale " + relAtMid);
    }

    @Test
    void noiseIsOffWhenSwitchedOff() {
        Physics p = new ShgPhysics(9, true);
        FixedState s = new FixedState(false, false);
        int[] first = shot(p, filled(P, 2500), filled(N, 2500), s);
        for (int k = 0; k < 50; k++) {
            assertArrayEquals(first, shot(p, filled(P, 2500), filled(N, 2500), s));
        }
    }

    @Test
    void laserDriftChangesOutputsOnlyWhenDriftIsOn() {
        int[] params = filled(P, 2048);
        int[] inputs = filled(N, 2048);
        ShgPhysics on = new ShgPhysics(5, true);
        FixedState s = new FixedState(false, true);
        int[] t0 = shot(on, params, inputs, s);
        s.time = 600; // two correlation times later
        int[] t1 = shot(on, params, inputs, s);
        assertTrue(rmsRelativeChange(t0, t1, 1020) > 0.002, Arrays.toString(t0) + " vs " + Arrays.toString(t1));
        assertTrue(rmsRelativeChange(t0, t1, 1020) < 0.3);

        ShgPhysics off = new ShgPhysics(5, true);
        FixedState so = new FixedState(false, false);
        int[] u0 = shot(off, params, inputs, so);
        so.time = 600;
        so.temperature = 35; // temperature coefficients are drifts too: frozen when drift is off
        assertArrayEquals(u0, shot(off, params, inputs, so));
    }

    @Test
    void driftIsReproducibleForASeedAndSequenceOfTimes() {
        ShgPhysics a = new ShgPhysics(77, false);
        ShgPhysics b = new ShgPhysics(77, false);
        ShgPhysics c = new ShgPhysics(78, false);
        FixedState s = new FixedState(false, true);
        double maxDiff = 0;
        int[] out = new int[M];
        for (int k = 1; k <= 50; k++) {
            s.time = 37.0 * k;
            a.shot(filled(P, 2048), filled(N, 2048), out, s);
            b.shot(filled(P, 2048), filled(N, 2048), out, s);
            c.shot(filled(P, 2048), filled(N, 2048), out, s);
            assertEquals(a.laserDrift(), b.laserDrift());
            maxDiff = Math.max(maxDiff, Math.abs(a.laserDrift() - c.laserDrift()));
        }
        assertTrue(maxDiff > 1e-3, "different seeds drift differently");
        assertTrue(Math.abs(a.laserDrift()) < 0.1, "drift amplitude is a few percent");
    }

    @Test
    void warmingByTenKelvinChangesOutputsNoticeablyButBoundedly() {
        SplittableRandom r = new SplittableRandom(13);
        int[] params = random(r, P, 1000, 3500);
        int[] inputs = random(r, N, 1000, 3500);
        for (long seed = 0; seed < 3; seed++) {
            ShgPhysics p = new ShgPhysics(seed, seed != 0);
            FixedState s = new FixedState(false, true);
            int[] cold = shot(p, params, inputs, s);
            s.temperature = 35;
            int[] warm = shot(p, params, inputs, s);
            double change = rmsRelativeChange(cold, warm, 1020);
            assertTrue(change > 0.03 && change < 0.4, "seed " + seed + " rms change " + change);
            for (int m = 0; m < M; m++) {
                assertTrue(warm[m] > 0.5 * cold[m] && warm[m] < 1.5 * cold[m], "channel " + m);
            }
        }
    }

    @Test
    void darkSignalDoublesEverySevenKelvin() {
        ShgPhysics p = new ShgPhysics(3, true);
        assertEquals(2 * p.darkCounts(5, 25), p.darkCounts(5, 32), 1e-9);
        FixedState s = new FixedState(false, true);
        s.temperature = 46;
        int[] hot = shot(p, new int[P], new int[N], s);
        for (int m = 0; m < M; m++) {
            assertEquals(p.pedestalCounts(m) + 8 * p.darkCounts(m, 25), hot[m], 2.0);
        }
    }

    @Test
    void sensorsReportLaserPowerAndCrystalTemperature() {
        ShgPhysics p = new ShgPhysics(8, true);
        FixedState s = new FixedState(true, true);
        s.temperature = 31.5;
        Map<Sensor, Double> read = new EnumMap<>(Sensor.class);
        p.readSensors(s, read::put);
        assertEquals(1000, read.get(Sensor.LASER_POWER), 150);
        assertEquals(31.5, read.get(Sensor.CRYSTAL_TEMPERATURE), 1.0);
        // Laser power follows the drift.
        FixedState nd = new FixedState(false, true);
        nd.time = 1000;
        read.clear();
        p.readSensors(nd, read::put);
        assertEquals(p.laserPowerMw() * (1 + p.laserDrift()), read.get(Sensor.LASER_POWER), 1e-9);
    }

    @Test
    void selfTestPassesWhenHealthyAndFlagsAHotDetector() {
        ShgPhysics p = new ShgPhysics(6, true);
        FixedState s = new FixedState(true, true);
        List<SelfTestCheck> checks = p.selfTest(s);
        assertEquals(2, checks.size());
        for (SelfTestCheck c : checks) {
            assertTrue(c.passed(), c.name() + " " + c.measured());
        }
        assertEquals(SelfTestCheck.DARK_LEVEL, checks.get(0).id());
        assertEquals(1020, checks.get(0).measured(), 100);
        assertEquals(SelfTestCheck.SOURCE_LEVEL, checks.get(1).id());
        assertEquals(1000, checks.get(1).measured(), 200);

        s.temperature = 80; // dark current ×2^(55/7) ≈ 230: the dark frame leaves its limits
        SelfTestCheck dark = p.selfTest(s).get(0);
        assertFalse(dark.passed(), "dark level " + dark.measured());
    }

    @Test
    void shotDoesNotAllocate() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ShgPhysics p = new ShgPhysics(12, true);
        FixedState s = new FixedState(true, true);
        int[] params = random(new SplittableRandom(1), P, 0, 4095);
        int[] inputs = random(new SplittableRandom(2), N, 0, 4095);
        int[] out = new int[M];
        for (int k = 0; k < 20_000; k++) { // warm-up: let the JIT compile shot()
            s.time += 0.02;
            p.shot(params, inputs, out, s);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int k = 0; k < 10_000; k++) {
            s.time += 0.02;
            p.shot(params, inputs, out, s);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 512, "shot() allocated " + allocated + " bytes over 10,000 calls");
    }
}
