package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Pins talker13: known talker G → known features, G over a talker's tokens, and what a talker's first word gets (G
 * from its F0); the training draw of G from a random few of a talker's other tokens.
 */
class TalkerNormalizationTest {
    private static final double LN2 = Math.log(2);

    private static double[] f(double f1, double f2, double f3) {
        return new double[] {f1, f2, f3, f1, f2, f3, f1, f2, f3, f1, f2, f3};
    }

    private static double[] raw(double f1, double f2, double f3, double f0) {
        double[] r = Arrays.copyOf(f(f1, f2, f3), 13);
        r[12] = f0;
        return r;
    }

    /** Rows labelled "x" (not a vowel code: no vowel correction) unless labels say otherwise. */
    private static Dataset rows(List<String> labelNames, int[] labels, double[]... r) {
        return new Dataset(r, labels, labelNames, FeatureLayout.RAW_NAMES);
    }

    @Test
    void talker13IsLnFMinusTheTalkersG() {
        // G = ln 500: F1 250 = G − ln 2, F2 1000 = G + ln 2, F3 2000 = G + 2 ln 2, F0 125 = G − 2 ln 2
        double[] x = FeatureLayout.TALKER13.features(f(250, 1000, 2000), 125, Math.log(500));
        assertEquals(13, x.length);
        for (int p = 0; p < 4; p++) {
            assertEquals(-LN2, x[3 * p], 1e-12);
            assertEquals(LN2, x[3 * p + 1], 1e-12);
            assertEquals(2 * LN2, x[3 * p + 2], 1e-12);
        }
        assertEquals(-2 * LN2, x[12], 1e-12);
        assertEquals(13, FeatureLayout.TALKER13.names().size());
        assertEquals("lnF0-Gtalker", FeatureLayout.TALKER13.names().get(12));
    }

    @Test
    void aTalkersFirstWordGetsGFromItsF0() {
        // the embedded table's mean over groups and vowels of (ln F1 + ln F2 + ln F3)/3: about 1.4 kHz
        assertEquals(1423.9, Math.exp(TalkerNormalization.POPULATION_G), 0.1);
        // the line through the four groups (typical F0 131, 220, 237, 228 Hz), kept within men's and children's G
        assertEquals(1222.2, Math.exp(TalkerNormalization.firstWordG(131)), 0.1, "men");
        assertEquals(1479.0, Math.exp(TalkerNormalization.firstWordG(220)), 0.1, "women");
        assertEquals(1580.3, Math.exp(TalkerNormalization.firstWordG(300)), 0.1, "children's G at most");
        assertEquals(TalkerNormalization.firstWordG(131), TalkerNormalization.firstWordG(60), 0, "men's G at least");
        assertEquals(TalkerNormalization.firstWordG(500), TalkerNormalization.firstWordG(300), 0);
        assertEquals(TalkerNormalization.POPULATION_G, TalkerNormalization.firstWordG(Double.NaN), 0);
        assertEquals(TalkerNormalization.POPULATION_G, TalkerNormalization.firstWordG(0), 0);
        // no G given: the token is a talker's first
        assertArrayEquals(FeatureLayout.TALKER13.features(f(250, 1000, 2000), 160,
                TalkerNormalization.firstWordG(160)), FeatureLayout.TALKER13.features(f(250, 1000, 2000), 160), 0);
        assertThrows(IllegalArgumentException.class,
                () -> FeatureLayout.TALKER13.features(f(250, 1000, 2000), 125, Double.POSITIVE_INFINITY));
    }

    @Test
    void neareyTakesGOverAllOfATalkersTokens() {
        // talker a: (ln 1000·3)/3 and (ln 500 + ln 2000 + ln 1000)/3 = ln 1000 both; b: every value × 1.18
        Dataset d = rows(List.of("x"), new int[4], raw(1000, 1000, 1000, 100), raw(500, 2000, 1000, 200),
                raw(1180, 1180, 1180, 118), raw(590, 2360, 1180, 236));
        Dataset t = TalkerNormalization.nearey(d, List.of("a", "a", "b", "b"));
        assertEquals(FeatureLayout.TALKER13.names(), t.featureNames());
        assertEquals(0, t.features()[0][0], 1e-12);
        assertEquals(Math.log(500) - Math.log(1000), t.features()[1][0], 1e-12);
        assertEquals(Math.log(200) - Math.log(1000), t.features()[1][12], 1e-12);
        // a talker scaled by one factor gets the same features
        assertArrayEquals(t.features()[0], t.features()[2], 1e-12);
        assertArrayEquals(t.features()[1], t.features()[3], 1e-12);
    }

    @Test
    void runningUsesOnlyTheTalkersEarlierTokensCorrectedByTheirVowel() {
        double dIy = TalkerNormalization.vowelCorrection("iy");
        assertEquals(0.110, dIy, 5e-4, "/i/: high F2 and F3 outweigh its low F1");
        assertEquals(-0.214, TalkerNormalization.vowelCorrection("uw"), 5e-4);
        Dataset d = rows(List.of("iy", "x"), new int[] {0, 1, 1, 1},
                raw(300, 2700, 3300, 120), // a's first: G from its F0
                raw(1000, 1000, 1000, 200), // b's first: G from its F0, a's token does not count
                raw(500, 2000, 1000, 120), // a's second: G = a's first token's g − d_iy
                raw(800, 800, 800, 120)); // a's third, window 1: only a's second token (ln 1000)
        Dataset t = TalkerNormalization.running(d, List.of("a", "b", "a", "a"), 1);
        assertEquals(Math.log(300) - TalkerNormalization.firstWordG(120), t.features()[0][0], 1e-12);
        assertEquals(Math.log(1000) - TalkerNormalization.firstWordG(200), t.features()[1][0], 1e-12);
        assertEquals(Math.log(200) - TalkerNormalization.firstWordG(200), t.features()[1][12], 1e-12);
        double gA1 = (Math.log(300) + Math.log(2700) + Math.log(3300)) / 3 - dIy;
        assertEquals(Math.log(500) - gA1, t.features()[2][0], 1e-12);
        assertEquals(Math.log(800) - Math.log(1000), t.features()[3][0], 1e-12);
        // a window of 2 averages a's first two tokens for its third
        Dataset t2 = TalkerNormalization.running(d, List.of("a", "b", "a", "a"), 2);
        assertEquals(Math.log(800) - (gA1 + Math.log(1000)) / 2, t2.features()[3][0], 1e-12);
    }

    @Test
    void sampledTakesGFromARandomFewOfTheTalkersOtherTokens() {
        // talker a: four tokens whose g (no vowel correction: label "x") are ln 1000, ln 2000, ln 4000, ln 8000;
        // talker b: one token, which has no other: always a first word, G from its F0
        Dataset d = rows(List.of("x"), new int[5], raw(1000, 1000, 1000, 100), raw(2000, 2000, 2000, 100),
                raw(4000, 4000, 4000, 100), raw(8000, 8000, 8000, 100), raw(1500, 1500, 1500, 250));
        List<String> who = List.of("a", "a", "a", "a", "b");
        double[] g = {Math.log(1000), Math.log(2000), Math.log(4000), Math.log(8000)};
        java.util.Set<Integer> sizes = new java.util.HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            Dataset t = TalkerNormalization.sampled(d, who, 7, seed);
            assertEquals(Math.log(1500) - TalkerNormalization.firstWordG(250), t.features()[4][0], 1e-12);
            for (int i = 0; i < 4; i++) {
                double big = g[i] - t.features()[i][0]; // the G row i got
                int k = subsetSize(big, g, i, TalkerNormalization.firstWordG(100));
                assertTrue(k >= 0, "row " + i + ", seed " + seed + ": G " + big + " is no mean of other tokens' g");
                sizes.add(k);
            }
            assertArrayEquals(t.features()[2], TalkerNormalization.sampled(d, who, 7, seed).features()[2], 0,
                    "deterministic for a seed");
        }
        assertEquals(java.util.Set.of(0, 1, 2, 3), sizes, "k spans 0 (a first word) to every other token");
        // a window of 1: G is one other token's g or the F0 start, never a mean of two
        for (long seed = 0; seed < 50; seed++) {
            Dataset t = TalkerNormalization.sampled(d, who, 1, seed);
            int k = subsetSize(g[0] - t.features()[0][0], g, 0, TalkerNormalization.firstWordG(100));
            assertTrue(k == 0 || k == 1, "window 1, seed " + seed + ": k " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> TalkerNormalization.sampled(d, who, 0, 1));
    }

    /** How many of the other tokens' g (all but {@code self}) average to {@code big}; 0 = the F0 start; −1 = none. */
    private static int subsetSize(double big, double[] g, int self, double firstWord) {
        if (Math.abs(big - firstWord) < 1e-9) {
            return 0;
        }
        for (int mask = 1; mask < 1 << g.length; mask++) {
            if ((mask & 1 << self) != 0) {
                continue;
            }
            double sum = 0;
            for (int j = 0; j < g.length; j++) {
                sum += (mask & 1 << j) != 0 ? g[j] : 0;
            }
            if (Math.abs(big - sum / Integer.bitCount(mask)) < 1e-9) {
                return Integer.bitCount(mask);
            }
        }
        return -1;
    }

    @Test
    void badInputIsNamed() {
        Dataset d = rows(List.of("x"), new int[1], raw(300, 2700, 3300, 120));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TalkerNormalization.nearey(d, List.of("a", "b")));
        assertTrue(e.getMessage().contains("2 talker ids for 1 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureLayout.TALKER13.apply(d));
        assertTrue(e.getMessage().contains("needs each row's talker"), e.getMessage());
        Dataset bad = rows(List.of("x"), new int[1], raw(300, 2700, 3300, 0));
        e = assertThrows(IllegalArgumentException.class, () -> TalkerNormalization.nearey(bad, List.of("a")));
        assertTrue(e.getMessage().startsWith("row 1: feature layout talker13 needs F0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TalkerNormalization.running(d, List.of("a"), 0));
    }
}
