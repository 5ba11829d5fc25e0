package org.pnnedge.models.pnn;

import java.util.Arrays;

import org.pnnedge.models.twin.Twin;

/**
 * One forward pass of a batch through a PNN (on the device or a twin) and the physics-aware backward pass through
 * a twin's vector-Jacobian product evaluated at the measured layer inputs (Wright et al. 2022, "physics-aware
 * training"). The equations are in {@link PnnParameters} and models.md. Buffers are sized once for the largest
 * batch; forward and backward allocate nothing.
 *
 * <p>Sample b's channel j of a layer is input k = j mod I of shot row b·G + j / I, G = {@link PnnArchitecture#groups()}:
 * every layer runs as one batch of n·G shots.
 */
final class PnnPass {
    /** Common-mode divisors below this are held here (an all-dark shot would otherwise divide noise by ~0). */
    static final double MIN_COMMON_MODE = 2e-3;

    final PnnArchitecture arch;
    final int maxBatch;
    final double[][][] u;      // [layer][sample][W] before range keeping
    final double[][][] xq;     // [layer][sample][W] what the device received, code / maxDac
    final int[][][] codes;     // [layer][shot row][I]
    final double[][][] y;      // [layer][shot row][O] measured, code / maxAdc
    final double[][][] yh;     // [layer][sample][W'] normalised outputs (= y without normalisation)
    final double[][] cm;       // [layer][shot row] common-mode divisor used (NaN when it was held at the floor)
    final double[][] logits;   // [sample][class]
    final int[][] thetaCodes;  // [layer][param]
    final double[][] thetaQ;   // [layer][param] code / maxDac
    private final int groups;
    private final int in;
    private final int out;
    private final double[][] dyh;    // [sample][W'] dL/dŷ of the layer being differentiated
    private final double[][] carry;  // [sample][W] dL/dx of that layer's input arriving through the next skip
    private final double[] dyRaw;
    private final double[] dx;
    private final double[] dxg;
    private final double[] dTheta;
    private final double[] xs;
    private final double[] scratch;

    PnnPass(PnnArchitecture arch, int maxBatch) {
        this.arch = arch;
        this.maxBatch = maxBatch;
        int l = arch.layers();
        groups = arch.groups();
        in = arch.inputs();
        out = arch.outputs();
        int rows = maxBatch * groups;
        u = new double[l][maxBatch][arch.width()];
        xq = new double[l][maxBatch][arch.width()];
        codes = new int[l][rows][in];
        y = new double[l][rows][out];
        yh = new double[l][maxBatch][arch.outWidth()];
        cm = new double[l][rows];
        logits = new double[maxBatch][arch.classes()];
        thetaCodes = new int[l][arch.params()];
        thetaQ = new double[l][arch.params()];
        dyh = new double[maxBatch][arch.outWidth()];
        carry = new double[maxBatch][arch.width()];
        dyRaw = new double[out];
        dx = new double[arch.width()];
        dxg = new double[in];
        dTheta = new double[arch.params()];
        xs = new double[in];
        scratch = new double[out];
    }

    /** Forward pass of {@code n} normalised feature rows {@code z} through {@code layers}. */
    void forward(PnnParameters p, double[][] z, int n, PhysicalLayers layers) {
        int maxDac = layers.maxDac();
        LayerOps.RangeKeeping range = arch.ops().range();
        int w = arch.width();
        for (int l = 0; l < arch.layers(); l++) {
            for (int i = 0; i < arch.params(); i++) {
                int c = (int) Math.round(Math.min(1, Math.max(0, p.theta[l][i])) * maxDac);
                thetaCodes[l][i] = c;
                thetaQ[l][i] = c / (double) maxDac;
            }
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < w; j++) {
                    double v = preActivation(p, l, b, j, z);
                    u[l][b][j] = v;
                    int c = (int) Math.round(range.apply(v) * maxDac);
                    codes[l][b * groups + j / in][j % in] = c;
                    xq[l][b][j] = c / (double) maxDac;
                }
            }
            layers.run(l, thetaCodes[l], codes[l], n * groups, y[l]);
            normalise(p, l, n);
        }
        readout(p, n);
    }

    private double preActivation(PnnParameters p, int l, int b, int j, double[][] z) {
        if (l == 0) {
            int f = arch.features();
            if (arch.hybrid()) {
                double s = p.offset[0][j];
                double[] g = p.gain[0];
                double[] zb = z[b];
                int base = j * f;
                double acc = 0;
                for (int i = 0; i < f; i++) {
                    acc += g[base + i] * zb[i];
                }
                return s + acc * p.projectionFactor;
            }
            double src = j < f ? (z[b][j] - p.shift[0][j]) * p.scale[0][j] : 0.0;
            return p.gain[0][j] * src + p.offset[0][j];
        }
        return p.gain[l][j] * (yh[l - 1][b][j] - p.shift[l][j]) * p.scale[l][j] + p.offset[l][j]
                + p.skip[l][j] * (xq[l - 1][b][j] - 0.5);
    }

    private void normalise(PnnParameters p, int l, int n) {
        boolean common = arch.ops().norm() == LayerOps.OutputNorm.COMMON_MODE;
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < groups; g++) {
                int r = b * groups + g;
                double[] yr = y[l][r];
                double[] dst = yh[l][b];
                int base = g * out;
                if (!common) {
                    System.arraycopy(yr, 0, dst, base, out);
                    continue;
                }
                double m = 0;
                for (int k = 0; k < out; k++) {
                    m += yr[k] - p.dark[k];
                }
                m /= out;
                boolean floor = !(m > MIN_COMMON_MODE);
                double div = floor ? MIN_COMMON_MODE : m;
                cm[l][r] = floor ? Double.NaN : m;
                for (int k = 0; k < out; k++) {
                    dst[base + k] = (yr[k] - p.dark[k]) / div;
                }
            }
        }
    }

    private void readout(PnnParameters p, int n) {
        double[][] last = yh[arch.layers() - 1];
        int wo = arch.outWidth();
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < arch.classes(); c++) {
                double s = p.readOffset[c];
                if (arch.hybrid()) {
                    int base = c * wo;
                    double acc = 0;
                    for (int j = 0; j < wo; j++) {
                        acc += p.readGain[base + j] * (last[b][j] - p.readShift[j]) * p.readScale[j];
                    }
                    s += acc * p.readoutFactor;
                } else {
                    s += p.readGain[c] * (last[b][arch.classChannel(c)] - p.readShift[c]) * p.readScale[c];
                }
                logits[b][c] = s;
            }
        }
    }

    /**
     * Softmax cross-entropy of the last forward pass plus the out-of-range penalty; fills {@code g} (a gradient
     * holder of {@link PnnParameters#zerosLike()}) using the twin's VJP at the measured points.
     *
     * @return the mean cross-entropy (without penalty)
     */
    double backward(PnnParameters p, double[][] z, int[] labels, int n, Twin twin, Twin.Workspace ws,
                    double rangePenalty, PnnParameters g) {
        g.zero();
        double loss = 0;
        double inv = 1.0 / n;
        int wo = arch.outWidth();
        double[][] last = yh[arch.layers() - 1];
        for (int b = 0; b < n; b++) {
            Arrays.fill(dyh[b], 0, wo, 0);
            Arrays.fill(carry[b], 0);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits[b]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : logits[b]) {
                sum += Math.exp(v - max);
            }
            loss += -(logits[b][labels[b]] - max - Math.log(sum));
            for (int c = 0; c < arch.classes(); c++) {
                double dl = (Math.exp(logits[b][c] - max) / sum - (c == labels[b] ? 1 : 0)) * inv;
                g.readOffset[c] += dl;
                if (arch.hybrid()) {
                    int base = c * wo;
                    double dlf = dl * p.readoutFactor;
                    for (int j = 0; j < wo; j++) {
                        g.readGain[base + j] += dlf * (last[b][j] - p.readShift[j]) * p.readScale[j];
                        dyh[b][j] += dlf * p.readGain[base + j] * p.readScale[j];
                    }
                } else {
                    int ch = arch.classChannel(c);
                    g.readGain[c] += dl * (last[b][ch] - p.readShift[c]) * p.readScale[c];
                    dyh[b][ch] += dl * p.readGain[c] * p.readScale[c];
                }
            }
        }
        for (int l = arch.layers() - 1; l >= 0; l--) {
            for (int b = 0; b < n; b++) {
                throughDevice(p, l, b, twin, ws, g);
                throughDigital(p, l, b, z, rangePenalty * inv, g);
            }
        }
        return loss * inv;
    }

    /** dL/dŷ of sample b → dL/dy (normalisation) → the twin's VJP at the measured input → dx (+ skip carry). */
    private void throughDevice(PnnParameters p, int l, int b, Twin twin, Twin.Workspace ws, PnnParameters g) {
        boolean common = arch.ops().norm() == LayerOps.OutputNorm.COMMON_MODE;
        for (int gr = 0; gr < groups; gr++) {
            int r = b * groups + gr;
            int base = gr * out;
            if (common) {
                double m = cm[l][r];
                boolean floor = Double.isNaN(m);
                double div = floor ? MIN_COMMON_MODE : m;
                double s = 0;
                if (!floor) {
                    for (int k = 0; k < out; k++) {
                        s += dyh[b][base + k] * yh[l][b][base + k];
                    }
                    s /= out;
                }
                for (int k = 0; k < out; k++) {
                    dyRaw[k] = (dyh[b][base + k] - s) / div;
                }
            } else {
                System.arraycopy(dyh[b], base, dyRaw, 0, out);
            }
            System.arraycopy(xq[l][b], gr * in, xs, 0, in);
            twin.forward(xs, thetaQ[l], scratch, ws); // the twin's Jacobian at what the device actually received
            twin.vjp(dyRaw, dxg, dTheta, ws);
            double[] gt = g.theta[l];
            for (int i = 0; i < dTheta.length; i++) {
                gt[i] += dTheta[i];
            }
            for (int k = 0; k < in; k++) {
                dx[gr * in + k] = dxg[k] + carry[b][gr * in + k];
            }
        }
    }

    /** dx → range keeping (+ penalty) → the element-wise operation's parameters and dL/dŷ, dL/dx of layer l−1. */
    private void throughDigital(PnnParameters p, int l, int b, double[][] z, double penalty, PnnParameters g) {
        LayerOps.RangeKeeping range = arch.ops().range();
        int f = arch.features();
        for (int j = 0; j < arch.width(); j++) {
            double pre = u[l][b][j];
            double excess = pre < 0 ? pre : pre > 1 ? pre - 1 : 0.0;
            double d = dx[j] * range.slope(pre) + 2 * penalty * excess;
            g.offset[l][j] += d;
            if (l == 0) {
                if (arch.hybrid()) {
                    double[] gg = g.gain[0];
                    double[] zb = z[b];
                    int base = j * f;
                    double df = d * p.projectionFactor;
                    for (int i = 0; i < f; i++) {
                        gg[base + i] += df * zb[i];
                    }
                } else if (j < f) {
                    g.gain[0][j] += d * (z[b][j] - p.shift[0][j]) * p.scale[0][j];
                }
                continue;
            }
            g.gain[l][j] += d * (yh[l - 1][b][j] - p.shift[l][j]) * p.scale[l][j];
            if (p.trainsSkip(l)) {
                g.skip[l][j] += d * (xq[l - 1][b][j] - 0.5);
            }
            dyh[b][j] = d * p.gain[l][j] * p.scale[l][j];
            carry[b][j] = d * p.skip[l][j];
        }
    }

    /** Mean softmax cross-entropy of the last forward pass over its first {@code n} samples. */
    double meanCrossEntropy(int[] labels, int n) {
        double ce = 0;
        for (int b = 0; b < n; b++) {
            double[] lg = logits[b];
            double max = Double.NEGATIVE_INFINITY;
            for (double v : lg) {
                max = Math.max(max, v);
            }
            double s = 0;
            for (double v : lg) {
                s += Math.exp(v - max);
            }
            ce += Math.log(s) + max - lg[labels[b]];
        }
        return ce / n;
    }

    /** Count of correct argmax predictions in the last forward pass. */
    int correct(int[] labels, int n) {
        int ok = 0;
        for (int b = 0; b < n; b++) {
            if (argmax(logits[b]) == labels[b]) {
                ok++;
            }
        }
        return ok;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
