package org.pnnedge.models.nn;

/**
 * Losses over row-major batches, returning the mean loss and (optionally) writing dL/d(prediction) into a
 * caller-supplied buffer so that training loops allocate nothing. Gradients are of the returned mean, so
 * they can be fed to {@link Mlp#backward} directly.
 */
public final class Loss {

    private Loss() {
    }

    /**
     * Mean squared error over all {@code batch * width} elements (PyTorch {@code MSELoss(reduction="mean")}).
     *
     * @param grad if non-null, receives dL/dpred = 2 (pred - target) / (batch·width)
     */
    public static double mse(double[] pred, double[] target, int batch, int width, double[] grad) {
        int m = batch * width;
        checkLength("pred", pred, m);
        checkLength("target", target, m);
        if (grad != null) {
            checkLength("grad", grad, m);
        }
        double sum = 0.0;
        double scale = 2.0 / m;
        for (int k = 0; k < m; k++) {
            double d = pred[k] - target[k];
            sum += d * d;
            if (grad != null) {
                grad[k] = scale * d;
            }
        }
        return sum / m;
    }

    /**
     * Mean softmax cross-entropy of logits against integer labels, computed with the log-sum-exp shift.
     *
     * @param logits row-major batch × classes
     * @param labels class index per sample, 0 … classes-1
     * @param grad   if non-null, receives (softmax - onehot) / batch
     */
    public static double softmaxCrossEntropy(double[] logits, int[] labels, int batch, int classes, double[] grad) {
        int m = batch * classes;
        checkLength("logits", logits, m);
        if (labels.length < batch) {
            throw new IllegalArgumentException("labels has " + labels.length + " values, need " + batch);
        }
        if (grad != null) {
            checkLength("grad", grad, m);
        }
        double total = 0.0;
        double inv = 1.0 / batch;
        for (int n = 0; n < batch; n++) {
            int r = n * classes;
            int y = labels[n];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " of sample " + n + " outside 0.." + (classes - 1));
            }
            double max = logits[r];
            for (int c = 1; c < classes; c++) {
                max = Math.max(max, logits[r + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[r + c] - max);
            }
            double logZ = max + Math.log(sum);
            total += logZ - logits[r + y];
            if (grad != null) {
                for (int c = 0; c < classes; c++) {
                    grad[r + c] = Math.exp(logits[r + c] - logZ) * inv;
                }
                grad[r + y] -= inv;
            }
        }
        return total * inv;
    }

    /** Softmax of each row of {@code logits} into {@code probs} (may be the same array). */
    public static void softmax(double[] logits, double[] probs, int batch, int classes) {
        for (int n = 0; n < batch; n++) {
            int r = n * classes;
            double max = logits[r];
            for (int c = 1; c < classes; c++) {
                max = Math.max(max, logits[r + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(logits[r + c] - max);
                probs[r + c] = e;
                sum += e;
            }
            double inv = 1.0 / sum;
            for (int c = 0; c < classes; c++) {
                probs[r + c] *= inv;
            }
        }
    }

    /** Index of the largest value in row {@code n} (ties: lowest index). */
    public static int argmax(double[] scores, int n, int classes) {
        int r = n * classes;
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (scores[r + c] > scores[r + best]) {
                best = c;
            }
        }
        return best;
    }

    /** Number of rows whose argmax equals the label. */
    public static int countCorrect(double[] scores, int[] labels, int batch, int classes) {
        int ok = 0;
        for (int n = 0; n < batch; n++) {
            if (argmax(scores, n, classes) == labels[n]) {
                ok++;
            }
        }
        return ok;
    }

    private static void checkLength(String what, double[] a, int need) {
        if (a.length < need) {
            throw new IllegalArgumentException(what + " has " + a.length + " values, need " + need);
        }
    }
}
