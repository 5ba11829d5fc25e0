package org.pnnedge.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** End-to-end: the pieces train real models to good accuracy, deterministically. */
class TrainingTest {

    /** Smooth 3-input target of the kind a device twin must learn. */
    static double target(double a, double b, double c) {
        return Math.sin(2 * a) * Math.cos(b) + 0.5 * b * c;
    }

    record Regression(double[] x, double[] y, int n) {
    }

    static Regression regressionData(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[3 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double a = rnd.nextDouble(-1, 1);
            double b = rnd.nextDouble(-1, 1);
            double c = rnd.nextDouble(-1, 1);
            x[3 * i] = a;
            x[3 * i + 1] = b;
            x[3 * i + 2] = c;
            y[i] = target(a, b, c);
        }
        return new Regression(x, y, n);
    }

    /** Mini-batch Adam on MSE; returns the final parameters' test MSE. */
    static double fitSmoothFunction(long seed) {
        Regression train = regressionData(2048, 1);
        Regression test = regressionData(512, 2);
        Mlp mlp = new Mlp(new int[] {3, 32, 32, 1}, Activation.TANH, Activation.IDENTITY, seed);
        int batch = 64;
        int epochs = 60;
        int steps = epochs * train.n() / batch;
        Adam adam = new Adam(mlp, Adam.Options.defaults(1e-2)).schedule(LrSchedule.cosine(1e-2, 1e-4, 50, steps));
        Mlp.Workspace ws = mlp.newWorkspace(batch);
        double[] xb = new double[batch * 3];
        double[] yb = new double[batch];
        double[] dy = new double[batch];
        int[] order = new int[train.n()];
        Arrays.setAll(order, i -> i);
        SplittableRandom shuffle = new SplittableRandom(seed);
        for (int e = 0; e < epochs; e++) {
            shuffle(order, shuffle);
            for (int s = 0; s + batch <= train.n(); s += batch) {
                for (int k = 0; k < batch; k++) {
                    int i = order[s + k];
                    System.arraycopy(train.x(), 3 * i, xb, 3 * k, 3);
                    yb[k] = train.y()[i];
                }
                ws.zeroGradients();
                double[] out = mlp.forward(ws, xb, batch);
                Loss.mse(out, yb, batch, 1, dy);
                mlp.backward(ws, dy);
                adam.step(ws.gradients());
            }
        }
        Mlp.Workspace big = mlp.newWorkspace(test.n());
        return Loss.mse(mlp.forward(big, test.x(), test.n()), test.y(), test.n(), 1, null);
    }

    static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @Test
    void mlpFitsSmoothFunctionOfThreeInputs() {
        Regression test = regressionData(512, 2);
        double variance = Loss.mse(test.y(), new double[test.n()], test.n(), 1, null); // mean y² ≈ variance
        double mse = fitSmoothFunction(123);
        // ≈ 0.3 % of the target's mean square (R² > 0.997)
        assertTrue(mse < 1.5e-3, "test MSE " + mse + " (target mean square " + variance + ")");
    }

    @Test
    void trainingIsBitwiseDeterministicForASeed() {
        assertEquals(Double.doubleToLongBits(fitSmoothFunctionShort(5)), Double.doubleToLongBits(fitSmoothFunctionShort(5)));
        Mlp a = new Mlp(new int[] {4, 8, 2}, Activation.SILU, Activation.IDENTITY, 99);
        Mlp b = new Mlp(new int[] {4, 8, 2}, Activation.SILU, Activation.IDENTITY, 99);
        Mlp c = new Mlp(new int[] {4, 8, 2}, Activation.SILU, Activation.IDENTITY, 100);
        for (int l = 0; l < a.numLayers(); l++) {
            assertArrayEquals(a.weights(l), b.weights(l), 0.0);
        }
        assertFalse(Arrays.equals(a.weights(0), c.weights(0)), "different seeds must give different weights");
    }

    /** A cheaper variant for the determinism check. */
    static double fitSmoothFunctionShort(long seed) {
        Regression train = regressionData(256, 1);
        Mlp mlp = new Mlp(new int[] {3, 16, 1}, Activation.GELU, Activation.IDENTITY, seed);
        Adam adam = new Adam(mlp, Adam.Options.defaults(1e-2).withWeightDecay(1e-3).withMaxGradNorm(1.0));
        Mlp.Workspace ws = mlp.newWorkspace(train.n());
        double[] dy = new double[train.n()];
        double loss = 0;
        for (int s = 0; s < 50; s++) {
            ws.zeroGradients();
            loss = Loss.mse(mlp.forward(ws, train.x(), train.n()), train.y(), train.n(), 1, dy);
            mlp.backward(ws, dy);
            adam.step(ws.gradients());
        }
        return loss;
    }

    record Classification(double[] x, int[] y, int n) {
    }

    /** Three well-separated Gaussian blobs in 2-D. */
    static Classification blobs(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] centres = {{-2, 0}, {2, 0}, {0, 2.5}};
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            x[2 * i] = centres[c][0] + 0.6 * gauss(rnd);
            x[2 * i + 1] = centres[c][1] + 0.6 * gauss(rnd);
        }
        return new Classification(x, y, n);
    }

    /** Three concentric rings: not linearly separable, needs a hidden layer. */
    static Classification rings(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            double r = 0.5 + c + 0.12 * gauss(rnd);
            double phi = rnd.nextDouble(0, 2 * Math.PI);
            y[i] = c;
            x[2 * i] = r * Math.cos(phi);
            x[2 * i + 1] = r * Math.sin(phi);
        }
        return new Classification(x, y, n);
    }

    static double gauss(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    static double trainClassifier(Mlp mlp, Classification train, Classification test, int steps, double lr) {
        Adam adam = new Adam(mlp, Adam.Options.defaults(lr));
        Mlp.Workspace ws = mlp.newWorkspace(Math.max(train.n(), test.n()));
        double[] dy = new double[train.n() * 3];
        double first = Double.NaN;
        double last = Double.NaN;
        for (int s = 0; s < steps; s++) {
            ws.zeroGradients();
            last = Loss.softmaxCrossEntropy(mlp.forward(ws, train.x(), train.n()), train.y(), train.n(), 3, dy);
            if (s == 0) {
                first = last;
            }
            mlp.backward(ws, dy);
            adam.step(ws.gradients());
        }
        assertTrue(last < first, "loss must decrease: " + first + " -> " + last);
        double[] scores = mlp.forward(ws, test.x(), test.n());
        return (double) Loss.countCorrect(scores, test.y(), test.n(), 3) / test.n();
    }

    @Test
    void logisticRegressionSeparatesThreeBlobs() {
        double acc = trainClassifier(Mlp.linear(2, 3, 1), blobs(600, 1), blobs(600, 2), 300, 0.05);
        assertTrue(acc > 0.97, "accuracy " + acc);
    }

    @Test
    void smallMlpClassifiesRingsThatLogisticRegressionCannot() {
        double mlpAcc = trainClassifier(new Mlp(new int[] {2, 32, 3}, Activation.RELU, Activation.IDENTITY, 4),
                rings(600, 1), rings(600, 2), 600, 0.02);
        double linAcc = trainClassifier(Mlp.linear(2, 3, 1), rings(600, 1), rings(600, 2), 300, 0.05);
        assertTrue(mlpAcc > 0.95, "MLP accuracy " + mlpAcc);
        assertTrue(linAcc < 0.6, "a linear model should fail on rings, got " + linAcc);
    }

    @Test
    void adamWithDecayMaskAndClipping() {
        // minimise ½|p - 3|² on two arrays; decayed array ends below 3, undecayed reaches 3
        double[] w = {0, 0};
        double[] b = {0};
        double[] gw = new double[2];
        double[] gb = new double[1];
        Adam adam = new Adam(java.util.List.of(w, b), Adam.Options.defaults(0.05).withWeightDecay(0.1).withMaxGradNorm(1.0),
                new boolean[] {true, false});
        double firstNorm = 0;
        for (int s = 0; s < 3000; s++) {
            for (int i = 0; i < 2; i++) {
                gw[i] = w[i] - 3;
            }
            gb[0] = b[0] - 3;
            double norm = adam.step(java.util.List.of(gw, gb));
            if (s == 0) {
                firstNorm = norm;
            }
        }
        assertEquals(Math.sqrt(27), firstNorm, 1e-12, "step returns the unclipped norm");
        assertEquals(3.0, b[0], 1e-3);
        assertTrue(w[0] < 2.999 && w[0] > 2.9, "decayed weight " + w[0]); // pulled below the optimum by decay
        assertEquals(3000, adam.steps());
    }

    @Test
    void schedules() {
        LrSchedule cos = LrSchedule.cosine(1.0, 0.1, 10, 110);
        assertEquals(0.1, cos.at(0), 1e-12);
        assertEquals(1.0, cos.at(9), 1e-12);
        assertEquals(1.0, cos.at(10), 1e-12);
        assertEquals(0.55, cos.at(60), 1e-12);
        assertEquals(0.1, cos.at(500), 1e-12);
        LrSchedule st = LrSchedule.stepDecay(1.0, 0.5, 100);
        assertEquals(1.0, st.at(99), 0);
        assertEquals(0.25, st.at(200), 0);
    }
}
