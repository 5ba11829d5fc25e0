package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Pins talker13: known talker G → known features, G over a talker's tokens, and what a talker's first word gets (G from its F0). */
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
