package org.pnnedge.models.pnn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The trainable numbers of a PNN while it trains (mutable; {@link PnnModel} is the immutable result).
 * θ are device parameters in [0,1] (code / max code); gain/offset are the element-wise digital operations
 * in front of each layer; readout gain/offset turn class channels into logits.
 */
final class PnnParameters {
    final PnnArchitecture arch;
    final double[][] theta;
    final double[][] gain;
    final double[][] offset;
    final double[] readGain;
    final double[] readOffset;
    /**
     * Fixed (not trained) standardisation in front of each gain: the element-wise op is
     * x = gain·(src − shift)·scale + offset, so every trained number is of order one and Adam's uniform
     * step size suits all of them. Set from data statistics at the start of training.
     */
    final double[][] shift;
    final double[][] scale;
    final double[] readShift;
    final double[] readScale;

    PnnParameters(PnnArchitecture arch) {
        this.arch = arch;
        theta = new double[arch.layers()][arch.params()];
        gain = new double[arch.layers()][arch.inputs()];
        offset = new double[arch.layers()][arch.inputs()];
        readGain = new double[arch.classes()];
        readOffset = new double[arch.classes()];
        shift = new double[arch.layers()][arch.inputs()];
        scale = new double[arch.layers()][arch.inputs()];
        readShift = new double[arch.classes()];
        readScale = new double[arch.classes()];
        for (double[] row : scale) {
            java.util.Arrays.fill(row, 1.0);
        }
        java.util.Arrays.fill(readScale, 1.0);
    }

    /** Gain of the element-wise op in front of layer l, channel k, as applied to the raw source value. */
    double effectiveGain(int l, int k) {
        return gain[l][k] * scale[l][k];
    }

    double effectiveOffset(int l, int k) {
        return offset[l][k] - gain[l][k] * scale[l][k] * shift[l][k];
    }

    double effectiveReadGain(int c) {
        return readGain[c] * readScale[c];
    }

    double effectiveReadOffset(int c) {
        return readOffset[c] - readGain[c] * readScale[c] * readShift[c];
    }

    static PnnParameters initial(PnnArchitecture arch, long seed) {
        PnnParameters p = new PnnParameters(arch);
        SplittableRandom r = new SplittableRandom(seed);
        for (double[] t : p.theta) {
            for (int i = 0; i < t.length; i++) {
                t[i] = 0.3 + 0.5 * r.nextDouble();
            }
        }
        for (int l = 0; l < arch.layers(); l++) {
            for (int k = 0; k < arch.inputs(); k++) {
                p.gain[l][k] = l == 0 ? (k < arch.features() ? 0.15 : 0) : 0.15;
                p.offset[l][k] = l == 0 ? (k < arch.features() ? 0.55 : 0.3 + 0.5 * r.nextDouble()) : 0.5;
            }
        }
        java.util.Arrays.fill(p.readGain, 1.0);
        return p;
    }

    PnnParameters copy() {
        PnnParameters c = new PnnParameters(arch);
        for (int l = 0; l < arch.layers(); l++) {
            System.arraycopy(theta[l], 0, c.theta[l], 0, theta[l].length);
            System.arraycopy(gain[l], 0, c.gain[l], 0, gain[l].length);
            System.arraycopy(offset[l], 0, c.offset[l], 0, offset[l].length);
            System.arraycopy(shift[l], 0, c.shift[l], 0, shift[l].length);
            System.arraycopy(scale[l], 0, c.scale[l], 0, scale[l].length);
        }
        System.arraycopy(readShift, 0, c.readShift, 0, readShift.length);
        System.arraycopy(readScale, 0, c.readScale, 0, readScale.length);
        System.arraycopy(readGain, 0, c.readGain, 0, readGain.length);
        System.arraycopy(readOffset, 0, c.readOffset, 0, readOffset.length);
        return c;
    }

    /** Arrays in a fixed order, for the optimiser. */
    List<double[]> arrays() {
        List<double[]> list = new ArrayList<>();
        for (int l = 0; l < arch.layers(); l++) {
            list.add(theta[l]);
            list.add(gain[l]);
            list.add(offset[l]);
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

    /** Zeroed arrays of the same shapes, in the same order as {@link #arrays()}. */
    List<double[]> zerosLike() {
        List<double[]> list = new ArrayList<>();
        for (double[] a : arrays()) {
            list.add(new double[a.length]);
        }
        return list;
    }
}
