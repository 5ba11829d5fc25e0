package org.pnnedge.models.twin;

import java.util.List;

/**
 * A twin whose calibration a fitter adjusts by gradient descent. The fitter works on a private copy and
 * publishes it when done, so a twin handed to a user never changes underneath them.
 */
public interface TrainableTwin extends Twin {
    /** Short type name stored in bundles: {@code shg-greybox}, {@code mlp}, {@code shg-greybox+mlp}. */
    String type();

    /** The calibration arrays (live: the optimiser updates them in place). */
    List<double[]> parameters();

    /** An independent deep copy. */
    TrainableTwin copy();

    /**
     * Like {@link #vjp}, and also adds dL/d(parameters) for the last forward pass on {@code ws} into the
     * workspace's gradient accumulators ({@link #gradients}).
     */
    void backward(double[] dy, double[] dx, double[] dTheta, Workspace ws);

    /** The gradient accumulators of a workspace, shaped like {@link #parameters()}. */
    List<double[]> gradients(Workspace ws);

    void zeroGradients(Workspace ws);

    /** Keeps calibration values physically meaningful after an optimiser step (e.g. non-negative gains). */
    default void project() {
    }

    /**
     * Data-driven starting levels before a fresh fit (rows {@code rows[0..n)} of normalised data).
     * Warm starts skip it.
     */
    default void initialise(double[][] x, double[][] theta, double[][] y, int[] rows, int n) {
    }
}
