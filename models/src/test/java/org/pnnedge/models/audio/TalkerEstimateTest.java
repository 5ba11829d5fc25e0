package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/** Pins the running per-talker estimate: known vowels in, known G, F0 and normalised features out. */
class TalkerEstimateTest {

    private static double[] f(double f1, double f2, double f3) {
        return new double[] {f1, f2, f3, f1, f2, f3, f1, f2, f3, f1, f2, f3};
    }

    @Test
    void logMeanIsTheMeanOfTheVowelsLogFormants() {
        TalkerEstimate t = new TalkerEstimate(7);
        assertTrue(Double.isNaN(t.logMean()));
        t.add(f(1000, 1000, 1000), 100, null); // no label: no vowel correction
        assertEquals(Math.log(1000), t.logMean(), 1e-12);
        // (ln 500 + ln 2000 + ln 1000)/3 = ln 1000: the geometric mean of 500, 2000 and 1000
        t.add(f(500, 2000, 1000), 400, null);
        assertEquals(Math.log(1000), t.logMean(), 1e-12);
        assertEquals(1000, t.formantMeanHz(), 1e-9);
        assertEquals(200, t.f0Hz(), 1e-9, "geometric mean of 100 and 400 Hz");
        assertEquals(2, t.vowels());
    }

    @Test
    void normalisedFeaturesAreLnFMinusG() {
        TalkerEstimate t = new TalkerEstimate(3);
        t.add(f(300, 2700, 3300), 220, null); // G = ln(300·2700·3300)/3
        double g = (Math.log(300) + Math.log(2700) + Math.log(3300)) / 3;
        double[] x = t.normalize(f(900, 1500, 2800), 200);
        assertEquals(13, x.length);
        assertEquals(Math.log(900) - g, x[0], 1e-12);
        assertEquals(Math.log(1500) - g, x[1], 1e-12);
        assertEquals(Math.log(2800) - g, x[11], 1e-12);
        assertEquals(Math.log(200) - g, x[12], 1e-12);
    }

    @Test
    void aTalkerScaledByAFactorGivesTheSameNormalisedFeatures() {
        // a vocal tract 18 % shorter raises every formant and (here) F0 by 1.18: the normalised features do not move
        TalkerEstimate a = new TalkerEstimate(7);
        TalkerEstimate b = new TalkerEstimate(7);
        double[][] vowels = {{300, 2700, 3300}, {900, 1500, 2800}, {450, 1000, 2400}};
        for (double[] v : vowels) {
            a.add(f(v[0], v[1], v[2]), 120, null);
            b.add(f(1.18 * v[0], 1.18 * v[1], 1.18 * v[2]), 1.18 * 120, null);
        }
        assertArrayEquals(a.normalize(f(600, 1800, 2500), 120), b.normalize(f(708, 2124, 2950), 141.6), 1e-12);
    }

    @Test
    void theWindowForgetsOldVowelsAndSettlesOnDistinctLabels() {
        TalkerEstimate t = new TalkerEstimate(2);
        t.add(f(100, 100, 100), 100, null);
        t.add(f(200, 200, 200), 100, null);
        t.add(f(400, 400, 400), 100, null); // the 100 Hz vowel is forgotten: mean of ln 200 and ln 400
        assertEquals((Math.log(200) + Math.log(400)) / 2, t.logMean(), 1e-12);
        assertEquals(2, t.vowels());
        assertFalse(t.settled(), "two distinct vowels are too few");
        TalkerEstimate w = new TalkerEstimate(7);
        for (String v : new String[] {"iy", "iy", "ah", "uw"}) {
            w.add(f(500, 1500, 2500), 150, v);
        }
        assertFalse(w.settled(), "three distinct vowels");
        w.add(f(500, 1500, 2500), 150, "er");
        assertTrue(w.settled(), "four distinct vowels");
        w.reset();
        assertEquals(0, w.vowels());
        assertFalse(w.settled());
    }

    @Test
    void theVowelCorrectionMakesGIndependentOfWhichVowelsWereSaid() {
        // a woman saying the table's mean "heed" and "had", and the same woman saying "who'd" and "heard"
        TalkerEstimate front = new TalkerEstimate(7);
        TalkerEstimate back = new TalkerEstimate(7);
        TalkerEstimate frontRaw = new TalkerEstimate(7);
        TalkerEstimate backRaw = new TalkerEstimate(7);
        for (Vowel v : List.of(Vowel.IY, Vowel.AE)) {
            front.add(SyntheticVowels.meanHz(TalkerGroup.WOMEN, v), 220, v.code());
            frontRaw.add(SyntheticVowels.meanHz(TalkerGroup.WOMEN, v), 220, null);
        }
        for (Vowel v : List.of(Vowel.UW, Vowel.ER)) {
            back.add(SyntheticVowels.meanHz(TalkerGroup.WOMEN, v), 220, v.code());
            backRaw.add(SyntheticVowels.meanHz(TalkerGroup.WOMEN, v), 220, null);
        }
        assertTrue(frontRaw.logMean() - backRaw.logMean() > 0.2,
                "uncorrected, front vowels make the talker look ~30 % larger: " + frontRaw.logMean() + " vs "
                        + backRaw.logMean());
        assertEquals(front.logMean(), back.logMean(), 0.03, "corrected");
        assertTrue(TalkerEstimate.vowelCorrection("uw") < -0.15 && TalkerEstimate.vowelCorrection("ae") > 0.1);
        assertEquals(0, TalkerEstimate.vowelCorrection("xx"));
        assertEquals(0, TalkerEstimate.vowelCorrection(null));
    }

    @Test
    void badInputIsNamed() {
        TalkerEstimate t = new TalkerEstimate(3);
        assertThrows(IllegalArgumentException.class, () -> new TalkerEstimate(0));
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> t.normalize(f(1, 2, 3), 100));
        assertTrue(none.getMessage().contains("no vowel heard yet"), none.getMessage());
        IllegalArgumentException f0 = assertThrows(IllegalArgumentException.class,
                () -> t.add(f(300, 2000, 3000), 0, "iy"));
        assertTrue(f0.getMessage().startsWith("F0 = 0.0"), f0.getMessage());
        IllegalArgumentException f2 = assertThrows(IllegalArgumentException.class,
                () -> t.add(f(300, Double.NaN, 3000), 100, "iy"));
        assertTrue(f2.getMessage().startsWith("F2 = NaN"), f2.getMessage());
        assertEquals(0, t.vowels(), "a refused vowel changes nothing");
    }

    @Test
    void theNextVowelsGIsUnknownUntilAVowelIsHeard() {
        TalkerEstimate t = new TalkerEstimate(7);
        assertTrue(Double.isNaN(t.talkerG()), "before the first vowel: NaN, the layout then takes G from its F0");
        t.add(f(500, 2000, 1000), 150, null);
        assertEquals(Math.log(1000), t.talkerG(), 1e-12);
        t.reset();
        assertTrue(Double.isNaN(t.talkerG()));
    }
}
