package org.pnnedge.models.twin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

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
            for (int i = 0; i < 16; i++) {
                double save = x[i];
                x[i] = save + h;
                double lp = loss(t, x, th, w, ws);
                x[i] = save - h;
                double lm = loss(t, x, th, w, ws);
                x[i] = save;
                double fd = (lp - lm) / (2 * h);
                assertEquals(fd, dx[i], 1e-6 + 1e-4 * Math.abs(fd), "dL/dx[" + i + "]");
            }
            for (int i = 0; i < 32; i++) {
                double save = th[i];
                th[i] = save + h;
                double lp = loss(t, x, th, w, ws);
                th[i] = save - h;
                double lm = loss(t, x, th, w, ws);
                th[i] = save;
                double fd = (lp - lm) / (2 * h);
                assertEquals(fd, dth[i], 1e-6 + 1e-4 * Math.abs(fd), "dL/dθ[" + i + "]");
            }
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
        int checked = 0;
        for (int i = 0; i < c.length; i++) {
            double save = c[i];
            c[i] = save + h;
            double lp = loss(t, x, th, w, ws);
            c[i] = save - h;
            double lm = loss(t, x, th, w, ws);
            c[i] = save;
            double fd = (lp - lm) / (2 * h);
            assertEquals(fd, grad[i], 1e-7 + 1e-4 * Math.abs(fd), "dL/dc[" + i + "]");
            if (Math.abs(fd) > 1e-6) {
                checked++;
            }
        }
        assertTrue(checked > ShgTwin.SIZE / 3, "most calibration values must matter: " + checked);
    }
}
