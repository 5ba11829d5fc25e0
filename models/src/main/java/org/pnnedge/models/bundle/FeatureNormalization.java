package org.pnnedge.models.bundle;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Feature normalisation applied to raw features before the network sees them:
 * {@code normalized[i] = (raw[i] - offset[i]) / scale[i]}. Same JSON shape as
 * {@code org.pnnedge.models.data.Normalization} ({@code kind}, {@code offset}, {@code scale}), so either
 * can be stored; the bundle layer keeps {@code kind} as an informational string.
 *
 * @param kind how it was made, e.g. {@code Z_SCORE}; informational, may be {@code null}
 */
public record FeatureNormalization(String kind,
                                   @JsonProperty(required = true) double[] offset,
                                   @JsonProperty(required = true) double[] scale) {
    public FeatureNormalization {
        if (offset == null || scale == null) {
            throw new IllegalArgumentException("offset and scale are both required");
        }
        if (offset.length == 0 || offset.length != scale.length) {
            throw new IllegalArgumentException("offset and scale must have the same non-zero length, got "
                    + offset.length + " and " + scale.length);
        }
        for (int i = 0; i < offset.length; i++) {
            if (!Double.isFinite(offset[i])) {
                throw new IllegalArgumentException("offset[" + i + "] is not finite: " + offset[i]);
            }
            if (!Double.isFinite(scale[i]) || scale[i] == 0) {
                throw new IllegalArgumentException("scale[" + i + "] must be finite and non-zero, got " + scale[i]);
            }
        }
        offset = offset.clone();
        scale = scale.clone();
    }

    public FeatureNormalization(double[] offset, double[] scale) {
        this(null, offset, scale);
    }

    public int features() {
        return offset.length;
    }

    public double[] apply(double[] raw) {
        if (raw.length != offset.length) {
            throw new IllegalArgumentException("expected " + offset.length + " features, got " + raw.length);
        }
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = (raw[i] - offset[i]) / scale[i];
        }
        return out;
    }

    @Override
    public double[] offset() {
        return offset.clone();
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    // arrays: value semantics instead of identity
    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureNormalization n && java.util.Objects.equals(kind, n.kind)
                && Arrays.equals(offset, n.offset) && Arrays.equals(scale, n.scale);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * java.util.Objects.hashCode(kind) + Arrays.hashCode(offset)) + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "FeatureNormalization[kind=" + kind + ", offset=" + Arrays.toString(offset) + ", scale="
                + Arrays.toString(scale) + "]";
    }
}
