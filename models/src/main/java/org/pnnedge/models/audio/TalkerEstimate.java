package org.pnnedge.models.audio;

import java.util.Arrays;

import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.TalkerNormalization;

/**
 * A running estimate of one talker, updated with the vowels {@code pnn listen} hears: the talker's log-mean
 * formant level G (Nearey 1978's extrinsic normalisation constant) and geometric-mean F0 over the last
 * {@link #window()} vowels it accepted. audio.md, "A running per-talker estimate", has the equations and the
 * measurement that motivates it (on speech-synthesizer voices, dividing by the talker's own G did better than any
 * per-token layout).
 *
 * <p>Each vowel brings g = (ln F1 + ln F2 + ln F3) / 3 − d<sub>v</sub> at steady state, d<sub>v</sub> the vowel
 * correction of the label the vowel was heard as ({@link #vowelCorrection}: how far that vowel's g lies above the
 * mean over all vowels of the formant table, 0 for a label it does not know). Without the correction G leans toward
 * the vowels said so far; {@link #settled()} says when enough different vowels have been heard. Because the label
 * is the model's own answer, a wrong answer pulls G the wrong way and later words follow it, so:
 * <ul>
 *   <li>a vowel whose answer's confidence c is below {@link #minConfidence()} is not added (it changes nothing);</li>
 *   <li>G is the confidence-weighted mean of the remembered vowels' g, Σ c<sub>i</sub> g<sub>i</sub> / Σ c<sub>i</sub>;</li>
 *   <li>one vowel moves G by at most {@link #maxStep()}: G<sub>t</sub> = clamp(that mean, G<sub>t−1</sub> ± Δ),
 *       and the first vowel's G<sub>t−1</sub> is G<sub>0</sub>(F0) of that vowel
 *       ({@link TalkerNormalization#firstWordG}), the G a talker's first word is classified with.</li>
 * </ul>
 * The talker-normalised features of a vowel are then ln F<sub>k</sub> − G for its 12 formant values and ln F0 − G.
 * The window forgets old vowels, so a new talker replaces the old one within {@code window} vowels (faster when its
 * G is within Δ per vowel of the old one's).
 *
 * <p>Not thread-safe: one listener's thread owns it.
 */
public final class TalkerEstimate {
    /** Distinct vowel labels after which {@link #settled()} holds (about half of a 7-vowel system). */
    public static final int SETTLED_DISTINCT = 4;
    /**
     * Default {@link #minConfidence()}: an answer with less than 0.6 of the probability is one the model was torn
     * on, and its vowel correction is as likely wrong as right. Chosen before measuring, not tuned on the TTS words.
     */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.6;
    /**
     * Default {@link #maxStep()}, natural log: 0.1 ≈ 10.5 %, about the spread of one talker's corrected g around its
     * G, and about half the distance between the men's and the children's G; a talker ≈ 20 % from G<sub>0</sub>(F0)
     * is reached in two vowels.
     */
    public static final double DEFAULT_MAX_STEP = 0.1;

    private final int window;
    private final double minConfidence;
    private final double maxStep;
    private final double[] tokenG;
    private final double[] weight;
    private final double[] tokenLnF0;
    private final String[] labels;
    private int count;
    private int next;
    /** G after the last accepted vowel (the clamped one); NaN before the first. */
    private double g = Double.NaN;

    /**
     * With {@link #DEFAULT_MIN_CONFIDENCE} and {@link #DEFAULT_MAX_STEP}.
     *
     * @param window how many recent vowels the estimate remembers, at least 1
     * @throws IllegalArgumentException when {@code window} is below 1
     */
    public TalkerEstimate(int window) {
        this(window, DEFAULT_MIN_CONFIDENCE, DEFAULT_MAX_STEP);
    }

    /**
     * @param window        how many recent vowels the estimate remembers, at least 1
     * @param minConfidence answers below this confidence (0..1) are not added; 0 adds every one
     * @param maxStep       the most one vowel moves G (natural log, &gt; 0); {@code Double.POSITIVE_INFINITY} for no
     *                      bound (then G is the plain weighted mean)
     * @throws IllegalArgumentException naming the value when one is out of range
     */
    public TalkerEstimate(int window, double minConfidence, double maxStep) {
        if (window < 1) {
            throw new IllegalArgumentException("a talker window of at least 1 vowel is needed, got " + window);
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("a minimum confidence between 0 and 1 is needed, got " + minConfidence);
        }
        if (!(maxStep > 0)) {
            throw new IllegalArgumentException("a positive step bound is needed, got " + maxStep);
        }
        this.window = window;
        this.minConfidence = minConfidence;
        this.maxStep = maxStep;
        this.weight = new double[window];
        this.tokenG = new double[window];
        this.tokenLnF0 = new double[window];
        this.labels = new String[window];
    }

    /**
     * Adds one vowel whose label is known for certain (confidence 1: a prompted word, or a test).
     *
     * @see #add(double[], double, String, double)
     */
    public boolean add(double[] formantsHz, double f0Hz, String label) {
        return add(formantsHz, f0Hz, label, 1);
    }

    /**
     * Adds one vowel, unless its answer's confidence is below {@link #minConfidence()}.
     *
     * @param formantsHz the 12 formant values in Hz (F1–F3 at steady state first, as {@link FormantFeatures})
     * @param f0Hz       its F0 in Hz
     * @param label      what it was classified as (counts toward {@link #settled()}); may be null
     * @param confidence the answer's confidence (the model's probability of {@code label}), 0..1: its weight
     * @return whether the vowel was added
     * @throws IllegalArgumentException naming the value when a steady-state formant, F0 or the confidence is not
     *                                  valid; nothing changes then
     */
    public boolean add(double[] formantsHz, double f0Hz, String label, double confidence) {
        double tokenLogMean = TalkerNormalization.tokenLogMean(formantsHz, label);
        positive("F0", f0Hz);
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence = " + confidence + " is not between 0 and 1");
        }
        if (confidence < minConfidence || confidence == 0) {
            return false;
        }
        double before = count == 0 ? TalkerNormalization.firstWordG(f0Hz) : g;
        tokenG[next] = tokenLogMean;
        weight[next] = confidence;
        tokenLnF0[next] = Math.log(f0Hz);
        labels[next] = label;
        next = (next + 1) % window;
        count = Math.min(count + 1, window);
        double sum = 0;
        double w = 0;
        for (int i = 0; i < count; i++) {
            sum += weight[i] * tokenG[i];
            w += weight[i];
        }
        g = Math.max(before - maxStep, Math.min(before + maxStep, sum / w));
        return true;
    }

    /** Vowels the estimate currently rests on (at most {@link #window()}). */
    public int vowels() {
        return count;
    }

    public int window() {
        return window;
    }

    /** Answers below this confidence are not added. */
    public double minConfidence() {
        return minConfidence;
    }

    /** The most one vowel moves G (natural log). */
    public double maxStep() {
        return maxStep;
    }

    /**
     * The talker's log-mean formant level G (natural log of Hz): the confidence-weighted mean of the remembered
     * vowels' g, each vowel's move bounded by {@link #maxStep()}; NaN before the first vowel.
     */
    public double logMean() {
        return g;
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
        g = Double.NaN;
        Arrays.fill(labels, null);
    }

    private static double positive(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " = " + v + " Hz is not a positive number");
        }
        return v;
    }
}
