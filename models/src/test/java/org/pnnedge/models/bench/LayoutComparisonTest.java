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
import org.pnnedge.models.data.TalkerNormalization;

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
        List<FeatureLayout> perToken = java.util.Arrays.stream(FeatureLayout.values())
                .filter(FeatureLayout::perToken).toList();
        List<LayoutComparison.Row> rows = new LayoutComparison(perToken, 1).run(train, Map.of("bigger", bigger));
        assertEquals(2 * perToken.size(), rows.size());
        double logmean = rows.stream().filter(r -> r.layout().equals(FeatureLayout.LOGMEAN13.id()))
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

    @Test
    void talkerFeaturesMadeElsewhereAreRankedTheSameWay() {
        // every two rows (one of each class) are one talker: talker13's G removes the talker's size
        Dataset train = talkers(0.8, 1.0, 200, 1);
        Dataset bigger = talkers(1.6, 2.0, 100, 2);
        java.util.function.Function<Dataset, List<String>> pairs = d -> java.util.stream.IntStream.range(0, d.size())
                .mapToObj(i -> "t" + i / 2).toList();
        // pairs share no scale in talkers(): give each pair its first row's scale
        Dataset tr = TalkerNormalization.nearey(paired(train), pairs.apply(train));
        Dataset te = TalkerNormalization.nearey(paired(bigger), pairs.apply(bigger));
        List<LayoutComparison.Row> rows = new LayoutComparison(List.of(FeatureLayout.TALKER13), 1)
                .classify("talker13", tr, List.of(te));
        assertEquals(2, rows.size());
        assertEquals("talker13", rows.get(0).layout());
        assertTrue(rows.get(0).accuracy()[0] > 0.95, rows.get(0).toString());
        assertThrows(IllegalArgumentException.class, () -> new LayoutComparison(List.of(FeatureLayout.TALKER13), 1)
                .classify("talker13", tr, List.of(paired(bigger))));
    }

    /** Rows 2k and 2k+1 from one talker: row 2k+1 rescaled to row 2k's talker size (F3 = 2500 s). */
    private static Dataset paired(Dataset d) {
        double[][] x = new double[d.size()][];
        for (int i = 0; i < x.length; i++) {
            double[] row = d.features()[i].clone();
            if (i % 2 == 1) {
                double k = d.features()[i - 1][2] / row[2];
                for (int j = 0; j < row.length; j++) {
                    row[j] *= k;
                }
            }
            x[i] = row;
        }
        return d.withFeatures(x, d.featureNames());
    }
}
