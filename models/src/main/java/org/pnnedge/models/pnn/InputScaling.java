package org.pnnedge.models.pnn;

/**
 * The standardisation in front of each layer and the readout, re-estimated from the normalised outputs that the
 * training forward passes measured over an epoch (like batch normalisation's running statistics, but applied
 * between epochs). The gains and offsets are re-expressed at the same time so the network computes exactly the
 * same function: only the conditioning of the trained numbers changes, which keeps Adam's uniform step suitable as
 * the layers' output statistics move.
 */
final class InputScaling {
    private final PnnArchitecture arch;
    private final double[][] sum;
    private final double[][] sq;
    private long count;

    InputScaling(PnnArchitecture arch) {
        this.arch = arch;
        sum = new double[arch.layers()][arch.outWidth()];
        sq = new double[arch.layers()][arch.outWidth()];
    }

    /** Adds the normalised outputs of a forward pass of {@code n} samples. */
    void accumulate(PnnPass pass, int n) {
        for (int l = 0; l < arch.layers(); l++) {
            double[] s = sum[l];
            double[] q = sq[l];
            for (int b = 0; b < n; b++) {
                double[] v = pass.yh[l][b];
                for (int j = 0; j < s.length; j++) {
                    s[j] += v[j];
                    q[j] += v[j] * v[j];
                }
            }
        }
        count += n;
    }

    /**
     * Moves p's standardisation to the accumulated statistics without changing the function (the readout's too
     * unless {@code readout} is false); then resets.
     */
    void apply(PnnParameters p, boolean readout) {
        if (count < 2) {
            return;
        }
        for (int l = 1; l < arch.layers(); l++) {
            for (int j = 0; j < arch.width(); j++) {
                double mu = mean(l - 1, j);
                double sc = 1 / sd(l - 1, j);
                double g = p.gain[l][j] * p.scale[l][j]; // effective gain stays
                p.offset[l][j] += g * (mu - p.shift[l][j]);
                p.gain[l][j] = g / sc;
                p.shift[l][j] = mu;
                p.scale[l][j] = sc;
            }
        }
        int last = arch.layers() - 1;
        int wo = arch.outWidth();
        if (!readout) {
            reset();
            return;
        }
        if (arch.hybrid()) {
            for (int j = 0; j < wo; j++) {
                double mu = mean(last, j);
                double sc = 1 / sd(last, j);
                for (int c = 0; c < arch.classes(); c++) {
                    double g = p.readGain[c * wo + j] * p.readScale[j]; // times readoutFactor on both sides
                    p.readOffset[c] += g * p.readoutFactor * (mu - p.readShift[j]);
                    p.readGain[c * wo + j] = g / sc;
                }
                p.readShift[j] = mu;
                p.readScale[j] = sc;
            }
        } else {
            for (int c = 0; c < arch.classes(); c++) {
                int ch = arch.classChannel(c);
                double mu = mean(last, ch);
                double sc = 1 / sd(last, ch);
                double g = p.readGain[c] * p.readScale[c];
                p.readOffset[c] += g * (mu - p.readShift[c]);
                p.readGain[c] = g / sc;
                p.readShift[c] = mu;
                p.readScale[c] = sc;
            }
        }
        reset();
    }

    void reset() {
        for (int l = 0; l < arch.layers(); l++) {
            java.util.Arrays.fill(sum[l], 0);
            java.util.Arrays.fill(sq[l], 0);
        }
        count = 0;
    }

    private double mean(int l, int j) {
        return sum[l][j] / count;
    }

    private double sd(int l, int j) {
        double m = mean(l, j);
        return Math.sqrt(Math.max(1e-12, sq[l][j] / count - m * m));
    }
}
