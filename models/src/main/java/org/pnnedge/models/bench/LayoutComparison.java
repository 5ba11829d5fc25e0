package org.pnnedge.models.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.Normalization;

/**
 * Which feature layout hears best, cheaply: each {@link FeatureLayout} of the same raw measurements (12 formants
 * and F0 in Hz) is z-scored on the training set and fed to digital classifiers (logistic regression and a 32-32
 * tanh MLP, {@link DigitalBaseline}); accuracy on every test set, mean over {@code seeds} initialisations. No
 * physics: this ranks the features, the physical network comes after (BENCHMARKS.md, hearing).
 *
 * @param layouts the layouts to compare
 * @param seeds   initialisation seeds per classifier (1, 2, ...)
 */
public record LayoutComparison(List<FeatureLayout> layouts, int seeds) {
    public LayoutComparison {
        layouts = List.copyOf(layouts);
        if (layouts.isEmpty() || seeds < 1) {
            throw new IllegalArgumentException("need at least one layout and one seed");
        }
    }

    /** One row of the table: a layout (its id, or a name for features made elsewhere) and a classifier, accuracy per test set (in the given order). */
    public record Row(String layout, String classifier, double[] accuracy) {
        public Row {
            accuracy = accuracy.clone();
        }

        @Override
        public double[] accuracy() {
            return accuracy.clone();
        }
    }

    /**
     * @param train raw measurements ({@link FeatureLayout#RAW_NAMES})
     * @param tests named raw test sets, with the training set's labels
     */
    public List<Row> run(Dataset train, Map<String, Dataset> tests) {
        List<Row> rows = new ArrayList<>();
        Map<String, Dataset> t = new LinkedHashMap<>(tests);
        for (Dataset d : t.values()) {
            if (!d.labelNames().equals(train.labelNames())) {
                throw new IllegalArgumentException("test labels " + d.labelNames() + " differ from the training set's "
                        + train.labelNames());
            }
        }
        for (FeatureLayout layout : layouts) {
            rows.addAll(classify(layout.id(), layout.apply(train),
                    t.values().stream().map(layout::apply).toList()));
        }
        return rows;
    }

    /**
     * Rows for features computed elsewhere (e.g. {@link FeatureLayout#TALKER13}, which needs each row's talker):
     * z-scored on {@code train}, the same classifiers and seeds.
     *
     * @param name  the rows' layout name
     * @param train the training set in those features
     * @param tests the test sets in the same features, in the order of the table
     */
    public List<Row> classify(String name, Dataset train, List<Dataset> tests) {
        for (Dataset d : tests) {
            if (!d.labelNames().equals(train.labelNames()) || !d.featureNames().equals(train.featureNames())) {
                throw new IllegalArgumentException("test set " + d.featureNames() + " / " + d.labelNames()
                        + " differs from the training set's " + train.featureNames() + " / " + train.labelNames());
            }
        }
        List<Row> rows = new ArrayList<>();
        Normalization zn = Normalization.zScore(train);
        double[][] ztr = zn.apply(train).features();
        List<Dataset> zte = tests.stream().map(zn::apply).toList();
        for (int kind = 0; kind < 2; kind++) {
            double[] acc = new double[zte.size()];
            String classifier = null;
            for (int s = 1; s <= seeds; s++) {
                DigitalBaseline b = kind == 0 ? DigitalBaseline.logisticRegression(s) : DigitalBaseline.mlp(s);
                classifier = b.name();
                var net = b.train(ztr, train.labels(), train.numClasses());
                for (int k = 0; k < zte.size(); k++) {
                    acc[k] += DigitalBaseline.accuracy(net, zte.get(k).features(), zte.get(k).labels(),
                            train.numClasses()) / seeds;
                }
            }
            rows.add(new Row(name, classifier, acc));
        }
        return rows;
    }
}
