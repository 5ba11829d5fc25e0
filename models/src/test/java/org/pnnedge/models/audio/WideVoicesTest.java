package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/** The wider training voices: deterministic for a seed, and each documented variation does what it says. */
class WideVoicesTest {

    private static HeardVowels wide(long seed) {
        return HeardVowels.builder().groups(EnumSet.of(TalkerGroup.WOMEN, TalkerGroup.BOYS))
                .vowels(List.of(Vowel.AE, Vowel.AW, Vowel.IY)).talkers(3).seed(seed).rates(8000, 16000)
                .wideVoices(true).build();
    }

    @Test
    void wideDataIsDeterministicForASeedAndDiffersFromTheNarrowVoices() throws Exception {
        HeardVowels.Result a = wide(3).generate(null);
        HeardVowels.Result b = wide(3).generate(null);
        assertEquals(a.heard(), b.heard());
        assertEquals(a.table(), b.table());
        assertArrayEquals(a.heardF0Hz(), b.heardF0Hz(), 0);
        assertNotEquals(a.heard(), wide(4).generate(null).heard());
        HeardVowels.Result narrow = HeardVowels.builder().groups(EnumSet.of(TalkerGroup.WOMEN, TalkerGroup.BOYS))
                .vowels(List.of(Vowel.AE, Vowel.AW, Vowel.IY)).talkers(3).seed(3).rates(8000, 16000).build()
                .generate(null);
        assertNotEquals(narrow.table(), a.table(), "tract length and dialect change the rendered formants");
        assertTrue(a.heard().size() >= 0.8 * 18, a.rejected().toString());
    }

    @Test
    void aFixedSnrAddsNoiseDeterministicallyAndOnlyThat() throws Exception {
        // the same talkers and tokens clean, at 20 dB and at 10 dB: the table (what was said) is unchanged, the
        // measurements move more as the noise grows, and a seed gives the same noisy data every time
        java.util.function.DoubleFunction<HeardVowels> at = snr -> {
            HeardVowels.Builder b = HeardVowels.builder().groups(EnumSet.of(TalkerGroup.MEN))
                    .vowels(List.of(Vowel.EH, Vowel.OA, Vowel.UH)).talkers(3).seed(5);
            return (Double.isNaN(snr) ? b : b.snrDb(snr)).build();
        };
        HeardVowels.Result clean = at.apply(Double.NaN).generate(null);
        HeardVowels.Result snr20 = at.apply(20).generate(null);
        HeardVowels.Result snr10 = at.apply(10).generate(null);
        assertEquals(snr10.heard(), at.apply(10).generate(null).heard());
        assertEquals(clean.table(), snr20.table());
        assertEquals(clean.table(), snr10.table());
        assertNotEquals(clean.heard(), snr20.heard());
        assertTrue(meanAbsLogChange(clean, snr10) > meanAbsLogChange(clean, snr20),
                "more noise, larger measurement changes: 20 dB " + meanAbsLogChange(clean, snr20) + ", 10 dB "
                        + meanAbsLogChange(clean, snr10));
        assertThrows(IllegalArgumentException.class, () -> HeardVowels.builder().snrDb(-1));
        assertThrows(IllegalArgumentException.class, () -> HeardVowels.builder().snrDb(Double.NaN));
    }

    /** Mean |ln(F noisy / F clean)| over the 12 formants of the tokens (talker, vowel) both kept. */
    private static double meanAbsLogChange(HeardVowels.Result clean, HeardVowels.Result noisy) {
        java.util.Map<String, double[]> before = new java.util.HashMap<>();
        for (int i = 0; i < clean.heard().size(); i++) {
            before.put(clean.talkerIds().get(i) + "/" + clean.heard().labels()[i], clean.heard().features()[i]);
        }
        double s = 0;
        int n = 0;
        for (int i = 0; i < noisy.heard().size(); i++) {
            double[] c = before.get(noisy.talkerIds().get(i) + "/" + noisy.heard().labels()[i]);
            for (int j = 0; c != null && j < 12; j++) {
                s += Math.abs(Math.log(noisy.heard().features()[i][j] / c[j]));
                n++;
            }
        }
        assertTrue(n >= 12 * 6, "at least 6 of the 9 tokens kept in both: " + noisy.rejected());
        return s / n;
    }

    @Test
    void dialectsMoveOnlyTheirVowel() {
        double[] aw = SyntheticVowels.meanHz(TalkerGroup.MEN, Vowel.AW);
        assertArrayEquals(SyntheticVowels.meanHz(TalkerGroup.MEN, Vowel.AH),
                Dialect.COT_CAUGHT_MERGER.apply(TalkerGroup.MEN, Vowel.AW, aw), 1e-9, "hawed said as hod");
        double[] iy = SyntheticVowels.meanHz(TalkerGroup.MEN, Vowel.IY);
        assertArrayEquals(iy, Dialect.COT_CAUGHT_MERGER.apply(TalkerGroup.MEN, Vowel.IY, iy), 0);
        double[] ae = SyntheticVowels.meanHz(TalkerGroup.WOMEN, Vowel.AE);
        double[] raised = Dialect.AE_RAISING.apply(TalkerGroup.WOMEN, Vowel.AE, ae);
        assertEquals(0.85 * ae[0], raised[0], 1e-9);
        assertEquals(1.10 * ae[1], raised[1], 1e-9);
        assertEquals(ae[2], raised[2], 0);
        assertEquals(0.95 * ae[9], raised[9], 1e-9, "in-glide at 80 %");
        assertArrayEquals(ae, Dialect.GENERAL.apply(TalkerGroup.WOMEN, Vowel.AE, ae), 0);
        double[] backed = Dialect.AE_BACKING.apply(TalkerGroup.WOMEN, Vowel.AE, ae);
        assertEquals(1.10 * ae[9], backed[9], 1e-9);
        assertEquals(0.85 * ae[10], backed[10], 1e-9);
    }

    @Test
    void recordingConditionsHitTheirSnrAndKeepThePeak() {
        VowelSynthesizer.Rendering r = VowelSynthesizer.vowel(TalkerGroup.WOMEN, Vowel.AH, 1);
        Audio clean = r.audio();
        RecordingConditions noisy = new RecordingConditions(0, 0, 30, 10, false);
        Audio out = noisy.apply(clean, 7);
        double[] x = clean.samples();
        double[] y = out.samples();
        assertEquals(x.length, y.length);
        double peakX = 0, peakY = 0;
        for (int n = 0; n < x.length; n++) {
            peakX = Math.max(peakX, Math.abs(x[n]));
            peakY = Math.max(peakY, Math.abs(y[n]));
        }
        assertEquals(peakX, peakY, 1e-12, "scaled back to the input's peak");
        // undo the peak scaling by least squares, then measure the noise against the vowel's loudest half second
        double xy = 0, xx = 0;
        for (int n = 0; n < x.length; n++) {
            xy += x[n] * y[n];
            xx += x[n] * x[n];
        }
        double g = xy / xx;
        double[] noise = new double[x.length];
        double noisePower = 0;
        for (int n = 0; n < x.length; n++) {
            noise[n] = y[n] / g - x[n];
            noisePower += noise[n] * noise[n];
        }
        noisePower /= x.length;
        double snr = 10 * Math.log10(RecordingConditions.loudestPower(x, clean.sampleRate()) / noisePower);
        assertEquals(10, snr, 0.5);
        assertArrayEquals(y, noisy.apply(clean, 7).samples(), 0, "deterministic for a seed");
        assertArrayEquals(x, RecordingConditions.CLEAN.apply(clean, 7).samples(), 1e-12, "clean changes nothing");
    }

    @Test
    void reverberationAddsADecayingTailAndBadSettingsAreRefused() {
        double[] click = new double[16000];
        click[100] = 1;
        Audio out = new RecordingConditions(0, 0.3, 0, Double.POSITIVE_INFINITY, false).apply(new Audio(click, 16000), 1);
        double early = 0, late = 0;
        for (int n = 101; n < 101 + 1600; n++) {
            early += out.samples()[n] * out.samples()[n];
        }
        for (int n = 101 + 3200; n < 101 + 4800; n++) {
            late += out.samples()[n] * out.samples()[n];
        }
        // 60 dB in 0.3 s, i.e. 20 dB per 100 ms: 200-300 ms after the click carries ≈ 40 dB less energy than the first 100 ms
        double dropDb = 10 * Math.log10(early / late);
        assertTrue(dropDb > 34 && dropDb < 46, "tail drops " + dropDb + " dB");
        assertThrows(IllegalArgumentException.class, () -> new RecordingConditions(1.5, 0, 0, 20, false));
        assertThrows(IllegalArgumentException.class, () -> new RecordingConditions(0, 3, 0, 20, false));
        assertThrows(IllegalArgumentException.class, () -> new RecordingConditions(0, 0, 0, -1, false));
        RecordingConditions r = RecordingConditions.random(new Random(5));
        assertTrue(r.snrDb() >= 10 && r.snrDb() <= 40, r.toString());
        assertEquals(r, RecordingConditions.random(new Random(5)));
    }
}
