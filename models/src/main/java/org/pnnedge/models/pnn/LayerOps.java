package org.pnnedge.models.pnn;

import java.util.Locale;

/**
 * The digital operations between physical layers (models.md, "Between layers"). All are element-wise: no
 * digital matrix multiply sits between two physical layers unless the architecture is hybrid.
 *
 * @param skip   a trainable skip path: layer l's input also receives s ⊙ (x_{l−1} − ½), the previous layer's
 *               input, so a layer need not re-encode everything the earlier ones knew (s starts at 1)
 * @param norm   how a layer's measured outputs are normalised before the next layer or the readout
 * @param range  how a layer's input is kept inside the DAC range [0, 1]
 */
public record LayerOps(boolean skip, OutputNorm norm, RangeKeeping range) {
    /** What bundles of format 1 do: no skip, raw outputs, a hard clamp. */
    public static final LayerOps LEGACY = new LayerOps(false, OutputNorm.NONE, RangeKeeping.CLAMP);
    /** Deep networks: skip path, dark-referenced common-mode normalisation, soft range keeping. */
    public static final LayerOps DEEP = new LayerOps(true, OutputNorm.COMMON_MODE, RangeKeeping.SOFT);

    public LayerOps {
        if (norm == null || range == null) {
            throw new IllegalArgumentException("layer operations need a normalisation and a range keeping");
        }
    }

    /** True for the operations of format-1 bundles (the engine then runs exactly what it ran before). */
    public boolean legacy() {
        return equals(LEGACY);
    }

    /** Output normalisation of each shot. */
    public enum OutputNorm {
        /** y as measured (normalised ADC code). */
        NONE,
        /**
         * ŷ_k = (y_k − d_k) / (mean_j (y_j − d_j) + ε), d the detector's dark level: the shared factor of one
         * shot (laser power of that pulse, and its slow drift) cancels, so later layers and the readout do not
         * depend on it.
         */
        COMMON_MODE;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static OutputNorm of(String id) {
            for (OutputNorm n : values()) {
                if (n.id().equals(id)) {
                    return n;
                }
            }
            throw new IllegalArgumentException("unknown output normalisation '" + id + "' (none, common-mode)");
        }
    }

    /** Range keeping of a layer's input u before it becomes a DAC code. */
    public enum RangeKeeping {
        /** x = clamp(u, 0, 1): the gradient vanishes outside. */
        CLAMP,
        /**
         * x = u inside [m, 1 − m] (m = {@link #SOFT_MARGIN}), beyond that a tanh knee of width m that approaches
         * 0 or 1 without reaching them: continuous slope, never a dead gradient.
         */
        SOFT;

        public static final double SOFT_MARGIN = 0.1;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static RangeKeeping of(String id) {
            for (RangeKeeping r : values()) {
                if (r.id().equals(id)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown range keeping '" + id + "' (clamp, soft)");
        }

        /** x(u). */
        public double apply(double u) {
            if (this == CLAMP) {
                return Math.min(1, Math.max(0, u));
            }
            double m = SOFT_MARGIN;
            if (u > 1 - m) {
                return 1 - m + m * Math.tanh((u - (1 - m)) / m);
            }
            if (u < m) {
                return m + m * Math.tanh((u - m) / m);
            }
            return u;
        }

        /** dx/du. */
        public double slope(double u) {
            if (this == CLAMP) {
                return u >= 0 && u <= 1 ? 1 : 0;
            }
            double m = SOFT_MARGIN;
            double t;
            if (u > 1 - m) {
                t = Math.tanh((u - (1 - m)) / m);
            } else if (u < m) {
                t = Math.tanh((u - m) / m);
            } else {
                return 1;
            }
            return 1 - t * t;
        }
    }
}
