package org.pnnedge.models.nn;

import java.util.List;

/**
 * Adam / AdamW (decoupled weight decay, Loshchilov &amp; Hutter) over a fixed list of parameter arrays,
 * with optional clipping of the gradient's global L2 norm. Moment buffers are allocated once; {@link #step}
 * allocates nothing.
 *
 * <p>Typical loop: {@code ws.zeroGradients(); … mlp.backward(ws, dy); adam.step(ws.gradients());}
 */
public final class Adam {

    /**
     * @param learningRate  step size (overridden per step when a schedule is set)
     * @param beta1         first-moment decay, e.g. 0.9
     * @param beta2         second-moment decay, e.g. 0.999
     * @param epsilon       denominator guard, e.g. 1e-8
     * @param weightDecay   decoupled decay coefficient λ (θ ← θ − lr·λ·θ); 0 for plain Adam
     * @param maxGradNorm   clip the global gradient norm to this; ≤ 0 or infinite disables clipping
     */
    public record Options(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                          double maxGradNorm) {
        public Options {
            if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)
                    || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("bad Adam options: " + this);
            }
        }

        public static Options defaults(double learningRate) {
            return new Options(learningRate, 0.9, 0.999, 1e-8, 0.0, 0.0);
        }

        public Options withWeightDecay(double wd) {
            return new Options(learningRate, beta1, beta2, epsilon, wd, maxGradNorm);
        }

        public Options withMaxGradNorm(double max) {
            return new Options(learningRate, beta1, beta2, epsilon, weightDecay, max);
        }
    }

    private final double[][] params;
    private final boolean[] decay;
    private final double[][] m;
    private final double[][] v;
    private final Options options;
    private LrSchedule schedule;
    private final double lr;
    private int t;

    /** Weight decay (if any) applies to every array. */
    public Adam(List<double[]> params, Options options) {
        this(params, options, null);
    }

    /** For an MLP: biases are not decayed. */
    public Adam(Mlp mlp, Options options) {
        this(mlp.parameters(), options, mlp.weightDecayMask());
    }

    /**
     * @param decayMask per array whether weight decay applies; null means all
     */
    public Adam(List<double[]> params, Options options, boolean[] decayMask) {
        this.params = params.toArray(new double[0][]);
        this.options = options;
        this.lr = options.learningRate();
        if (decayMask != null && decayMask.length != this.params.length) {
            throw new IllegalArgumentException("decay mask has " + decayMask.length + " entries for " + this.params.length + " arrays");
        }
        this.decay = new boolean[this.params.length];
        this.m = new double[this.params.length][];
        this.v = new double[this.params.length][];
        for (int k = 0; k < this.params.length; k++) {
            decay[k] = decayMask == null || decayMask[k];
            m[k] = new double[this.params[k].length];
            v[k] = new double[this.params[k].length];
        }
    }

    /** Sets a schedule consulted at every step (replaces the fixed learning rate). */
    public Adam schedule(LrSchedule s) {
        this.schedule = s;
        return this;
    }

    /** Learning rate the next step will use. */
    public double learningRate() {
        return schedule != null ? schedule.at(t) : lr;
    }

    /** Steps taken so far. */
    public int steps() {
        return t;
    }

    public Options options() {
        return options;
    }

    /**
     * One update. {@code grads} must match the parameter list array by array. Gradients are read, not
     * modified (clipping is applied as a scale factor).
     *
     * @return the global gradient L2 norm before clipping (handy for logging divergence)
     */
    public double step(List<double[]> grads) {
        int n = params.length;
        if (grads.size() != n) {
            throw new IllegalArgumentException("got " + grads.size() + " gradient arrays for " + n + " parameter arrays");
        }
        double sq = 0.0;
        for (int k = 0; k < n; k++) {
            double[] g = grads.get(k);
            if (g.length != params[k].length) {
                throw new IllegalArgumentException("gradient " + k + " has " + g.length + " values, parameter has " + params[k].length);
            }
            for (double x : g) {
                sq += x * x;
            }
        }
        double norm = Math.sqrt(sq);
        double scale = 1.0;
        double max = options.maxGradNorm();
        if (max > 0 && Double.isFinite(max) && norm > max) {
            scale = max / norm;
        }
        double rate = learningRate();
        t++;
        double b1 = options.beta1();
        double b2 = options.beta2();
        double eps = options.epsilon();
        double bc1 = 1.0 - Math.pow(b1, t);
        double bc2 = 1.0 - Math.pow(b2, t);
        double stepSize = rate / bc1;
        double invSqrtBc2 = 1.0 / Math.sqrt(bc2);
        double wd = options.weightDecay();
        for (int k = 0; k < n; k++) {
            double[] p = params[k];
            double[] g = grads.get(k);
            double[] mk = m[k];
            double[] vk = v[k];
            double shrink = decay[k] ? 1.0 - rate * wd : 1.0;
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] * scale;
                double mi = b1 * mk[i] + (1.0 - b1) * gi;
                double vi = b2 * vk[i] + (1.0 - b2) * gi * gi;
                mk[i] = mi;
                vk[i] = vi;
                p[i] = p[i] * shrink - stepSize * mi / (Math.sqrt(vi) * invSqrtBc2 + eps);
            }
        }
        return norm;
    }

    /** Clears moments and the step counter (e.g. when training restarts on new data). */
    public void reset() {
        t = 0;
        for (int k = 0; k < params.length; k++) {
            java.util.Arrays.fill(m[k], 0.0);
            java.util.Arrays.fill(v[k], 0.0);
        }
    }
}
