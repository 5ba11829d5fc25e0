package org.pnnedge.models.twin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.testing.GradientCheck;

/** Finite-difference checks of the grey-box twin's input VJP and calibration gradient. */
class ShgTwinGradientTest {
    static ShgTwin randomTwin(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ShgTwin t = ShgTwin.initial();
        double[] c = t.calibration();
        for (int i = 0; i < c.length; i++) {
            c[i] += 0.05 * (r.nextDouble() - 0.5);
        }
        for (int b = 0; b < ShgTwin.BINS; b++) {
            c[ShgTwin.PHASE + b] = r.nextDouble() * 2 - 1;
            c[ShgTwin.LUT_P + (b % ShgTwin.KNOTS)] = 0.3 * (r.nextDouble() - 0.5);
        }
        c[ShgTwin.BETA] = 0.05;
        t.scaleWeights(0.004);
        return t;
    }

    /** Loss = Σ w_k y_k for fixed random w, so dL/dy = w. */
    static double loss(ShgTwin t, double[] x, double[] th, double[] w, Twin.Workspace ws) {
        double[] y = new double[ShgTwin.OUTPUTS];
        t.forward(x, th, y, ws);
        double l = 0;
        for (int k = 0; k < y.length; k++) {
            l += w[k] * y[k];
        }
        return l;
    }

    @Test
    void inputAndParameterVjpMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(2);
        for (int trial = 0; trial < 5; trial++) {
            ShgTwin t = randomTwin(trial);
            Twin.Workspace ws = t.newWorkspace();
            double[] x = new double[16];
            double[] th = new double[32];
            double[] w = new double[16];
            for (int i = 0; i < 16; i++) {
                x[i] = 0.05 + 0.9 * r.nextDouble();
                w[i] = r.nextDouble() - 0.5;
            }
            for (int i = 0; i < 32; i++) {
                th[i] = 0.05 + 0.9 * r.nextDouble();
            }
            double[] y = new double[16];
            t.forward(x, th, y, ws);
            double[] dx = new double[16];
            double[] dth = new double[32];
            t.vjp(w, dx, dth, ws);
            double h = 1e-6;
            GradientCheck.Tolerance tol = GradientCheck.absRel(1e-6, 1e-4);
            GradientCheck.assertGradient("trial " + trial + " dL/dx", dx,
                    GradientCheck.numericGradient(xx -> loss(t, xx, th, w, ws), x, h), tol);
            GradientCheck.assertGradient("trial " + trial + " dL/dθ", dth,
                    GradientCheck.numericGradient(tt -> loss(t, x, tt, w, ws), th, h), tol);
        }
    }

    @Test
    void calibrationGradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        ShgTwin t = randomTwin(9);
        Twin.Workspace ws = t.newWorkspace();
        double[] x = new double[16];
        double[] th = new double[32];
        double[] w = new double[16];
        for (int i = 0; i < 16; i++) {
            x[i] = r.nextDouble();
            w[i] = r.nextDouble() - 0.5;
        }
        for (int i = 0; i < 32; i++) {
            th[i] = r.nextDouble();
        }
        double[] y = new double[16];
        t.forward(x, th, y, ws);
        double[] grad = new double[ShgTwin.SIZE];
        t.backward(w, grad, null, null, ws);
        double[] c = t.calibration();
        double h = 1e-6;
        double[] fd = GradientCheck.numericGradient(c, () -> loss(t, x, th, w, ws), h); // c is held by t
        GradientCheck.assertGradient("dL/dc", grad, fd, GradientCheck.absRel(1e-7, 1e-4));
        int checked = 0;
        for (double v : fd) {
            if (Math.abs(v) > 1e-6) {
                checked++;
            }
        }
        assertTrue(checked > ShgTwin.SIZE / 3, "most calibration values must matter: " + checked);
    }
}
