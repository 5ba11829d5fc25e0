package org.pnnedge.models.bench;

import org.pnnedge.models.nn.Activation;
import org.pnnedge.models.nn.Adam;
import org.pnnedge.models.nn.Loss;
import org.pnnedge.models.nn.Mlp;

/**
 * The digital ceiling: a classifier on the same normalised features with no physics at all. No hidden layer
 * gives multinomial logistic regression.
 *
 * @param hidden hidden widths (empty = logistic regression)
 */
public record DigitalBaseline(int[] hidden, int epochs, double learningRate, double weightDecay, long seed) {
    public static DigitalBaseline logisticRegression(long seed) {
        return new DigitalBaseline(new int[0], 300, 0.05, 1e-3, seed);
    }

    public static DigitalBaseline mlp(long seed) {
        return new DigitalBaseline(new int[] {32, 32}, 300, 0.01, 1e-3, seed);
    }

    public String name() {
        return hidden.length == 0 ? "logistic regression" : "MLP " + java.util.Arrays.toString(hidden);
    }

    /** Trains on (zTrain, yTrain) full-batch and returns the accuracy on (zTest, yTest). */
    public double trainAndTest(double[][] zTrain, int[] yTrain, double[][] zTest, int[] yTest, int classes) {
        int f = zTrain[0].length;
        int[] widths = new int[hidden.length + 2];
        widths[0] = f;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = classes;
        Mlp net = new Mlp(widths, Activation.TANH, Activation.IDENTITY, seed);
        int n = zTrain.length;
        Mlp.Workspace ws = net.newWorkspace(Math.max(n, zTest.length));
        Adam adam = new Adam(net, Adam.Options.defaults(learningRate).withWeightDecay(weightDecay));
        double[] x = flatten(zTrain);
        double[] grad = new double[n * classes];
        for (int e = 0; e < epochs; e++) {
            ws.zeroGradients();
            double[] logits = net.forward(ws, x, n);
            Loss.softmaxCrossEntropy(logits, yTrain, n, classes, grad);
            net.backward(ws, grad);
            adam.step(ws.gradients());
        }
        double[] logits = net.forward(ws, flatten(zTest), zTest.length);
        return Loss.countCorrect(logits, yTest, zTest.length, classes) / (double) zTest.length;
    }

    private static double[] flatten(double[][] m) {
        int w = m[0].length;
        double[] x = new double[m.length * w];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, x, i * w, w);
        }
        return x;
    }
}
