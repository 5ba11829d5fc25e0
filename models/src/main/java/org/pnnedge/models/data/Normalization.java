package org.pnnedge.models.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A per-feature affine normalization {@code x' = (x - offset) / scale}, kept as plain arrays so it can be stored
 * in a model bundle (Jackson serializes the record as-is) and applied identically on the edge device.
 *
 * @param kind   how it was made (informational)
 * @param offset subtracted from each feature
 * @param scale  each feature is divided by this (non-zero, finite)
 */
public record Normalization(Kind kind, double[] offset, double[] scale) {

    /** How a normalization was made. */
    public enum Kind {
        /** Divide by the column maximum (offset 0), as in the PAT vowel split. */
        DIVIDE_BY_MAX,
        /** Subtract the column mean and divide by the column standard deviation. */
        Z_SCORE,
        /**
         * One mean and one standard deviation over all features (images: per-pixel statistics would blow up the
         * rare pixels near the border into huge values).
         */
        GLOBAL_Z_SCORE
    }

    /** The global z-score of {@code data}: every feature shifted and scaled by the same two numbers. */
    public static Normalization globalZScore(Dataset data) {
        int d = data.numFeatures();
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (double[] row : data.features()) {
            for (double v : row) {
                sum += v;
                sq += v * v;
            }
            n += row.length;
        }
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
        double[] offset = new double[d];
        double[] scale = new double[d];
        java.util.Arrays.fill(offset, mean);
        java.util.Arrays.fill(scale, sd > 0 ? sd : 1);
        return new Normalization(Kind.GLOBAL_Z_SCORE, offset, scale);
    }

    /**
     * Column maxima (Hz) that the Physics-Aware Training reference code divided its 7-vowel features by, in the
     * 12-feature order {@link HillenbrandReader#FEATURE_NAMES} (F1..F3 at steady state, 20 %, 50 %, 80 %).
     * Dividing Hillenbrand Hz values by these reproduces {@code ../shared/data/vowels/train.csv}.
     */
    public static final List<Double> PAT_VOWEL7_MAXIMA_HZ =
            List.of(1163.0, 3049.0, 3831.0, 1152.0, 3057.0, 3816.0, 1117.0, 3039.0, 3806.0, 1046.0, 3006.0, 3859.0);

    public Normalization {
        Objects.requireNonNull(kind, "kind");
        offset = offset.clone();
        scale = scale.clone();
        if (offset.length != scale.length) {
            throw new IllegalArgumentException("offset has " + offset.length + " entries, scale " + scale.length);
        }
        for (int j = 0; j < scale.length; j++) {
            if (!Double.isFinite(offset[j]) || !Double.isFinite(scale[j]) || scale[j] == 0) {
                throw new IllegalArgumentException("feature " + j + ": offset " + offset[j] + ", scale " + scale[j]
                        + " (scale must be finite and non-zero)");
            }
        }
    }

    /** The PAT 7-vowel normalization: divide by {@link #PAT_VOWEL7_MAXIMA_HZ}. */
    public static Normalization patVowel7() {
        return divideBy(PAT_VOWEL7_MAXIMA_HZ.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Divide each feature by the given positive divisors. */
    public static Normalization divideBy(double[] divisors) {
        return new Normalization(Kind.DIVIDE_BY_MAX, new double[divisors.length], divisors);
    }

    /** Divide each feature by its maximum absolute value in {@code data} (a column of zeros keeps scale 1). */
    public static Normalization columnMax(Dataset data) {
        double[] max = new double[data.numFeatures()];
        for (double[] row : data.features()) {
            for (int j = 0; j < max.length; j++) {
                max[j] = Math.max(max[j], Math.abs(row[j]));
            }
        }
        for (int j = 0; j < max.length; j++) {
            if (max[j] == 0) {
                max[j] = 1;
            }
        }
        return divideBy(max);
    }

    /** Z-score each feature with the mean and population standard deviation of {@code data} (constant column: 1). */
    public static Normalization zScore(Dataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot fit a z-score on an empty dataset");
        }
        int d = data.numFeatures();
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (double[] row : data.features()) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= data.size();
        }
        for (double[] row : data.features()) {
            for (int j = 0; j < d; j++) {
                double e = row[j] - mean[j];
                sd[j] += e * e;
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j] / data.size());
            if (!(sd[j] > 1e-12 * Math.max(1, Math.abs(mean[j])))) {
                sd[j] = 1;
            }
        }
        return new Normalization(Kind.Z_SCORE, mean, sd);
    }

    public int numFeatures() {
        return scale.length;
    }

    /** Normalizes one feature vector (a new array). */
    public double[] apply(double[] x) {
        check(x.length);
        double[] y = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            y[j] = (x[j] - offset[j]) / scale[j];
        }
        return y;
    }

    /** Undoes {@link #apply(double[])}. */
    public double[] invert(double[] y) {
        check(y.length);
        double[] x = new double[y.length];
        for (int j = 0; j < y.length; j++) {
            x[j] = y[j] * scale[j] + offset[j];
        }
        return x;
    }

    /** Normalizes every row; names are kept. */
    public Dataset apply(Dataset data) {
        check(data.numFeatures());
        double[][] out = new double[data.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = apply(data.features()[i]);
        }
        return data.withFeatures(out, data.featureNames());
    }

    /** Undoes {@link #apply(Dataset)}. */
    public Dataset invert(Dataset data) {
        check(data.numFeatures());
        double[][] out = new double[data.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = invert(data.features()[i]);
        }
        return data.withFeatures(out, data.featureNames());
    }

    private void check(int n) {
        if (n != scale.length) {
            throw new IllegalArgumentException("normalization is for " + scale.length + " features, got " + n);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && kind == n.kind && Arrays.equals(offset, n.offset)
                && Arrays.equals(scale, n.scale);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(offset), Arrays.hashCode(scale));
    }

    @Override
    public String toString() {
        return "Normalization[" + kind + ", offset=" + Arrays.toString(offset) + ", scale=" + Arrays.toString(scale) + "]";
    }
}
