package org.pnnedge.models.audio;

import java.util.Arrays;

import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.TalkerNormalization;

/**
 * A running estimate of one talker, updated with every vowel {@code pnn listen} hears: the talker's log-mean
 * formant level G (Nearey 1978's extrinsic normalisation constant) and geometric-mean F0 over the last
 * {@link #window()} vowels. audio.md, "A running per-talker estimate", has the equations and the measurement that
 * motivates it (on speech-synthesizer voices, dividing by the talker's own G did better than any per-token layout).
 *
 * <p>G = mean over the remembered vowels of g − d<sub>v</sub>, with g = (ln F1 + ln F2 + ln F3) / 3 at steady
 * state and d<sub>v</sub> the vowel correction of the label the vowel was heard as ({@link #vowelCorrection}: how
 * far that vowel's g lies above the mean over all vowels of the formant table, 0 for a label it does not know).
 * Without the correction G leans toward the vowels said so far (Nearey's constant is a mean over a talker's whole
 * vowel system: a talker who said only "heed" and "had" would look larger than one who said "who'd" and "heard");
 * {@link #settled()} says when enough different vowels have been heard. The talker-normalised features of a vowel
 * are then ln F<sub>k</sub> − G for its 12 formant values and ln F0 − G. The window forgets old vowels, so a new
 * talker replaces the old one within {@code window} vowels.
 *
 * <p>Not thread-safe: one listener's thread owns it.
 */
public final class TalkerEstimate {
    /** Distinct vowel labels after which {@link #settled()} holds (about half of a 7-vowel system). */
    public static final int SETTLED_DISTINCT = 4;

    private final int window;
    private final double[] tokenG;
    private final double[] tokenLnF0;
    private final String[] labels;
    private int count;
    private int next;

    /**
     * @param window how many recent vowels the estimate remembers, at least 1
     * @throws IllegalArgumentException when {@code window} is below 1
     */
    public TalkerEstimate(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("a talker window of at least 1 vowel is needed, got " + window);
        }
        this.window = window;
        this.tokenG = new double[window];
        this.tokenLnF0 = new double[window];
        this.labels = new String[window];
    }

    /**
     * Adds one vowel.
     *
     * @param formantsHz the 12 formant values in Hz (F1–F3 at steady state first, as {@link FormantFeatures})
     * @param f0Hz       its F0 in Hz
     * @param label      what it was classified as (counts toward {@link #settled()}); may be null
     * @throws IllegalArgumentException naming the value when a steady-state formant or F0 is not a positive number
     */
    public void add(double[] formantsHz, double f0Hz, String label) {
        double g = TalkerNormalization.tokenLogMean(formantsHz, label);
        positive("F0", f0Hz);
        tokenG[next] = g;
        tokenLnF0[next] = Math.log(f0Hz);
        labels[next] = label;
        next = (next + 1) % window;
        count = Math.min(count + 1, window);
    }

    /** Vowels the estimate currently rests on (at most {@link #window()}). */
    public int vowels() {
        return count;
    }

    public int window() {
        return window;
    }

    /** The talker's log-mean formant level G (natural log of Hz); NaN before the first vowel. */
    public double logMean() {
        return count == 0 ? Double.NaN : Arrays.stream(tokenG, 0, count).average().orElseThrow();
    }

    /**
     * G for the features of the next vowel of a {@link FeatureLayout#TALKER13} model: {@link #logMean()} over the
     * vowels heard before it; NaN before the first (then the layout takes G from that vowel's F0,
     * {@link TalkerNormalization#firstWordG}).
     */
    public double talkerG() {
        return logMean();
    }

    /** exp(G): the geometric mean of the talker's F1–F3, Hz; NaN before the first vowel. */
    public double formantMeanHz() {
        return Math.exp(logMean());
    }

    /** Geometric-mean F0 of the remembered vowels, Hz; NaN before the first vowel. */
    public double f0Hz() {
        return count == 0 ? Double.NaN : Math.exp(Arrays.stream(tokenLnF0, 0, count).average().orElseThrow());
    }

    /** Whether at least {@link #SETTLED_DISTINCT} different vowel labels are among the remembered vowels. */
    public boolean settled() {
        return Arrays.stream(labels, 0, count).filter(l -> l != null).distinct().count() >= SETTLED_DISTINCT;
    }

    /**
     * A vowel's talker-normalised features: ln F<sub>k</sub> − G for each formant value given, then ln F0 − G.
     *
     * @throws IllegalStateException before the first vowel
     */
    public double[] normalize(double[] formantsHz, double f0Hz) {
        if (count == 0) {
            throw new IllegalStateException("no vowel heard yet: the talker's log-mean is unknown");
        }
        double g = logMean();
        double[] out = new double[formantsHz.length + 1];
        for (int k = 0; k < formantsHz.length; k++) {
            out[k] = Math.log(positive("formant " + (k + 1), formantsHz[k])) - g;
        }
        out[formantsHz.length] = Math.log(positive("F0", f0Hz)) - g;
        return out;
    }

    /** d<sub>v</sub> of a label: {@link TalkerNormalization#vowelCorrection}. */
    public static double vowelCorrection(String label) {
        return TalkerNormalization.vowelCorrection(label);
    }

    /** Forgets every vowel (a new talker). */
    public void reset() {
        count = 0;
        next = 0;
        Arrays.fill(labels, null);
    }

    private static double positive(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " = " + v + " Hz is not a positive number");
        }
        return v;
    }
}
