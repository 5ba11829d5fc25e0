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

    /** One row of the table: a layout and a classifier, accuracy per test set (in the given order). */
    public record Row(FeatureLayout layout, String classifier, double[] accuracy) {
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
            Dataset tr = layout.apply(train);
            Normalization zn = Normalization.zScore(tr);
            double[][] ztr = zn.apply(tr).features();
            List<Dataset> zte = t.values().stream().map(d -> zn.apply(layout.apply(d))).toList();
            for (int kind = 0; kind < 2; kind++) {
                double[] acc = new double[zte.size()];
                String name = null;
                for (int s = 1; s <= seeds; s++) {
                    DigitalBaseline b = kind == 0 ? DigitalBaseline.logisticRegression(s) : DigitalBaseline.mlp(s);
                    name = b.name();
                    var net = b.train(ztr, tr.labels(), tr.numClasses());
                    for (int k = 0; k < zte.size(); k++) {
                        acc[k] += DigitalBaseline.accuracy(net, zte.get(k).features(), zte.get(k).labels(),
                                tr.numClasses()) / seeds;
                    }
                }
                rows.add(new Row(layout, name, acc));
            }
        }
        return rows;
    }
}
