package org.pnnedge.models.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;

/**
 * Two "vowels" spoken by talkers of very different size, told apart by a formant ratio, not by absolute formants:
 * a scale-free layout must recognise talkers larger than any in training.
 */
class LayoutComparisonTest {

    /** Vowel 0: F2/F1 = 3, vowel 1: F2/F1 = 1.5; every frequency × the talker's scale s. */
    static Dataset talkers(double sLo, double sHi, int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            double s = sLo + (sHi - sLo) * r.nextDouble();
            double f1 = 500 * s * (1 + 0.03 * r.nextGaussian());
            double f2 = (y[i] == 0 ? 3 : 1.5) * 500 * s * (1 + 0.03 * r.nextGaussian());
            double f3 = 2500 * s;
            x[i] = new double[] {f1, f2, f3, f1, f2, f3, f1, f2, f3, f1, f2, f3, 120 * s};
        }
        return new Dataset(x, y, List.of("a", "b"), FeatureLayout.RAW_NAMES);
    }

    @Test
    void aScaleFreeLayoutGeneralisesToLargerTalkersAndTheTableHasEveryLayout() {
        Dataset train = talkers(0.8, 1.0, 200, 1);
        Dataset bigger = talkers(1.6, 2.0, 100, 2);
        List<LayoutComparison.Row> rows = new LayoutComparison(List.of(FeatureLayout.values()), 1)
                .run(train, Map.of("bigger", bigger));
        assertEquals(2 * FeatureLayout.values().length, rows.size());
        double logmean = rows.stream().filter(r -> r.layout() == FeatureLayout.LOGMEAN13)
                .mapToDouble(r -> r.accuracy()[0]).min().orElseThrow();
        assertTrue(logmean > 0.95, "log-mean normalised ratios ignore the talker's size: " + logmean);
        for (LayoutComparison.Row r : rows) {
            assertTrue(r.accuracy()[0] >= 0 && r.accuracy()[0] <= 1, r.toString());
        }
    }

    @Test
    void testSetsMustHaveTheTrainingLabels() {
        Dataset train = talkers(0.8, 1.0, 20, 1);
        Dataset other = new Dataset(train.features(), train.labels(), List.of("x", "y"), FeatureLayout.RAW_NAMES);
        assertThrows(IllegalArgumentException.class,
                () -> new LayoutComparison(List.of(FeatureLayout.BARK13), 1).run(train, Map.of("o", other)));
        assertThrows(IllegalArgumentException.class, () -> new LayoutComparison(List.of(), 1));
    }
}
