package org.pnnedge.runtime.service;

/**
 * The result of one inference, reused between calls (the hot path allocates nothing).
 * Not thread-safe; copy what you keep.
 */
public final class Prediction {
    int label;
    double confidence;
    final double[] logits;
    final double[] probabilities;
    long latencyNanos;

    Prediction(int classes) {
        logits = new double[classes];
        probabilities = new double[classes];
    }

    /** Index of the predicted class (argmax of the logits). */
    public int label() {
        return label;
    }

    /** Softmax probability of the predicted class. */
    public double confidence() {
        return confidence;
    }

    /** Live view of the logits (valid until the next inference). */
    public double[] logits() {
        return logits;
    }

    public double[] probabilities() {
        return probabilities;
    }

    /** Wall time of the inference including device time. */
    public long latencyNanos() {
        return latencyNanos;
    }
}
