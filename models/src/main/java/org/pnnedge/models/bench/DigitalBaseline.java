package org.pnnedge.models.bench;

import java.util.SplittableRandom;

import org.pnnedge.models.nn.Activation;
import org.pnnedge.models.nn.Adam;
import org.pnnedge.models.nn.Loss;
import org.pnnedge.models.nn.Mlp;
import org.pnnedge.models.nn.Shuffle;

/**
 * The digital ceiling: a classifier on the same normalised features with no physics at all. No hidden layer
 * gives multinomial logistic regression.
 *
 * @param hidden hidden widths (empty = logistic regression)
 * @param batch  samples per Adam step; 0 = full batch (one step per epoch). Large sets (MNIST: 8,000 × 784)
 *               need minibatches: a full batch both converges slowly and holds every activation at once
 */
public record DigitalBaseline(int[] hidden, int epochs, double learningRate, double weightDecay, long seed,
                              int batch) {
    public DigitalBaseline {
        if (epochs < 1 || !(learningRate > 0) || weightDecay < 0 || batch < 0) {
            throw new IllegalArgumentException("bad baseline settings: epochs=" + epochs + " lr=" + learningRate
                    + " weightDecay=" + weightDecay + " batch=" + batch);
        }
        hidden = hidden.clone();
    }

    public static DigitalBaseline logisticRegression(long seed) {
        return new DigitalBaseline(new int[0], 300, 0.05, 1e-3, seed, 0);
    }

    public static DigitalBaseline mlp(long seed) {
        return new DigitalBaseline(new int[] {32, 32}, 300, 0.01, 1e-3, seed, 0);
    }

    public String name() {
        return hidden.length == 0 ? "logistic regression" : "MLP " + java.util.Arrays.toString(hidden);
    }

    /** Trains on (zTrain, yTrain) and returns the accuracy on (zTest, yTest). */
    public double trainAndTest(double[][] zTrain, int[] yTrain, double[][] zTest, int[] yTest, int classes) {
        Mlp net = train(zTrain, yTrain, classes);
        return accuracy(net, zTest, yTest, classes);
    }

    /** Trains a network: full batch when {@link #batch} is 0, else shuffled minibatches (seeded) every epoch. */
    public Mlp train(double[][] zTrain, int[] yTrain, int classes) {
        int f = zTrain[0].length;
        int[] widths = new int[hidden.length + 2];
        widths[0] = f;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = classes;
        Mlp net = new Mlp(widths, Activation.TANH, Activation.IDENTITY, seed);
        int n = zTrain.length;
        int b = batch == 0 ? n : Math.min(batch, n);
        Mlp.Workspace ws = net.newWorkspace(b);
        Adam adam = new Adam(net, Adam.Options.defaults(learningRate).withWeightDecay(weightDecay));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] x = new double[b * f];
        int[] y = new int[b];
        double[] grad = new double[b * classes];
        for (int e = 0; e < epochs; e++) {
            if (b < n) {
                Shuffle.inPlace(order, rng);
            }
            for (int start = 0; start < n; start += b) {
                int m = Math.min(b, n - start);
                for (int i = 0; i < m; i++) {
                    System.arraycopy(zTrain[order[start + i]], 0, x, i * f, f);
                    y[i] = yTrain[order[start + i]];
                }
                ws.zeroGradients();
                double[] logits = net.forward(ws, x, m);
                Loss.softmaxCrossEntropy(logits, y, m, classes, grad);
                net.backward(ws, grad);
                adam.step(ws.gradients());
            }
        }
        return net;
    }

    /** Share of rows of {@code z} that {@code net} classifies as {@code y}, in chunks of 256 rows. */
    public static double accuracy(Mlp net, double[][] z, int[] y, int classes) {
        int f = z[0].length;
        int chunk = Math.min(256, z.length);
        Mlp.Workspace ws = net.newWorkspace(chunk);
        double[] x = new double[chunk * f];
        int[] labels = new int[chunk];
        int correct = 0;
        for (int start = 0; start < z.length; start += chunk) {
            int m = Math.min(chunk, z.length - start);
            for (int i = 0; i < m; i++) {
                System.arraycopy(z[start + i], 0, x, i * f, f);
                labels[i] = y[start + i];
            }
            correct += Loss.countCorrect(net.forward(ws, x, m), labels, m, classes);
        }
        return correct / (double) z.length;
    }
}
