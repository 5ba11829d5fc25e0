package org.pnnedge.models.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * A labelled table of feature vectors: row {@code i} is {@code features[i]} with class {@code labels[i]},
 * an index into {@code labelNames}.
 *
 * <p>The constructor validates shapes and values and copies the arrays; the accessors return the internal
 * arrays for speed, so treat them as read-only. {@link #equals} compares contents.
 */
public record Dataset(double[][] features, int[] labels, List<String> labelNames, List<String> featureNames) {

    public Dataset {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        labelNames = List.copyOf(labelNames);
        featureNames = List.copyOf(featureNames);
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + labels.length + " labels");
        }
        if (labelNames.isEmpty()) {
            throw new IllegalArgumentException("no label names");
        }
        int d = featureNames.size();
        double[][] copy = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            double[] row = features[i];
            if (row == null || row.length != d) {
                throw new IllegalArgumentException("row " + i + " has " + (row == null ? "no" : row.length)
                        + " features, expected " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException("row " + i + ", feature " + featureNames.get(j)
                            + " is not finite: " + row[j]);
                }
            }
            copy[i] = row.clone();
        }
        features = copy;
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= labelNames.size()) {
                throw new IllegalArgumentException("row " + i + " has label " + labels[i] + ", outside 0.."
                        + (labelNames.size() - 1));
            }
        }
    }

    /** Number of rows. */
    public int size() {
        return labels.length;
    }

    public int numFeatures() {
        return featureNames.size();
    }

    /** Number of classes named, including any without rows. */
    public int numClasses() {
        return labelNames.size();
    }

    /** Rows per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /** The rows at the given indices, in that order (indices may repeat, e.g. for a bootstrap). */
    public Dataset subset(int[] indices) {
        double[][] f = new double[indices.length][];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            f[i] = features[indices[i]];
            y[i] = labels[indices[i]];
        }
        return new Dataset(f, y, labelNames, featureNames);
    }

    /** The same rows and labels with new feature values (e.g. normalized) and names. */
    public Dataset withFeatures(double[][] newFeatures, List<String> newFeatureNames) {
        return new Dataset(newFeatures, labels, labelNames, newFeatureNames);
    }

    /** Rows of this dataset followed by rows of {@code other}; names must agree. */
    public Dataset concat(Dataset other) {
        if (!labelNames.equals(other.labelNames) || !featureNames.equals(other.featureNames)) {
            throw new IllegalArgumentException("cannot concatenate datasets with different label or feature names");
        }
        double[][] f = new double[size() + other.size()][];
        System.arraycopy(features, 0, f, 0, size());
        System.arraycopy(other.features, 0, f, size(), other.size());
        int[] y = Arrays.copyOf(labels, size() + other.size());
        System.arraycopy(other.labels, 0, y, size(), other.size());
        return new Dataset(f, y, labelNames, featureNames);
    }

    /**
     * SHA-256 (lower-case hex) over the shape, the exact feature values (IEEE-754 bits) and the labels, for
     * provenance in model bundles: the same numbers in the same order give the same hash on any machine.
     * Names are not included: renaming a column does not change the data.
     */
    public String contentHash() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
        sha.update("pnn-dataset-v1".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer buf = ByteBuffer.allocate(8 * Math.max(1, numFeatures()) + 4);
        sha.update(ByteBuffer.allocate(8).putInt(size()).putInt(numFeatures()).array());
        for (int i = 0; i < size(); i++) {
            buf.clear();
            for (double v : features[i]) {
                buf.putLong(Double.doubleToLongBits(v));
            }
            buf.putInt(labels[i]);
            sha.update(buf.array(), 0, buf.position());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** One fold of a k-fold split: {@code test} is fold {@code index}, {@code train} is the rest. */
    public record Fold(int index, int[] trainIndices, int[] testIndices, Dataset train, Dataset test) {
    }

    /** A train/validation split. */
    public record Split(int[] trainIndices, int[] validationIndices, Dataset train, Dataset validation) {
    }

    /**
     * Stratified k-fold cross-validation: each class's rows are shuffled (seeded) and dealt round-robin to the
     * folds, continuing the deal across classes, so every fold holds every class present in the data, per-class
     * counts differ by at most one between folds, and fold sizes differ by at most one. The folds' test sets
     * partition the rows. Indices within a fold are ascending.
     *
     * @throws IllegalArgumentException if k &lt; 2 or a class present in the data has fewer than k rows
     */
    public List<Fold> stratifiedKFold(int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("k must be at least 2, got " + k);
        }
        int[] counts = classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0 && counts[c] < k) {
                throw new IllegalArgumentException("class '" + labelNames.get(c) + "' has " + counts[c]
                        + " rows, fewer than k=" + k + ": not every fold could hold it");
            }
        }
        int[] foldOf = new int[size()];
        int deal = 0;
        for (int[] rows : shuffledRowsPerClass(seed)) {
            for (int r : rows) {
                foldOf[r] = deal++ % k;
            }
        }
        List<Fold> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int nTest = 0;
            for (int fo : foldOf) {
                if (fo == f) {
                    nTest++;
                }
            }
            int[] test = new int[nTest];
            int[] train = new int[size() - nTest];
            int a = 0;
            int b = 0;
            for (int i = 0; i < size(); i++) {
                if (foldOf[i] == f) {
                    test[a++] = i;
                } else {
                    train[b++] = i;
                }
            }
            folds.add(new Fold(f, train, test, subset(train), subset(test)));
        }
        return List.copyOf(folds);
    }

    /**
     * Stratified train/validation split: from each class, {@code round(n * validationFraction)} shuffled rows
     * (at least one if the class has two or more rows, and never all of them) go to validation.
     */
    public Split stratifiedSplit(double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        boolean[] isVal = new boolean[size()];
        for (int[] rows : shuffledRowsPerClass(seed)) {
            int n = rows.length;
            int nVal = (int) Math.round(n * validationFraction);
            nVal = Math.min(Math.max(nVal, n >= 2 ? 1 : 0), n - 1);
            for (int i = 0; i < nVal; i++) {
                isVal[rows[i]] = true;
            }
        }
        int nVal = 0;
        for (boolean v : isVal) {
            if (v) {
                nVal++;
            }
        }
        int[] val = new int[nVal];
        int[] train = new int[size() - nVal];
        int a = 0;
        int b = 0;
        for (int i = 0; i < size(); i++) {
            if (isVal[i]) {
                val[a++] = i;
            } else {
                train[b++] = i;
            }
        }
        return new Split(train, val, subset(train), subset(val));
    }

    /** Row indices of each class, shuffled with one seeded java.util.Random (its sequence is specified, so portable). */
    private List<int[]> shuffledRowsPerClass(long seed) {
        Random rng = new Random(seed);
        int[] counts = classCounts();
        List<int[]> out = new ArrayList<>(counts.length);
        for (int c = 0; c < counts.length; c++) {
            int[] rows = new int[counts[c]];
            int n = 0;
            for (int i = 0; i < size(); i++) {
                if (labels[i] == c) {
                    rows[n++] = i;
                }
            }
            for (int i = rows.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
            out.add(rows);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset d && Arrays.deepEquals(features, d.features) && Arrays.equals(labels, d.labels)
                && labelNames.equals(d.labelNames) && featureNames.equals(d.featureNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.deepHashCode(features), Arrays.hashCode(labels), labelNames, featureNames);
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " rows x " + numFeatures() + " features, " + numClasses() + " classes "
                + labelNames + "]";
    }
}
