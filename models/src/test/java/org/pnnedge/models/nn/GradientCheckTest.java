package org.pnnedge.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;
import org.pnnedge.models.testing.GradientCheck;

/** Central finite differences against the analytic backward pass, for every activation. */
class GradientCheckTest {

    private static final double H = 1e-5;
    private static final double TOL = 1e-6;

    /**
     * Relative error with a floor on the denominator: below |g| ≈ 1e-4 the finite difference itself is
     * only good to ≈ ε·|L|/h ≈ 1e-11 absolute, so a pure ratio would measure round-off, not bugs.
     */
    private static final GradientCheck.Tolerance TOLERANCE = GradientCheck.relative(TOL, 1e-4);

    /** L = Σ r·f(x) for fixed random r, so dL/dy = r. */
    static double lossOf(Mlp mlp, Mlp.Workspace ws, double[] x, int batch, double[] r) {
        double[] y = mlp.forward(ws, x, batch);
        double s = 0;
        for (int k = 0; k < batch * mlp.outputSize(); k++) {
            s += r[k] * y[k];
        }
        return s;
    }

    /** Asserts every parameter and input gradient against central differences. */
    static void check(Mlp mlp, double[] x, int batch, double[] r, boolean corrupt, String what) {
        Mlp.Workspace ws = mlp.newWorkspace(batch);
        ws.zeroGradients();
        mlp.forward(ws, x, batch);
        double[] dx = mlp.backward(ws, r).clone();
        List<double[]> params = mlp.parameters();
        List<double[]> grads = ws.gradients();
        if (corrupt) {
            grads.get(0)[1] *= 1.0 + 1e-4;
        }
        // copy the analytic gradients: forward passes below reuse the workspace but not the gradient arrays
        for (int k = 0; k < params.size(); k++) {
            double[] g = grads.get(k).clone();
            double[] num = GradientCheck.numericGradient(params.get(k), () -> lossOf(mlp, ws, x, batch, r), H);
            GradientCheck.assertGradient(what + ": parameter array " + k, g, num, TOLERANCE);
        }
        double[] num = GradientCheck.numericGradient(x, () -> lossOf(mlp, ws, x, batch, r), H);
        GradientCheck.assertGradient(what + ": input", dx, num, TOLERANCE);
    }

    static double[] uniform(SplittableRandom rnd, int n, double a) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble(-a, a);
        }
        return v;
    }

    static Mlp randomised(int[] widths, Activation act, long seed) {
        Mlp mlp = new Mlp(widths, act, act, seed);
        // non-zero biases so every bias path is exercised
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        for (int l = 0; l < mlp.numLayers(); l++) {
            double[] b = mlp.biases(l);
            for (int i = 0; i < b.length; i++) {
                b[i] = rnd.nextDouble(-0.5, 0.5);
            }
        }
        return mlp;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void parameterAndInputGradientsMatchFiniteDifferences(Activation act) {
        SplittableRandom rnd = new SplittableRandom(42);
        int batch = 3;
        Mlp mlp = randomised(new int[] {4, 7, 5, 3}, act, 7);
        double[] x = uniform(rnd, batch * 4, 1.5);
        double[] r = uniform(rnd, batch * 3, 1.0);
        check(mlp, x, batch, r, false, act.toString());
    }

    @Test
    void checkerDetectsASmallGradientError() {
        SplittableRandom rnd = new SplittableRandom(3);
        Mlp mlp = randomised(new int[] {3, 6, 2}, Activation.TANH, 11);
        double[] x = uniform(rnd, 2 * 3, 1.0);
        double[] r = uniform(rnd, 2 * 2, 1.0);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check(mlp, x, 2, r, true, "tanh"),
                "a 1e-4 relative corruption must be caught");
        assertTrue(e.getMessage().startsWith("tanh: parameter array 0[1]: analytic "), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativeMatchesFiniteDifference(Activation act) {
        for (double z = -6.05; z < 6; z += 0.1) { // step avoids relu's kink at 0
            double num = GradientCheck.centralDifference(act::apply, z, H);
            GradientCheck.assertDerivative(act + "' at " + z, act.derivative(z), num, TOLERANCE);
        }
        assertEquals(act, Activation.parse(act.id()));
    }

    @Test
    void activationsAreStableAtExtremes() {
        for (Activation a : Activation.values()) {
            for (double z : new double[] {-1000, -50, 50, 1000}) {
                assertTrue(Double.isFinite(a.apply(z)), a + "(" + z + ")");
                assertTrue(Double.isFinite(a.derivative(z)), a + "'(" + z + ")");
            }
        }
        assertEquals(1000.0, Activation.SOFTPLUS.apply(1000), 0.0);
        assertEquals(0.0, Activation.SIGMOID.apply(-1000), 0.0);
    }

    @Test
    void lossGradientsMatchFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(5);
        int batch = 4;
        int classes = 3;
        double[] logits = uniform(rnd, batch * classes, 3);
        double[] target = uniform(rnd, batch * classes, 1);
        int[] labels = {0, 2, 1, 2};
        double[] gMse = new double[batch * classes];
        double[] gCe = new double[batch * classes];
        Loss.mse(logits, target, batch, classes, gMse);
        Loss.softmaxCrossEntropy(logits, labels, batch, classes, gCe);
        GradientCheck.assertGradient("mse grad", gMse,
                GradientCheck.numericGradient(l -> Loss.mse(l, target, batch, classes, null), logits, H), TOLERANCE);
        GradientCheck.assertGradient("cross-entropy grad", gCe, GradientCheck.numericGradient(
                l -> Loss.softmaxCrossEntropy(l, labels, batch, classes, null), logits, H), TOLERANCE);
        // known value: uniform logits give log(classes)
        assertEquals(Math.log(3), Loss.softmaxCrossEntropy(new double[] {5, 5, 5}, new int[] {1}, 1, 3, null), 1e-15);
        // huge logits must not overflow
        assertEquals(0.0, Loss.softmaxCrossEntropy(new double[] {1000, -1000, 0}, new int[] {0}, 1, 3, null), 1e-12);
    }

    @Test
    void singleSampleVjpEqualsBatchedBackward() {
        SplittableRandom rnd = new SplittableRandom(9);
        Mlp mlp = randomised(new int[] {5, 16, 16, 3}, Activation.GELU, 1);
        int batch = 4;
        double[] x = uniform(rnd, batch * 5, 1);
        double[] r = uniform(rnd, batch * 3, 1);
        Mlp.Workspace ws = mlp.newWorkspace(batch);
        double[] yBatch = mlp.forward(ws, x, batch).clone();
        double[] dxBatch = mlp.backward(ws, r, false).clone();
        Mlp.Workspace one = mlp.newWorkspace(1);
        double[] xi = new double[5];
        double[] ri = new double[3];
        double[] dx = new double[5];
        double[] y = new double[3];
        for (int n = 0; n < batch; n++) {
            System.arraycopy(x, n * 5, xi, 0, 5);
            System.arraycopy(r, n * 3, ri, 0, 3);
            mlp.vjpInput(xi, ri, dx, y, one);
            for (int i = 0; i < 5; i++) {
                assertEquals(dxBatch[n * 5 + i], dx[i], 1e-14);
            }
            for (int j = 0; j < 3; j++) {
                assertEquals(yBatch[n * 3 + j], y[j], 1e-14);
            }
        }
    }
}
