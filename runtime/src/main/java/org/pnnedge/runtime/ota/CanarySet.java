package org.pnnedge.runtime.ota;

import java.util.List;

/**
 * A small labelled data set a candidate must classify, on the device, at least as well as
 * {@code minAccuracy} before it is switched in: a guard against a model that is intact and matches its
 * probes but is simply bad on this unit.
 *
 * @param features    raw feature rows (before the bundle's normalisation), one per sample
 * @param labels      the true class of each row, by label name (must be among the candidate's labels; a label
 *                    the candidate does not know counts as misclassified)
 * @param minAccuracy required fraction of correct predictions, 0..1
 */
public record CanarySet(double[][] features, List<String> labels, double minAccuracy) {
    public CanarySet {
        if (features == null || labels == null || features.length == 0 || features.length != labels.size()) {
            throw new IllegalArgumentException("a canary set needs as many labels as feature rows, at least one");
        }
        if (!(minAccuracy >= 0 && minAccuracy <= 1)) {
            throw new IllegalArgumentException("minAccuracy must be in 0..1, got " + minAccuracy);
        }
        double[][] copy = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            copy[i] = features[i].clone();
        }
        features = copy;
        labels = List.copyOf(labels);
    }

    @Override
    public double[][] features() {
        double[][] copy = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            copy[i] = features[i].clone();
        }
        return copy;
    }
}
