package org.pnnedge.models.pnn;

import java.util.Arrays;

/**
 * Shape of a physical neural network: {@code layers} physical layers on one device (layer l uses parameter
 * slot l), between them the element-wise operations of {@link LayerOps}, and a readout.
 *
 * <p>Two kinds (models.md, "PNN architecture"):
 * <ul>
 *   <li><b>physical</b> ({@code projection == 0}): input channel k &lt; features of layer 0 carries gain·z_k + offset
 *       of the normalised feature k, the other channels a trainable constant; the readout assigns one fixed output
 *       channel of the last layer to each class. No digital matrix multiply anywhere: the physics mixes.</li>
 *   <li><b>hybrid</b> ({@code projection > 0}, the paper's Fig. 4): a trainable digital projection from the
 *       features to {@link #width()} device inputs, where the width is the projection rounded up to whole shots;
 *       when it exceeds the device's inputs each layer is time-multiplexed over {@link #groups()} shots of the
 *       same slot; a digital readout (a matrix) from all normalised outputs of the last layer to the classes.</li>
 * </ul>
 *
 * @param classes       number of classes
 * @param classChannels physical readout: output channel of the last layer for each class; empty when hybrid
 * @param projection    0 for a physical network, else the asked width of the digital input projection
 */
public record PnnArchitecture(int layers, int features, int inputs, int params, int outputs, int classes,
                              int[] classChannels, LayerOps ops, int projection) {
    public PnnArchitecture {
        if (layers < 1) {
            throw new IllegalArgumentException("a PNN needs at least one physical layer, got " + layers);
        }
        if (inputs < 1 || outputs < 1 || params < 0) {
            throw new IllegalArgumentException("a device needs inputs and outputs (" + inputs + ", " + outputs + ")");
        }
        if (ops == null) {
            throw new IllegalArgumentException("no layer operations given");
        }
        if (projection < 0) {
            throw new IllegalArgumentException("the input projection must be 0 (none) or positive, got " + projection);
        }
        if (features < 1 || (projection == 0 && features > inputs)) {
            throw new IllegalArgumentException(features + " features do not fit " + inputs + " device inputs"
                    + (features > inputs ? " (a hybrid network with an input projection would)" : ""));
        }
        if (inputs != outputs && layers > 1) {
            throw new IllegalArgumentException("stacking layers needs as many outputs as inputs (" + outputs + " vs "
                    + inputs + ")");
        }
        classChannels = classChannels == null ? new int[0] : classChannels.clone();
        if (projection > 0) {
            if (classChannels.length != 0) {
                throw new IllegalArgumentException("a hybrid network reads out digitally: no class channels");
            }
        } else {
            if (classChannels.length != classes) {
                throw new IllegalArgumentException(classes + " classes need " + classes + " class channels, got "
                        + classChannels.length);
            }
            for (int c : classChannels) {
                if (c < 0 || c >= outputs) {
                    throw new IllegalArgumentException("class channel " + c + " outside 0.." + (outputs - 1));
                }
            }
            if (Arrays.stream(classChannels).distinct().count() != classChannels.length) {
                throw new IllegalArgumentException("class channels must be distinct: " + Arrays.toString(classChannels));
            }
        }
        if (classes < 1) {
            throw new IllegalArgumentException("a classifier needs classes, got " + classes);
        }
    }

    /** A physical network with the format-1 operations (no skip, raw outputs, hard clamp). */
    public PnnArchitecture(int layers, int features, int inputs, int params, int outputs, int[] classChannels) {
        this(layers, features, inputs, params, outputs, classChannels.length, classChannels, LayerOps.LEGACY, 0);
    }

    /** A physical network with the given between-layer operations. */
    public static PnnArchitecture physical(int layers, int features, int inputs, int params, int outputs, int classes,
                                           LayerOps ops) {
        return new PnnArchitecture(layers, features, inputs, params, outputs, classes,
                spreadChannels(classes, outputs), ops, 0);
    }

    /** A hybrid network: digital projection to {@code projection} channels, physical layers, digital readout. */
    public static PnnArchitecture hybrid(int layers, int features, int inputs, int params, int outputs, int classes,
                                         LayerOps ops, int projection) {
        if (projection < 1) {
            throw new IllegalArgumentException("a hybrid network needs an input projection of at least 1 channel");
        }
        return new PnnArchitecture(layers, features, inputs, params, outputs, classes, new int[0], ops, projection);
    }

    public boolean hybrid() {
        return projection > 0;
    }

    /** Shots per layer and sample: 1, or the projection's width in whole shots. */
    public int groups() {
        return projection == 0 ? 1 : (projection + inputs - 1) / inputs;
    }

    /** Input channels of every layer (all groups). */
    public int width() {
        return groups() * inputs;
    }

    /** Output channels of every layer (all groups). */
    public int outWidth() {
        return groups() * outputs;
    }

    /** Device shots per inference. */
    public int shotsPerInference() {
        return layers * groups();
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
                && a.params == params && a.outputs == outputs && a.classes == classes
                && Arrays.equals(a.classChannels, classChannels) && a.ops.equals(ops) && a.projection == projection;
    }

    @Override
    public int hashCode() {
        return ((((layers * 31 + features) * 31 + inputs) * 31 + Arrays.hashCode(classChannels)) * 31
                + ops.hashCode()) * 31 + projection;
    }

    @Override
    public String toString() {
        return "PnnArchitecture[layers=" + layers + ", features=" + features + ", inputs=" + inputs + ", params="
                + params + ", outputs=" + outputs + ", classes=" + classes + ", classChannels="
                + Arrays.toString(classChannels) + ", ops=" + ops + ", projection=" + projection + "]";
    }
}
