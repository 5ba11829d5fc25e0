package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Known measurements → known features, worked out by hand (audio.md, "Talker normalisation"). */
class FeatureLayoutTest {
    // F1 250, F2 1000, F3 2000 Hz at all four time points, F0 125 Hz: chosen so that the token's log-mean is
    // (ln 125 + ln 250 + ln 1000 + ln 2000) / 4 = ln (125·250·1000·2000)^(1/4) = ln 500
    private static final double[] HZ = {250, 1000, 2000, 250, 1000, 2000, 250, 1000, 2000, 250, 1000, 2000};
    private static final double F0 = 125;
    private static final double LN2 = Math.log(2);

    @Test
    void hz12IsThePatUnitsOfTheLegacyBundles() {
        double[] f = FeatureLayout.HZ12.features(HZ, F0);
        assertEquals(12, f.length);
        assertEquals(250 / 1163.0, f[0], 1e-12);
        assertEquals(1000 / 3049.0, f[1], 1e-12);
        assertEquals(2000 / 3859.0, f[11], 1e-12);
        assertArrayEquals(Normalization.patVowel7().apply(HZ), f, 1e-15);
        // F0 is not used: a missing F0 is fine
        assertArrayEquals(f, FeatureLayout.HZ12.features(HZ, Double.NaN), 0);
    }

    @Test
    void log13IsLnOfEveryFormantAndF0() {
        double[] f = FeatureLayout.LOG13.features(HZ, F0);
        assertEquals(13, f.length);
        assertEquals(Math.log(250), f[0], 1e-12);
        assertEquals(Math.log(2000), f[11], 1e-12);
        assertEquals(Math.log(125), f[12], 1e-12);
    }

    @Test
    void barkDifferencesBySyrdalAndGopal() {
        // Z(f) = 26.81 f / (1960 + f) - 0.53: Z(125) = 3351.25/2085 - 0.53 = 1.077314, Z(250) = 6702.5/2210 - 0.53
        // = 2.502805, Z(1000) = 26810/2960 - 0.53 = 8.527432, Z(2000) = 53620/3960 - 0.53 = 13.010404
        assertEquals(1.077314, FeatureLayout.bark(125), 1e-6);
        assertEquals(8.527432, FeatureLayout.bark(1000), 1e-6);
        double[] f = FeatureLayout.BARK13.features(HZ, F0);
        for (int p = 0; p < 4; p++) {
            assertEquals(1.425491, f[3 * p], 1e-6, "Z1-Z0");
            assertEquals(6.024627, f[3 * p + 1], 1e-6, "Z2-Z1");
            assertEquals(4.482972, f[3 * p + 2], 1e-6, "Z3-Z2");
        }
        assertEquals(1.077314, f[12], 1e-6, "Z0");
    }

    @Test
    void logMeanSubtractsTheTokensOwnLogMean() {
        double[] f = FeatureLayout.LOGMEAN13.features(HZ, F0);
        // G = ln 500: ln(250/500) = -ln 2, ln(1000/500) = ln 2, ln(2000/500) = 2 ln 2, ln(125/500) = -2 ln 2
        for (int p = 0; p < 4; p++) {
            assertEquals(-LN2, f[3 * p], 1e-12);
            assertEquals(LN2, f[3 * p + 1], 1e-12);
            assertEquals(2 * LN2, f[3 * p + 2], 1e-12);
        }
        assertEquals(-2 * LN2, f[12], 1e-12);
    }

    @Test
    void normalisedLayoutsDoNotChangeWhenTheWholeVoiceIsScaled() {
        // the point of talker normalisation: a talker with every frequency × 1.2 (shorter tract, higher voice)
        double[] scaled = new double[12];
        for (int j = 0; j < 12; j++) {
            scaled[j] = 1.2 * HZ[j];
        }
        assertArrayEquals(FeatureLayout.LOGMEAN13.features(HZ, F0), FeatureLayout.LOGMEAN13.features(scaled, 1.2 * F0),
                1e-12);
        double[] a = FeatureLayout.LOG13.features(HZ, F0);
        double[] b = FeatureLayout.LOG13.features(scaled, 1.2 * F0);
        assertEquals(Math.log(1.2), b[5] - a[5], 1e-12, "log13 keeps the scale as an offset");
    }

    @Test
    void layoutsThatNeedF0RefuseAMissingOneAndNameIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureLayout.BARK13.features(HZ, 0));
        assertTrue(e.getMessage().contains("bark13 needs F0"), e.getMessage());
        double[] bad = HZ.clone();
        bad[4] = -1;
        e = assertThrows(IllegalArgumentException.class, () -> FeatureLayout.LOG13.features(bad, F0));
        assertTrue(e.getMessage().contains("F2_20"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureLayout.LOG13.features(new double[11], F0));
    }

    @Test
    void idsNamesAndRawData() {
        assertEquals(FeatureLayout.HZ12, FeatureLayout.of(null), "no field: the legacy layout");
        assertEquals(FeatureLayout.BARK13, FeatureLayout.of("bark13"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureLayout.of("mel20"));
        assertTrue(e.getMessage().contains("known: hz12, log13, bark13, logmean13"), e.getMessage());
        for (FeatureLayout l : FeatureLayout.values()) {
            assertEquals(l.size(), l.names().size(), l.id());
            assertEquals(l, FeatureLayout.of(l.id()));
        }
        double[] row = java.util.Arrays.copyOf(HZ, 13);
        row[12] = F0;
        Dataset raw = new Dataset(new double[][] {row}, new int[] {0}, List.of("iy"), FeatureLayout.RAW_NAMES);
        Dataset bark = FeatureLayout.BARK13.apply(raw);
        assertEquals(FeatureLayout.BARK13.names(), bark.featureNames());
        assertArrayEquals(FeatureLayout.BARK13.features(HZ, F0), bark.features()[0], 0);
        Dataset hz = new Dataset(new double[][] {HZ}, new int[] {0}, List.of("iy"), HillenbrandReader.FEATURE_NAMES);
        assertThrows(IllegalArgumentException.class, () -> FeatureLayout.BARK13.apply(hz));
    }
}
