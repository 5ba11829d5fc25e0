package org.pnnedge.models.pnn;

import java.util.Arrays;

/**
 * Shape of a physical neural network: {@code layers} physical layers on one device (layer l uses parameter
 * slot l), between them only element-wise digital operations (per-channel gain and offset, clamped to the
 * DAC range), and a readout that assigns one fixed output channel of the last layer to each class.
 *
 * <p>Feature encoding (layer 0): input channel k &lt; features carries gain·z_k + offset of the normalised
 * feature k; the remaining input channels carry a trainable constant (offset only). No digital matrix
 * multiply anywhere: the physics does the mixing.
 *
 * @param classChannels output channel of the last layer for each class
 */
public record PnnArchitecture(int layers, int features, int inputs, int params, int outputs, int[] classChannels) {
    public PnnArchitecture {
        if (layers < 1) {
            throw new IllegalArgumentException("a PNN needs at least one physical layer");
        }
        if (features < 1 || features > inputs) {
            throw new IllegalArgumentException(features + " features do not fit " + inputs + " device inputs");
        }
        if (inputs != outputs && layers > 1) {
            throw new IllegalArgumentException("stacking layers needs as many outputs as inputs (" + outputs + " vs "
                    + inputs + ")");
        }
        for (int c : classChannels) {
            if (c < 0 || c >= outputs) {
                throw new IllegalArgumentException("class channel " + c + " outside 0.." + (outputs - 1));
            }
        }
        if (Arrays.stream(classChannels).distinct().count() != classChannels.length) {
            throw new IllegalArgumentException("class channels must be distinct: " + Arrays.toString(classChannels));
        }
        classChannels = classChannels.clone();
    }

    public int classes() {
        return classChannels.length;
    }

    @Override
    public int[] classChannels() {
        return classChannels.clone();
    }

    int classChannel(int c) {
        return classChannels[c];
    }

    /** Classes on evenly spread output channels, centred (where the SH spectrum is brightest). */
    public static int[] spreadChannels(int classes, int outputs) {
        int[] ch = new int[classes];
        double step = (double) outputs / classes;
        for (int c = 0; c < classes; c++) {
            ch[c] = (int) Math.floor((c + 0.5) * step);
        }
        return ch;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PnnArchitecture a && a.layers == layers && a.features == features && a.inputs == inputs
                && a.params == params && a.outputs == outputs && Arrays.equals(a.classChannels, classChannels);
    }

    @Override
    public int hashCode() {
        return ((layers * 31 + features) * 31 + inputs) * 31 + Arrays.hashCode(classChannels);
    }

    @Override
    public String toString() {
        return "PnnArchitecture[layers=" + layers + ", features=" + features + ", inputs=" + inputs + ", params="
                + params + ", outputs=" + outputs + ", classChannels=" + Arrays.toString(classChannels) + "]";
    }
}
