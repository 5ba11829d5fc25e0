package org.pnnedge.runtime.service;

import java.util.Arrays;

/**
 * Label-free correction of measured layer outputs, fitted by recalibration so that the device's outputs on the
 * bundle's reference probes match what was measured at training time: y' = gain·y + offset per layer and output
 * channel, on normalised outputs (ADC code / max code). Immutable; {@link #identity} changes nothing.
 */
public record OutputCorrection(double[][] gain, double[][] offset) {
    public OutputCorrection {
        if (gain.length != offset.length) {
            throw new IllegalArgumentException("gain has " + gain.length + " layers, offset " + offset.length);
        }
        double[][] g = new double[gain.length][];
        double[][] o = new double[offset.length][];
        for (int l = 0; l < gain.length; l++) {
            if (gain[l].length != offset[l].length) {
                throw new IllegalArgumentException("layer " + l + ": gain and offset lengths differ");
            }
            for (int k = 0; k < gain[l].length; k++) {
                if (!Double.isFinite(gain[l][k]) || !Double.isFinite(offset[l][k]) || gain[l][k] <= 0) {
                    throw new IllegalArgumentException("layer " + l + " channel " + k
                            + ": gain must be finite and positive, offset finite");
                }
            }
            g[l] = gain[l].clone();
            o[l] = offset[l].clone();
        }
        gain = g;
        offset = o;
    }

    public static OutputCorrection identity(int layers, int outputs) {
        double[][] g = new double[layers][outputs];
        for (double[] row : g) {
            Arrays.fill(row, 1.0);
        }
        return new OutputCorrection(g, new double[layers][outputs]);
    }

    public int layers() {
        return gain.length;
    }

    public double gain(int layer, int channel) {
        return gain[layer][channel];
    }

    public double offset(int layer, int channel) {
        return offset[layer][channel];
    }

    @Override
    public double[][] gain() {
        return deep(gain);
    }

    @Override
    public double[][] offset() {
        return deep(offset);
    }

    private static double[][] deep(double[][] a) {
        return Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
    }

    public boolean isIdentity() {
        for (int l = 0; l < gain.length; l++) {
            for (int k = 0; k < gain[l].length; k++) {
                if (gain[l][k] != 1.0 || offset[l][k] != 0.0) {
                    return false;
                }
            }
        }
        return true;
    }
}
