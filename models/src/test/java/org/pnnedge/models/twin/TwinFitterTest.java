package org.pnnedge.models.twin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.characterize.Characterization;

/**
 * Twin fitting on a known function: noise-free data from a "truth" grey-box twin (a perturbed calibration the
 * grey-box form can represent exactly), fitted from {@link ShgTwin#initial()}.
 */
class TwinFitterTest {
    static final int MAX = 4095;

    static ShgTwin truth;
    static Characterization data;
    static Characterization fresh;
    static FittedTwin fitted;
    static double fitSeconds;

    /**
     * A perturbation of the initial calibration: nonlinear mask response with a little amplitude-to-phase
     * coupling, an envelope and a spectral phase, asymmetric crosstalk, uneven spectrometer weights, dark
     * offsets and compression; weights scaled so outputs sit in about 0.02–0.6.
     */
    static ShgTwin truthTwin(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ShgTwin t = ShgTwin.initial();
        double[] c = t.calibration();
        for (int i = 0; i < ShgTwin.KNOTS; i++) {
            double u = i / (ShgTwin.KNOTS - 1.0);
            c[ShgTwin.LUT_A + i] = Math.pow(u, 1.2) * (1 + 0.03 * (r.nextDouble() - 0.5));
            c[ShgTwin.LUT_P + i] = 0.25 * u * u;
        }
        for (int b = 0; b < ShgTwin.BINS; b++) {
            double z = (b - 23.5) / 20.0;
            c[ShgTwin.AMP + b] = Math.exp(-z * z) * (1 + 0.1 * (r.nextDouble() - 0.5));
            c[ShgTwin.PHASE + b] = 0.3 * z * z;
        }
        c[ShgTwin.KAPPA_L] = 0.04;
        c[ShgTwin.KAPPA_R] = 0.015;
        for (int i = 0; i < ShgTwin.OUTPUTS * ShgTwin.BAND; i++) {
            c[ShgTwin.WEIGHTS + i] *= 0.8 + 0.4 * r.nextDouble();
        }
        for (int k = 0; k < ShgTwin.OUTPUTS; k++) {
            c[ShgTwin.OFFSET + k] = 0.02 + 0.01 * r.nextDouble();
        }
        c[ShgTwin.BETA] = 0.0;
        // scale so the 99th percentile of the raw signal is about 0.45
        Twin.Workspace ws = t.newWorkspace();
        double[] y = new double[ShgTwin.OUTPUTS];
        double[] raws = new double[2000 * ShgTwin.OUTPUTS];
        for (int s = 0; s < 2000; s++) {
            t.forward(random(r, ShgTwin.INPUTS), random(r, ShgTwin.PARAMS), y, ws);
            for (int k = 0; k < ShgTwin.OUTPUTS; k++) {
                raws[s * ShgTwin.OUTPUTS + k] = t.raw(ws, k);
            }
        }
        Arrays.sort(raws);
        t.scaleWeights(0.45 / raws[(int) (raws.length * 0.99)]);
        c[ShgTwin.BETA] = 0.15;
        return t;
    }

    static double[] random(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble();
        }
        return v;
    }

    /** Noise-free characterization of a twin: random codes, outputs rounded to ADC codes. */
    static Characterization characterize(Twin t, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] xs = new int[n][];
        int[][] ps = new int[n][];
        int[][] ys = new int[n][];
        Twin.Workspace ws = t.newWorkspace();
        double[] x = new double[t.inputs()];
        double[] th = new double[t.params()];
        double[] y = new double[t.outputs()];
        int[] p = null;
        for (int s = 0; s < n; s++) {
            if (s % 32 == 0) { // parameter sets shared by 32 inputs, as the Characterizer does
                p = new int[t.params()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = r.nextInt(MAX + 1);
                }
            }
            int[] xc = new int[t.inputs()];
            for (int i = 0; i < xc.length; i++) {
                xc[i] = r.nextInt(MAX + 1);
                x[i] = xc[i] / (double) MAX;
            }
            for (int i = 0; i < th.length; i++) {
                th[i] = p[i] / (double) MAX;
            }
            t.forward(x, th, y, ws);
            int[] yc = new int[t.outputs()];
            for (int k = 0; k < yc.length; k++) {
                yc[k] = (int) Math.round(Math.min(1, Math.max(0, y[k])) * MAX);
            }
            xs[s] = xc;
            ps[s] = p;
            ys[s] = yc;
        }
        return new Characterization(PhysicsKind.SHG, "truth", 12, 12, Instant.parse("2025-01-01T00:00:00Z"), seed,
                xs, ps, ys, new double[t.outputs()]);
    }

    @BeforeAll
    static void fitOnce() {
        truth = truthTwin(11);
        data = characterize(truth, 4000, 5);
        fresh = characterize(truth, 1000, 6);
        long t0 = System.nanoTime();
        fitted = new TwinFitter(40, 64, 1e-2, 0.1, 3, null).fit(ShgTwin.initial(), data, false, p -> { });
        fitSeconds = (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void dataIsInARealisticRange() {
        double lo = 1;
        double hi = 0;
        double sum = 0;
        for (int[] row : data.outputs()) {
            for (int v : row) {
                lo = Math.min(lo, v / (double) MAX);
                hi = Math.max(hi, v / (double) MAX);
                sum += v / (double) MAX;
            }
        }
        double mean = sum / (data.size() * 16.0);
        System.out.printf("truth outputs: min %.3f mean %.3f max %.3f%n", lo, mean, hi);
        assertTrue(lo >= 0.015 && hi <= 0.7 && mean > 0.05 && mean < 0.4, lo + " " + mean + " " + hi);
    }

    @Test
    void fitRecoversAKnownFunction() {
        TwinReport rep = fitted.report();
        assertNotNull(rep);
        double freshNrmse = TwinFitter.evaluate(fitted.twin(), fresh).nrmse();
        double initialNrmse = TwinFitter.evaluate(ShgTwin.initial(), fresh).nrmse();
        System.out.printf("known-function fit: held-out NRMSE %.4f, fresh NRMSE %.4f (initial %.3f), %.1f s%n",
                rep.nrmse(), freshNrmse, initialNrmse, fitSeconds);
        assertEquals(400, rep.heldOutSamples());
        assertEquals(3600, rep.trainSamples());
        assertTrue(rep.seconds() > 0);
        assertEquals(0.0, rep.noiseFloor(), "noise-free data has a zero noise floor");
        assertTrue(rep.nrmse() < 0.05, "held-out NRMSE " + rep.nrmse());
        assertTrue(freshNrmse < 0.05, "fresh-data NRMSE " + freshNrmse);
        for (double v : rep.nrmsePerChannel()) {
            assertTrue(v < 0.12, "per-channel NRMSE " + Arrays.toString(rep.nrmsePerChannel()));
        }
    }

    @Test
    void fittedVjpPointsWhereTheTruthsDoes() {
        SplittableRandom r = new SplittableRandom(77);
        Twin a = fitted.twin();
        Twin.Workspace wa = a.newWorkspace();
        Twin.Workspace wt = truth.newWorkspace();
        double[] y = new double[16];
        double sum = 0;
        double min = 1;
        int points = 40;
        for (int p = 0; p < points; p++) {
            double[] x = random(r, 16);
            double[] th = random(r, 32);
            double[] dy = new double[16];
            for (int k = 0; k < 16; k++) {
                dy[k] = r.nextGaussian();
            }
            double[] dxA = new double[16];
            double[] dthA = new double[32];
            double[] dxT = new double[16];
            double[] dthT = new double[32];
            a.forward(x, th, y, wa);
            a.vjp(dy, dxA, dthA, wa);
            truth.forward(x, th, y, wt);
            truth.vjp(dy, dxT, dthT, wt);
            double cos = GradientFidelity.cosine(concat(dxA, dthA), concat(dxT, dthT));
            sum += cos;
            min = Math.min(min, cos);
        }
        System.out.printf("VJP cosine fitted vs truth: mean %.4f min %.4f%n", sum / points, min);
        assertTrue(sum / points > 0.9, "mean cosine " + sum / points);
        assertTrue(min > 0.6, "worst cosine " + min);
    }

    static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void startTwinIsNotModifiedAndResultIsIndependent() {
        ShgTwin start = ShgTwin.initial();
        double[] before = start.calibration().clone();
        FittedTwin f = new TwinFitter(2, 64, 1e-2, 0.1, 3, null).fit(start, data, false, p -> { });
        assertArrayEquals(before, start.calibration(), "the fitter must work on a copy");
        assertTrue(f.twin() != start);
        ShgTwin out = (ShgTwin) f.twin();
        assertTrue(!Arrays.equals(before, out.calibration()), "the fit changed nothing");
        // the same fit on a warm start does not touch its start either
        ShgTwin warm = truth.copy();
        double[] warmBefore = warm.calibration().clone();
        new TwinFitter(1, 64, 1e-3, 0.1, 3, null).fit(warm, data, true, p -> { });
        assertArrayEquals(warmBefore, warm.calibration());
    }

    @Test
    void warmStartFromTheTruthKeepsTheErrorTiny() {
        double atTruth = TwinFitter.evaluate(truth, data).nrmse();
        FittedTwin f = new TwinFitter(3, 64, 1e-4, 0.1, 4, null).fit(truth, data, true, p -> { });
        System.out.printf("warm start from truth: NRMSE %.5f (truth itself %.5f)%n", f.report().nrmse(), atTruth);
        assertTrue(atTruth < 0.01, "truth against its own rounded data " + atTruth);
        assertTrue(f.report().nrmse() < 0.01, "warm-started NRMSE " + f.report().nrmse());
        // a cold start (initialise() re-levels offsets and gains) from the same twin is far worse after 3 epochs:
        // shows warmStart really skips initialisation
        FittedTwin cold = new TwinFitter(1, 64, 1e-4, 0.1, 4, null).fit(truth, data, false, p -> { });
        System.out.printf("cold start from truth, 1 epoch: NRMSE %.4f%n", cold.report().nrmse());
        assertTrue(cold.report().nrmse() > 2 * f.report().nrmse(), "cold " + cold.report().nrmse());
    }

    @Test
    void timeBudgetStopsEarly() {
        List<TwinFitter.Progress> seen = new ArrayList<>();
        long t0 = System.nanoTime();
        FittedTwin f = new TwinFitter(10_000, 64, 1e-2, 0.1, 3, Duration.ofMillis(300))
                .fit(ShgTwin.initial(), data, false, seen::add);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("budget 0.3 s: stopped after %d epochs in %.2f s%n", seen.size(), secs);
        assertTrue(secs < 5, "took " + secs + " s");
        assertTrue(seen.size() >= 1 && seen.size() < 10_000, "epochs " + seen.size());
        TwinFitter.Progress last = seen.get(seen.size() - 1);
        assertEquals(10_000, last.epochs());
        assertTrue(!Double.isNaN(last.heldOutNrmse()), "the last epoch reports the held-out error");
        assertEquals(last.heldOutNrmse(), f.report().nrmse(), 1e-12);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1, seen.get(i).epoch());
        }
    }

    @Test
    void provenanceCarriesDataHashAndSeed() {
        TwinProvenance p = fitted.provenance();
        assertEquals(data.dataHash(), p.dataHash());
        assertEquals(64, p.dataHash().length());
        assertEquals(3, p.seed());
        assertEquals("truth", p.deviceSerial());
        assertEquals(4000, p.samples());
        assertTrue(p.fitter().contains("epochs=40"), p.fitter());
        assertNotNull(p.codeVersion());
        assertNotNull(p.created());
    }

    @Test
    void sameSeedSameFit() {
        TwinFitter f = new TwinFitter(2, 64, 1e-2, 0.1, 9, null);
        ShgTwin a = (ShgTwin) f.fit(ShgTwin.initial(), data, false, p -> { }).twin();
        ShgTwin b = (ShgTwin) f.fit(ShgTwin.initial(), data, false, p -> { }).twin();
        assertArrayEquals(a.calibration(), b.calibration());
    }

    @Test
    void oneTwoAndThreeThreadsGiveTheSameFit() {
        TwinFitter f = new TwinFitter(2, 64, 1e-2, 0.1, 9, null);
        ShgTwin one = (ShgTwin) f.withThreads(1).fit(ShgTwin.initial(), data, false, p -> { }).twin();
        ShgTwin two = (ShgTwin) f.withThreads(2).fit(ShgTwin.initial(), data, false, p -> { }).twin();
        ShgTwin three = (ShgTwin) f.withThreads(3).fit(ShgTwin.initial(), data, false, p -> { }).twin();
        assertArrayEquals(one.calibration(), two.calibration(), "bit-identical whatever the thread count");
        assertArrayEquals(one.calibration(), three.calibration());
        // a batch that is not a multiple of the chunk size, and a black-box twin with two parameter arrays per layer
        TwinFitter odd = new TwinFitter(1, 37, 1e-2, 0.1, 5, null);
        MlpTwin start = MlpTwin.create(PhysicsKind.SHG, 16, 32, 16, new int[] {16}, org.pnnedge.models.nn.Activation.GELU, 1);
        MlpTwin a = (MlpTwin) odd.withThreads(1).fit(start, data, false, p -> { }).twin();
        MlpTwin b = (MlpTwin) odd.withThreads(2).fit(start, data, false, p -> { }).twin();
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i), b.parameters().get(i), "parameter array " + i);
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TwinFitter(1, 64, 1e-2, 0.1, 1, null, -1));
        assertThrows(IllegalArgumentException.class, () -> new TwinFitter(0, 64, 1e-2, 0.1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new TwinFitter(1, 0, 1e-2, 0.1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new TwinFitter(1, 64, 0, 0.1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new TwinFitter(1, 64, Double.NaN, 0.1, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new TwinFitter(1, 64, 1e-2, 1.0, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new TwinFitter(1, 64, 1e-2, -0.1, 1, null));
    }
}
