package org.pnnedge.models.pnn;

import java.util.List;

import org.pnnedge.models.twin.Twin;

/**
 * One forward pass of a batch through a PNN (on the device or a twin) and the physics-aware backward pass
 * through a twin's vector-Jacobian product evaluated at the measured layer inputs (Wright et al. 2022,
 * "physics-aware training"). Buffers are sized once for the largest batch.
 */
final class PnnPass {
    final PnnArchitecture arch;
    final int maxBatch;
    final double[][][] xPre;   // [layer][sample][input] before clamping
    final double[][][] xq;     // [layer][sample][input] what the device received, code / maxDac
    final int[][][] codes;     // [layer][sample][input]
    final double[][][] y;      // [layer][sample][output]
    final double[][] logits;   // [sample][class]
    final int[][] thetaCodes;  // [layer][param]
    final double[][] thetaQ;   // [layer][param] code / maxDac
    private final double[][] dy;
    private final double[] dx;
    private final double[] dTheta;
    private final double[] scratch;

    PnnPass(PnnArchitecture arch, int maxBatch) {
        this.arch = arch;
        this.maxBatch = maxBatch;
        int l = arch.layers();
        xPre = new double[l][maxBatch][arch.inputs()];
        xq = new double[l][maxBatch][arch.inputs()];
        codes = new int[l][maxBatch][arch.inputs()];
        y = new double[l][maxBatch][arch.outputs()];
        logits = new double[maxBatch][arch.classes()];
        thetaCodes = new int[l][arch.params()];
        thetaQ = new double[l][arch.params()];
        dy = new double[maxBatch][arch.outputs()];
        dx = new double[arch.inputs()];
        dTheta = new double[arch.params()];
        scratch = new double[arch.outputs()];
    }

    /** Forward pass of {@code n} normalised feature rows {@code z} through {@code layers}. */
    void forward(PnnParameters p, double[][] z, int n, PhysicalLayers layers) {
        int maxDac = layers.maxDac();
        for (int l = 0; l < arch.layers(); l++) {
            for (int i = 0; i < arch.params(); i++) {
                int c = (int) Math.round(Math.min(1, Math.max(0, p.theta[l][i])) * maxDac);
                thetaCodes[l][i] = c;
                thetaQ[l][i] = c / (double) maxDac;
            }
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < arch.inputs(); k++) {
                    double src = source(l, b, k, z);
                    double v = p.gain[l][k] * (src - p.shift[l][k]) * p.scale[l][k] + p.offset[l][k];
                    xPre[l][b][k] = v;
                    int c = (int) Math.round(Math.min(1, Math.max(0, v)) * maxDac);
                    codes[l][b][k] = c;
                    xq[l][b][k] = c / (double) maxDac;
                }
            }
            layers.run(l, thetaCodes[l], codes[l], n, y[l]);
        }
        int last = arch.layers() - 1;
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < arch.classes(); c++) {
                double v = (y[last][b][arch.classChannel(c)] - p.readShift[c]) * p.readScale[c];
                logits[b][c] = p.readGain[c] * v + p.readOffset[c];
            }
        }
    }

    private double source(int l, int b, int k, double[][] z) {
        if (l == 0) {
            return k < arch.features() ? z[b][k] : 0.0;
        }
        return y[l - 1][b][k];
    }

    /**
     * Softmax cross-entropy of the last forward pass plus the out-of-range penalty; fills gradients (in the
     * order of {@link PnnParameters#arrays()}) using the twin's VJP at the measured points.
     *
     * @return the mean cross-entropy (without penalty)
     */
    double backward(PnnParameters p, double[][] z, int[] labels, int n, Twin twin, Twin.Workspace ws,
                    double rangePenalty, List<double[]> grads) {
        for (double[] g : grads) {
            java.util.Arrays.fill(g, 0);
        }
        int last = arch.layers() - 1;
        double loss = 0;
        double inv = 1.0 / n;
        double[] gReadGain = grads.get(3 * arch.layers());
        double[] gReadOffset = grads.get(3 * arch.layers() + 1);
        for (int b = 0; b < n; b++) {
            java.util.Arrays.fill(dy[b], 0);
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
                double prob = Math.exp(logits[b][c] - max) / sum;
                double dl = (prob - (c == labels[b] ? 1 : 0)) * inv;
                int ch = arch.classChannel(c);
                gReadGain[c] += dl * (y[last][b][ch] - p.readShift[c]) * p.readScale[c];
                gReadOffset[c] += dl;
                dy[b][ch] += dl * p.readGain[c] * p.readScale[c];
            }
        }
        for (int l = last; l >= 0; l--) {
            double[] gTheta = grads.get(3 * l);
            double[] gGain = grads.get(3 * l + 1);
            double[] gOffset = grads.get(3 * l + 2);
            for (int b = 0; b < n; b++) {
                // the twin's Jacobian at what the device actually received
                twin.forward(xq[l][b], thetaQ[l], scratch, ws);
                twin.vjp(dy[b], dx, dTheta, ws);
                for (int i = 0; i < arch.params(); i++) {
                    gTheta[i] += dTheta[i];
                }
                for (int k = 0; k < arch.inputs(); k++) {
                    double pre = xPre[l][b][k];
                    double inside = pre >= 0 && pre <= 1 ? dx[k] : 0.0;
                    double excess = pre < 0 ? pre : pre > 1 ? pre - 1 : 0.0;
                    double d = inside + 2 * rangePenalty * excess * inv;
                    double src = source(l, b, k, z);
                    gGain[k] += d * (src - p.shift[l][k]) * p.scale[l][k];
                    gOffset[k] += d;
                    if (l > 0) {
                        dy[b][k] = d * p.gain[l][k] * p.scale[l][k];
                    }
                }
            }
        }
        return loss * inv;
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
