package org.pnnedge.models.twin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.nn.Activation;

/**
 * The diagnostic that matters for physics-aware training: does the twin's VJP point where the device's gradient
 * points? A grey-box twin fitted on the noisy emulator agrees well with finite differences on the same emulator
 * without noise and drift; the unfitted starting twin and an untrained black box agree clearly less.
 */
class GradientFidelityTest {
    static final String NOISY = "emulator:shg?seed=1&timing=zero";
    static final String CLEAN = "emulator:shg?seed=1&noise=off&drift=off&timing=zero";

    @Test
    void fittedTwinPointsWhereTheDeviceDoes() {
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink noisy = ctx.open(NOISY);
             DeviceLink clean = ctx.open(CLEAN)) {
            long t0 = System.nanoTime();
            Characterization c = Characterizer.of(5000, 1).measure(noisy, d -> { });
            long t1 = System.nanoTime();
            FittedTwin f = new TwinFitter(30, 64, 1e-2, 0.1, 1, null).fit(ShgTwin.initial(), c, false, p -> { });
            long t2 = System.nanoTime();
            GradientFidelity gf = new GradientFidelity(20, 32, 7);
            GradientFidelity.Result fitted = gf.measure(clean, f.twin());
            GradientFidelity.Result initial = gf.measure(clean, ShgTwin.initial());
            GradientFidelity.Result levelled = gf.measure(clean, levelled(c));
            GradientFidelity.Result blackBox = gf.measure(clean,
                    MlpTwin.create(PhysicsKind.SHG, 16, 32, 16, new int[] {32}, Activation.GELU, 1));
            long t3 = System.nanoTime();
            System.out.printf("gradient fidelity: fitted mean %.3f (min %.3f, inputs %.3f, params %.3f), "
                            + "initial %.3f (min %.3f), levelled initial %.3f (min %.3f), untrained MLP %.3f; "
                            + "NRMSE %.4f (floor %.4f); "
                            + "characterize %.1f s, fit %.1f s, fidelity %.1f s%n",
                    fitted.meanCosine(), fitted.minCosine(), fitted.inputCosine(), fitted.paramCosine(),
                    initial.meanCosine(), initial.minCosine(), levelled.meanCosine(), levelled.minCosine(),
                    blackBox.meanCosine(), f.report().nrmse(),
                    f.report().noiseFloor(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
            assertEquals(20, fitted.points());
            // measured: fitted 0.975 (worst point 0.93); levelled start 0.72; raw start 0 (every output clipped)
            assertTrue(fitted.meanCosine() > 0.9, "fitted twin mean cosine " + fitted.meanCosine());
            assertTrue(fitted.inputCosine() > 0.85 && fitted.paramCosine() > 0.85,
                    fitted.inputCosine() + " / " + fitted.paramCosine());
            assertTrue(fitted.minCosine() > 0.6, "worst point " + fitted.minCosine());
            assertTrue(fitted.meanCosine() > levelled.meanCosine() + 0.15,
                    "the diagnostic must tell a fitted twin from an unfitted one: " + fitted.meanCosine() + " vs "
                            + levelled.meanCosine());
            assertTrue(initial.meanCosine() < 0.5, "unfitted, unlevelled start " + initial.meanCosine());
            assertTrue(Math.abs(blackBox.meanCosine()) < 0.4, "untrained black box " + blackBox.meanCosine());
            assertTrue(f.report().nrmse() < 0.3, "NRMSE " + f.report().nrmse());
            assertTrue(f.report().noiseFloor() > 0, "a noisy device has a noise floor");
        }
    }

    /** The starting twin with offsets and gain matched to the data, as a fit begins (physics form, no fit). */
    static ShgTwin levelled(Characterization c) {
        double[][] x = TwinFitter.normalise(c.inputs(), c.maxDac());
        double[][] th = TwinFitter.normalise(c.params(), c.maxDac());
        double[][] y = TwinFitter.normalise(c.outputs(), c.maxAdc());
        int[] rows = TwinFitter.permutation(c.size(), 0);
        ShgTwin t = ShgTwin.initial();
        t.initialise(x, th, y, rows, c.size());
        return t;
    }

    @Test
    void sameSeedSameResultAndShapeIsChecked() {
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink clean = ctx.open(CLEAN)) {
            GradientFidelity gf = new GradientFidelity(3, 32, 5);
            GradientFidelity.Result a = gf.measure(clean, ShgTwin.initial());
            GradientFidelity.Result b = gf.measure(clean, ShgTwin.initial());
            assertEquals(a, b, "noise off: the measurement is deterministic");
            assertTrue(a.meanCosine() >= -1 && a.meanCosine() <= 1);
            assertThrows(IllegalArgumentException.class, () -> gf.measure(clean,
                    MlpTwin.create(PhysicsKind.SHG, 16, 32, 8, new int[] {4}, Activation.GELU, 1)));
        }
    }

    @Test
    void cosineIsTheCosine() {
        assertEquals(1.0, GradientFidelity.cosine(new double[] {1, 2}, new double[] {2, 4}), 1e-15);
        assertEquals(-1.0, GradientFidelity.cosine(new double[] {1, 2}, new double[] {-1, -2}), 1e-15);
        assertEquals(0.0, GradientFidelity.cosine(new double[] {1, 0}, new double[] {0, 3}), 1e-15);
        assertEquals(0.0, GradientFidelity.cosine(new double[] {0, 0}, new double[] {0, 3}), 1e-15);
    }
}
