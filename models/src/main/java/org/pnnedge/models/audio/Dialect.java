package org.pnnedge.models.audio;

import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/**
 * Documented dialect variants of the /hVd/ vowels a synthetic talker may speak (audio.md, "Wider training
 * voices"). The label stays the word's (a merged talker's "hawed" is still "aw"): a model has to hear the word as
 * the talker says it.
 */
public enum Dialect {
    /** The formant table as measured (Hillenbrand et al. 1995: talkers from southern Michigan). */
    GENERAL,
    /**
     * The cot–caught merger (Labov, Ash &amp; Boberg 2006, Atlas of North American English, ch. 9): "hawed" is
     * said with the vowel of "hod". The token's /ɔ/ formants are moved to /ɑ/ by the group means' ratio, so the
     * talker's own variation stays.
     */
    COT_CAUGHT_MERGER,
    /**
     * /æ/ raising (Northern Cities shift and the pre-nasal raising of many dialects; Labov et al. 2006, ch. 14):
     * "had" with F1 × 0.85 and F2 × 1.10 at steady state, 20 % and 50 % (higher and fronter), and an in-glide back
     * to F1 × 0.95 and F2 × 1.00 at 80 %.
     */
    AE_RAISING,
    /**
     * /æ/ lowering and backing (the Low-Back-Merger Shift of California and Canada, Labov et al. 2006; Becker 2019,
     * <i>The Low-Back-Merger Shift</i>, PADS 104), the open [a] of many TTS voices too: "had" with F1 × 1.10 and
     * F2 × 0.85 at every time point.
     */
    AE_BACKING;

    /** The 12 formant values (Hz) as a talker of this dialect says vowel {@code v}. */
    public double[] apply(TalkerGroup g, Vowel v, double[] formantsHz) {
        double[] f = formantsHz.clone();
        if (this == COT_CAUGHT_MERGER && v == Vowel.AW) {
            double[] aw = SyntheticVowels.meanHz(g, Vowel.AW);
            double[] ah = SyntheticVowels.meanHz(g, Vowel.AH);
            for (int j = 0; j < f.length; j++) {
                f[j] *= ah[j] / aw[j];
            }
        } else if (this == AE_BACKING && v == Vowel.AE) {
            for (int p = 0; p < 4; p++) {
                f[3 * p] *= 1.10;
                f[3 * p + 1] *= 0.85;
            }
        } else if (this == AE_RAISING && v == Vowel.AE) {
            for (int p = 0; p < 4; p++) {
                boolean glide = p == 3;
                f[3 * p] *= glide ? 0.95 : 0.85;
                f[3 * p + 1] *= glide ? 1.00 : 1.10;
            }
        }
        return f;
    }
}
