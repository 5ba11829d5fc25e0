package org.pnnedge.models.plot;

import java.util.List;

/**
 * Confusion-matrix heatmap: rows are true classes, columns predicted classes, each cell shows its count
 * (and its share of the row when there is room). Colour is row-normalised, so a rare class with perfect
 * recall is as dark on the diagonal as a frequent one. The subtitle gives overall accuracy.
 */
public final class ConfusionMatrixChart implements Chart {

    private final String title;
    private final List<String> labels;
    private final long[][] counts;
    private ChartSize size = ChartSize.DEFAULT;

    /**
     * A matrix of counts with its class names.
     *
     * @param labels class names, one per row/column
     * @param counts {@code counts[true][predicted]}, square, non-negative
     */
    public ConfusionMatrixChart(String title, List<String> labels, long[][] counts) {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("confusion matrix needs at least one class label");
        }
        if (counts == null || counts.length != labels.size()) {
            throw new IllegalArgumentException("confusion matrix has " + (counts == null ? 0 : counts.length) + " rows but "
                    + labels.size() + " labels");
        }
        this.counts = new long[counts.length][];
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] == null || counts[r].length != labels.size()) {
                throw new IllegalArgumentException("confusion matrix row " + r + " ('" + labels.get(r) + "') has "
                        + (counts[r] == null ? 0 : counts[r].length) + " columns, expected " + labels.size());
            }
            for (int c = 0; c < counts[r].length; c++) {
                if (counts[r][c] < 0) {
                    throw new IllegalArgumentException("confusion matrix cell [" + r + "][" + c + "] is negative: " + counts[r][c]);
                }
            }
            this.counts[r] = counts[r].clone();
        }
        this.title = title;
        this.labels = List.copyOf(labels);
    }

    /** Same, from int counts. */
    public static ConfusionMatrixChart of(String title, List<String> labels, int[][] counts) {
        if (counts == null) {
            throw new IllegalArgumentException("confusion matrix counts are null");
        }
        long[][] l = new long[counts.length][];
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] == null) {
                throw new IllegalArgumentException("confusion matrix row " + r + " is null");
            }
            l[r] = new long[counts[r].length];
            for (int c = 0; c < counts[r].length; c++) {
                l[r][c] = counts[r][c];
            }
        }
        return new ConfusionMatrixChart(title, labels, l);
    }

    /** Tallies a confusion matrix from true and predicted class indices. */
    public static long[][] tally(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("mismatched lengths: " + truth.length + " true labels, " + predicted.length + " predictions");
        }
        long[][] m = new long[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("sample " + i + ": class index outside 0.." + (classes - 1));
            }
            m[truth[i]][predicted[i]]++;
        }
        return m;
    }

    /** The image size (default 800 x 600). */
    public ConfusionMatrixChart size(int width, int height) {
        this.size = new ChartSize(width, height);
        return this;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public ChartSize size() {
        return size;
    }

    /** The class names, one per row and column. */
    public List<String> labels() {
        return labels;
    }

    /** A copy of {@code counts[true][predicted]}. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int r = 0; r < counts.length; r++) {
            copy[r] = counts[r].clone();
        }
        return copy;
    }
}
