package org.pnnedge.models.pnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The trainable numbers of a PNN while it trains (mutable; {@link PnnModel} is the immutable result), and, with
 * the same shapes, their gradients.
 *
 * <p>θ are device parameters in [0,1] (code / max code). In front of layer l (see {@link PnnPass}):
 * <pre>
 * layer 0, physical: u_k = gain_k·(z_k − shift_k)·scale_k + offset_k       (k &lt; features; else offset_k)
 * layer 0, hybrid:   u_j = Σ_f gain_{j·F+f} z_f / √F + offset_j             (the digital input projection)
 * layer l &gt; 0:      u_j = gain_j·(ŷ_j − shift_j)·scale_j + skip_j·(x_{l−1,j} − ½) + offset_j
 * </pre>
 * and the readout: logit_c = readGain_c·(ŷ_ch(c) − readShift_c)·readScale_c + readOffset_c (physical) or
 * logit_c = Σ_j readGain_{c·W+j}·(ŷ_j − readShift_j)·readScale_j / √W + readOffset_c (hybrid).
 * The 1/√F and 1/√W factors keep the matrices' entries of order one like every other trained number, so one
 * Adam step size suits them too (without them a step of 0.002 moved each projection weight by ~40 %).
 * shift and scale are not trained: a standardisation re-estimated from the data during training, so every trained
 * number is of order one and Adam's uniform step size suits all of them. {@code dark} is the detector's dark level
 * per output channel, measured, used by the common-mode normalisation.
 */
final class PnnParameters {
    final PnnArchitecture arch;
    final double[][] theta;
    final double[][] gain;
    final double[][] offset;
    final double[][] skip;
    final double[] readGain;
    final double[] readOffset;
    final double[][] shift;
    final double[][] scale;
    final double[] readShift;
    final double[] readScale;
    final double[] dark;
    /** Fixed factors of the hybrid projection (1/√F) and digital readout (1/√W'); 1 for a physical network. */
    final double projectionFactor;
    final double readoutFactor;

    PnnParameters(PnnArchitecture arch) {
        this.arch = arch;
        int l = arch.layers();
        int w = arch.width();
        theta = new double[l][arch.params()];
        gain = new double[l][];
        for (int i = 0; i < l; i++) {
            gain[i] = new double[i == 0 && arch.hybrid() ? w * arch.features() : w];
        }
        offset = new double[l][w];
        skip = new double[l][w];
        shift = new double[l][w];
        scale = new double[l][w];
        int c = arch.classes();
        readGain = new double[arch.hybrid() ? c * arch.outWidth() : c];
        readOffset = new double[c];
        readShift = new double[arch.hybrid() ? arch.outWidth() : c];
        readScale = new double[readShift.length];
        dark = new double[arch.outputs()];
        projectionFactor = arch.hybrid() ? 1 / Math.sqrt(arch.features()) : 1;
        readoutFactor = arch.hybrid() ? 1 / Math.sqrt(arch.outWidth()) : 1;
        for (double[] row : scale) {
            Arrays.fill(row, 1.0);
        }
        Arrays.fill(readScale, 1.0);
    }

    /** Skip weights of layer l are trained (layer 0 has no previous layer). */
    boolean trainsSkip(int l) {
        return arch.ops().skip() && l > 0;
    }

    static PnnParameters initial(PnnArchitecture arch, long seed) {
        PnnParameters p = new PnnParameters(arch);
        SplittableRandom r = new SplittableRandom(seed);
        for (double[] t : p.theta) {
            for (int i = 0; i < t.length; i++) {
                t[i] = 0.3 + 0.5 * r.nextDouble();
            }
        }
        int w = arch.width();
        int f = arch.features();
        for (int l = 0; l < arch.layers(); l++) {
            for (int k = 0; k < w; k++) {
                if (l == 0 && arch.hybrid()) {
                    for (int i = 0; i < f; i++) {
                        p.gain[0][k * f + i] = 0.15 * r.nextGaussian();
                    }
                    p.offset[0][k] = 0.5;
                } else if (l == 0) {
                    p.gain[0][k] = k < f ? 0.15 : 0;
                    p.offset[0][k] = k < f ? 0.55 : 0.3 + 0.5 * r.nextDouble();
                } else {
                    p.gain[l][k] = 0.15;
                    p.offset[l][k] = 0.5;
                    p.skip[l][k] = p.trainsSkip(l) ? 1.0 : 0.0;
                }
            }
        }
        if (arch.hybrid()) {
            for (int i = 0; i < p.readGain.length; i++) {
                p.readGain[i] = r.nextGaussian();
            }
        } else {
            Arrays.fill(p.readGain, 1.0);
        }
        return p;
    }

    PnnParameters copy() {
        PnnParameters c = new PnnParameters(arch);
        copyInto(c);
        return c;
    }

    void copyInto(PnnParameters c) {
        for (int l = 0; l < arch.layers(); l++) {
            System.arraycopy(theta[l], 0, c.theta[l], 0, theta[l].length);
            System.arraycopy(gain[l], 0, c.gain[l], 0, gain[l].length);
            System.arraycopy(offset[l], 0, c.offset[l], 0, offset[l].length);
            System.arraycopy(skip[l], 0, c.skip[l], 0, skip[l].length);
            System.arraycopy(shift[l], 0, c.shift[l], 0, shift[l].length);
            System.arraycopy(scale[l], 0, c.scale[l], 0, scale[l].length);
        }
        System.arraycopy(readShift, 0, c.readShift, 0, readShift.length);
        System.arraycopy(readScale, 0, c.readScale, 0, readScale.length);
        System.arraycopy(readGain, 0, c.readGain, 0, readGain.length);
        System.arraycopy(readOffset, 0, c.readOffset, 0, readOffset.length);
        System.arraycopy(dark, 0, c.dark, 0, dark.length);
    }

    /** Trained arrays in a fixed order, for the optimiser (the same order for a gradient holder). */
    List<double[]> arrays() {
        List<double[]> list = new ArrayList<>();
        for (int l = 0; l < arch.layers(); l++) {
            list.add(theta[l]);
            list.add(gain[l]);
            list.add(offset[l]);
            if (trainsSkip(l)) {
                list.add(skip[l]);
            }
        }
        list.add(readGain);
        list.add(readOffset);
        return list;
    }

    /** Device parameters stay inside the DAC range. */
    void clampTheta() {
        for (double[] t : theta) {
            for (int i = 0; i < t.length; i++) {
                t[i] = Math.min(1, Math.max(0, t[i]));
            }
        }
    }

    /** A gradient holder: zeroed arrays of the same shapes. */
    PnnParameters zerosLike() {
        PnnParameters g = new PnnParameters(arch);
        g.zero();
        return g;
    }

    void zero() {
        for (double[] a : arrays()) {
            Arrays.fill(a, 0);
        }
    }
}
