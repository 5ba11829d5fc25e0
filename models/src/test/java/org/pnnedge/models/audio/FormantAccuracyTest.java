package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/**
 * Estimator accuracy on the Klatt-style synthesizer: per talker group (men, women, children = boys + girls), all
 * 12 vowels, {@value #TOKENS} tokens each; median absolute error in % of F1, F2, F3 over the four time points, and
 * of F0. Two sets: isolated vowels from the group's typical voice (F0 varied ±5 % SD, formants scaled by a talker
 * factor, SD 4 %), and /hVd/ words from {@link VowelSynthesizer.Voice#random random voices} (F0 SD 12 %,
 * bandwidths ×0.8–1.6, aspiration, noise floor −70 to −35 dB) where the nucleus must also leave out the /h/ and
 * the /d/ voice bar.
 */
class FormantAccuracyTest {

    static final int TOKENS = 3;
    static final Map<String, Set<TalkerGroup>> GROUPS = new LinkedHashMap<>();
    static final Map<String, double[]> MEDIAN_ERR = new LinkedHashMap<>(); // F1, F2, F3, F0, max12
    static final Map<String, Integer> FAILURES = new LinkedHashMap<>();
    static final Map<String, double[]> HVD_MEDIAN_ERR = new LinkedHashMap<>();
    static final Map<String, Integer> HVD_FAILURES = new LinkedHashMap<>();
    /** /hVd/ tokens whose first or last nucleus frame centre lies more than 10 ms outside the vowel. */
    static final Map<String, Integer> HVD_OUTSIDE = new LinkedHashMap<>();
    /** Low input rates (isolated vowels, and /hVd/ at 8 kHz): rate → group → errors, as {@link #MEDIAN_ERR}. */
    static final Map<String, Map<String, double[]>> LOW_RATE_ERR = new LinkedHashMap<>();
    static final Map<String, Map<String, Integer>> LOW_RATE_FAILURES = new LinkedHashMap<>();
    /** Tokens with an F3 above 90 % of the Nyquist frequency, left out of the F3 column, per rate and group. */
    static final Map<String, Map<String, Integer>> LOW_RATE_F3_EXCLUDED = new LinkedHashMap<>();

    static {
        GROUPS.put("men", EnumSet.of(TalkerGroup.MEN));
        GROUPS.put("women", EnumSet.of(TalkerGroup.WOMEN));
        GROUPS.put("children", EnumSet.of(TalkerGroup.BOYS, TalkerGroup.GIRLS));
    }

    @BeforeAll
    static void measure() {
        System.out.println("Median absolute error (%), estimator vs. synthesizer truth, isolated vowels:");
        System.out.print(measure(false, MEDIAN_ERR, FAILURES, new LinkedHashMap<>()));
        System.out.println("Median absolute error (%), /hVd/ words, random voices:");
        System.out.print(measure(true, HVD_MEDIAN_ERR, HVD_FAILURES, HVD_OUTSIDE));
        for (String key : new String[] {"8000", "11025", "8000 hVd"}) {
            int rate = Integer.parseInt(key.split(" ")[0]);
            boolean hvd = key.endsWith("hVd");
            Map<String, double[]> err = new LinkedHashMap<>();
            Map<String, Integer> fails = new LinkedHashMap<>(), excluded = new LinkedHashMap<>();
            System.out.println("Median absolute error (%), " + (hvd ? "/hVd/ words, random voices" : "isolated vowels")
                    + ", recorded at " + rate + " Hz (F3 over tokens with F3 < 90 % of Nyquist; excl. = tokens left out):");
            System.out.print(measure(hvd, rate, err, fails, new LinkedHashMap<>(), excluded));
            LOW_RATE_ERR.put(key, err);
            LOW_RATE_FAILURES.put(key, fails);
            LOW_RATE_F3_EXCLUDED.put(key, excluded);
        }
    }

    static String measure(boolean hvd, Map<String, double[]> medianErr, Map<String, Integer> failures,
                          Map<String, Integer> outside) {
        return measure(hvd, 16000, medianErr, failures, outside, new LinkedHashMap<>());
    }

    /**
     * Errors at input rate {@code rate}: the vowels are rendered at 16 kHz and, for another rate, band-limited and
     * resampled to it by {@link Resampler} (as a recorder's anti-aliasing filter and ADC would). Rendering directly
     * at 8 kHz does not give a realistic recording: the synthesizer's F4/F5 resonators (at or above 3.9 kHz) alias
     * onto the band edge, where their DC-normalised gain puts ~40 dB more energy than at F1.
     */
    static String measure(boolean hvd, int rate, Map<String, double[]> medianErr, Map<String, Integer> failures,
                          Map<String, Integer> outside, Map<String, Integer> f3Excluded) {
        StringBuilder table = new StringBuilder();
        double f3Limit = rate == 16000 ? Double.POSITIVE_INFINITY : 0.9 * rate / 2;
        table.append(String.format(Locale.ROOT, "%-9s %6s %8s %8s %8s %8s %8s %8s%s%n", "group", "tokens", "F1 %",
                "F2 %", "F3 %", "F0 %", "max12 %", "outside", rate == 16000 ? "" : "    excl."));
        for (var e : GROUPS.entrySet()) {
            List<List<Double>> err = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                err.add(new ArrayList<>());
            }
            List<List<Double>> feat = new ArrayList<>();
            for (int j = 0; j < 12; j++) {
                feat.add(new ArrayList<>());
            }
            int fails = 0, n = 0, out = 0, excl = 0;
            for (TalkerGroup g : e.getValue()) {
                for (Vowel v : Vowel.values()) {
                    for (int t = 0; t < TOKENS; t++) {
                        long seed = 1000L * g.ordinal() + 31L * v.ordinal() + t + (hvd ? 500_000 : 0);
                        Random rnd = new Random(seed);
                        double scale = Math.exp(0.04 * rnd.nextGaussian());
                        double[] f = SyntheticVowels.meanHz(g, v);
                        for (int j = 0; j < 12; j++) {
                            f[j] *= scale;
                        }
                        VowelSynthesizer.Voice voice = hvd ? VowelSynthesizer.Voice.random(g, scale, rnd)
                                : new VowelSynthesizer.Voice(VowelSynthesizer.typicalF0(g)
                                * Math.exp(0.05 * rnd.nextGaussian()), VowelSynthesizer.typicalF4(g) * scale, 1,
                                0.40, 0.01, 0, 3e-4);
                        VowelSynthesizer.Rendering r = VowelSynthesizer.render(f, voice,
                                0.22 + 0.1 * rnd.nextDouble(), 16000, hvd, seed, 0.5);
                        if (rate != 16000) {
                            r = new VowelSynthesizer.Rendering(Resampler.resample(r.audio(), rate), r.truthHz(),
                                    r.f0MeanHz(), r.vowelStartSec(), r.vowelEndSec());
                        }
                        boolean f3Out = false;
                        for (int j = 2; j < 12; j += 3) {
                            f3Out |= r.truthHz()[j] >= f3Limit;
                        }
                        excl += f3Out ? 1 : 0;
                        n++;
                        try {
                            FormantFeatures.Result res = FormantFeatures.extract(r.audio());
                            double[] est = res.featuresHz();
                            for (int j = 0; j < 12; j++) {
                                double pe = 100 * Math.abs(est[j] / r.truthHz()[j] - 1);
                                if (j % 3 == 2 && f3Out) {
                                    continue;
                                }
                                err.get(j % 3).add(pe);
                                feat.get(j).add(pe);
                            }
                            err.get(3).add(100 * Math.abs(res.f0Hz() / r.f0MeanHz() - 1));
                            double half = LpcFormants.FRAME_SECONDS / 2;
                            if (res.nucleusStartSec() + half < r.vowelStartSec() - 0.010
                                    || res.nucleusEndSec() - half > r.vowelEndSec() + 0.010) {
                                out++;
                            }
                        } catch (AudioException ex) {
                            fails++;
                        }
                    }
                }
            }
            double[] med = new double[5];
            for (int k = 0; k < 4; k++) {
                med[k] = median(err.get(k));
            }
            for (int j = 0; j < 12; j++) {
                med[4] = Math.max(med[4], median(feat.get(j)));
            }
            medianErr.put(e.getKey(), med);
            failures.put(e.getKey(), fails);
            outside.put(e.getKey(), out);
            f3Excluded.put(e.getKey(), excl);
            table.append(String.format(Locale.ROOT, "%-9s %6d %8.2f %8.2f %8.2f %8.2f %8.2f %8d%s%n", e.getKey(), n,
                    med[0], med[1], med[2], med[3], med[4], out,
                    rate == 16000 ? "" : String.format(Locale.ROOT, " %8d", excl)));
        }
        return table.toString();
    }

    static double median(List<Double> v) {
        return FormantFeatures.median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void everyTokenIsAnalysed() {
        FAILURES.forEach((g, f) -> assertEquals(0, f, g + ": tokens rejected"));
        HVD_FAILURES.forEach((g, f) -> assertEquals(0, f, g + ": /hVd/ tokens rejected"));
    }

    @Test
    void medianFormantErrorPerGroup() {
        // measured (AUDIO-FORMANTS.md): men 1.8/0.6/0.4, women 1.7/0.8/0.4, children 1.9/1.0/0.4 % (F1/F2/F3)
        // (before DAP at high F0: women 4.7 %, children 6.1 % F1); with DAP's pre-emphasis corner at 1.5·F0 and five
        // pooled frames (audio.md, "F1 at high F0"): women 1.8/0.6/0.4, children 1.6/0.9/0.3 %
        for (var e : MEDIAN_ERR.entrySet()) {
            double[] m = e.getValue();
            assertTrue(m[0] < 3.0, e.getKey() + " F1 median error " + m[0] + " %");
            for (int k = 1; k < 3; k++) {
                assertTrue(m[k] < 2.0, e.getKey() + " F" + (k + 1) + " median error " + m[k] + " %");
            }
            assertTrue(m[4] < 3.5, e.getKey() + " worst per-feature median error " + m[4] + " %");
        }
    }

    @Test
    void medianFormantErrorOnHvdWordsFromRandomVoices() {
        // measured: men 2.8/1.1/0.8, women 1.9/1.2/0.9, children 2.2/1.3/0.9 % (F1/F2/F3); before: women F1 3.9,
        // children F1 3.5 and F3 1.9 % with max12 9.4 % (F3 = F4 picks); with the corner and pooling: women
        // 1.8/1.1/0.5, children 1.9/1.0/0.7 %
        for (var e : HVD_MEDIAN_ERR.entrySet()) {
            double[] m = e.getValue();
            assertTrue(m[0] < 4.0, e.getKey() + " /hVd/ F1 median error " + m[0] + " %");
            for (int k = 1; k < 3; k++) {
                assertTrue(m[k] < 2.5, e.getKey() + " /hVd/ F" + (k + 1) + " median error " + m[k] + " %");
            }
            assertTrue(m[4] < 4.5, e.getKey() + " /hVd/ worst per-feature median error " + m[4] + " %");
            assertTrue(m[3] < 3.0, e.getKey() + " /hVd/ F0 median error " + m[3] + " %");
        }
    }

    @Test
    void hvdNucleusStaysInsideTheVowel() {
        // the /h/ and the /d/ voice bar are left out (measured 0 per group; 2/5/19 before): allow 1 token in 12
        HVD_OUTSIDE.forEach((g, out) -> assertTrue(out <= (g.equals("children") ? 6 : 3),
                g + ": " + out + " /hVd/ tokens with the nucleus outside the vowel"));
    }

    @Test
    void lowSampleRates() {
        // 8 kHz recordings are analysed at 8 kHz (LPC order 10, DAP order 8), 11.025 kHz ones at 10 kHz as before.
        // Measured (AUDIO-FORMANTS.md, "Low sample rates"): isolated 8 kHz men 2.0/0.8/1.3, women 1.6/0.7/0.3,
        // children 1.9/1.1/0.8 % (F1/F2/F3). F3 is scored on tokens whose F3 stays below 90 % of the Nyquist
        // frequency (3.6 kHz at 8 kHz: some children's /iy/, /ih/ reach 3.7 kHz, where the anti-aliasing filter
        // of the recorder already cuts); the excluded tokens still count for F1/F2 and must not be rejected.
        LOW_RATE_FAILURES.forEach((rate, f) -> f.forEach((g, n) -> assertEquals(0, n, rate + " Hz " + g + ": rejected")));
        LOW_RATE_ERR.forEach((rate, groups) -> groups.forEach((g, m) -> {
            boolean hvd = rate.endsWith("hVd");
            for (int k = 0; k < 3; k++) {
                double limit = hvd ? (k == 0 ? 4.0 : 2.5) : (k == 0 ? 3.0 : 2.0);
                assertTrue(m[k] < limit, rate + " Hz " + g + " F" + (k + 1) + " median error " + m[k] + " %");
            }
            assertTrue(m[3] < 3.0, rate + " Hz " + g + " F0 median error " + m[3] + " %");
            assertTrue(m[4] < 5.0, rate + " Hz " + g + " worst per-feature median error " + m[4] + " %");
        }));
        assertTrue(LOW_RATE_F3_EXCLUDED.get("8000").get("children") <= 12, "too few children's tokens scored for F3");
    }

    @Test
    void medianF0ErrorPerGroup() {
        MEDIAN_ERR.forEach((g, m) -> assertTrue(m[3] < 3.0, g + " F0 median error " + m[3] + " %"));
    }

    @Test
    void normalisationToPatUnits() throws AudioException {
        VowelSynthesizer.Rendering r = VowelSynthesizer.vowel(TalkerGroup.WOMEN, Vowel.AE, 7);
        FormantFeatures.Result res = FormantFeatures.extract(r.audio());
        double[] pat = res.toNormalized(Normalization.patVowel7());
        double[] hz = res.featuresHz();
        for (int j = 0; j < 12; j++) {
            assertEquals(hz[j] / Normalization.PAT_VOWEL7_MAXIMA_HZ.get(j), pat[j], 1e-12);
        }
        assertTrue(res.confidence() > 0.5, "clean synthetic vowel should be confident: " + res.confidence());
        assertTrue(res.nucleusStartSec() >= r.vowelStartSec() - 0.03 && res.nucleusEndSec() <= r.vowelEndSec() + 0.03,
                "nucleus inside the vowel");
    }
}
