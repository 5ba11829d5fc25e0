package org.pnnedge.models.data;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The talker's log-mean formant level G of {@link FeatureLayout#TALKER13} (Nearey 1978's extrinsic log-mean), for a
 * whole data set grouped by talker, and the constants the running estimate of {@code pnn listen} shares with it.
 * Equations: src/site/markdown/audio.md, "talker13".
 *
 * <p>Per token g = ⅓ (ln F1 + ln F2 + ln F3) at steady state − d<sub>v</sub>, with d<sub>v</sub>
 * ({@link #vowelCorrection}) how far vowel v's g lies above the mean over the 12 vowels of the embedded formant
 * table. G of a talker is the mean of g over its tokens:
 * <ul>
 *   <li>{@link #nearey}: over all the talker's tokens (training data: every synthetic or Hillenbrand talker said
 *       every vowel);</li>
 *   <li>{@link #running}: over at most {@code window} tokens of the same talker <em>before</em> this one, in data
 *       order, corrected by the labels of those earlier tokens (as a user meets a talker whose earlier words are
 *       known: prompted words; {@code pnn listen} uses the model's answers instead). A talker's first token gets
 *       {@link #firstWordG} of its F0.</li>
 *   <li>{@link #sampled}: over a random few of the talker's other tokens (training data that meets the G error of
 *       {@link #running}).</li>
 * </ul>
 */
public final class TalkerNormalization {
    /** d_v per vowel, from the embedded formant table (mean over the four talker groups). */
    private static final Map<Vowel, Double> CORRECTION = corrections();

    /**
     * The G a talker gets before any of its vowels is known: mean over the four groups and 12 vowels of the
     * embedded formant table of ⅓ Σ ln F<sub>1..3</sub> (natural log of Hz).
     */
    public static final double POPULATION_G = populationG();

    /** Intercept, slope, lowest and highest group G of {@link #firstWordG}: a line through the four groups. */
    private static final double[] PRIOR = prior();

    private TalkerNormalization() {
    }

    /**
     * The G a talker's first word gets, from its F0: G<sub>0</sub>(F0) = a + b ln F0, the least-squares line
     * through the four talker groups' (ln typical F0, mean of ⅓ Σ ln F<sub>1..3</sub> over the table's 12 vowels),
     * kept within the lowest and highest group's G (no extrapolation beyond men or children); {@link #POPULATION_G}
     * when F0 is not a positive number. A man's low F0 puts his first word below the mean talker, where he is.
     */
    public static double firstWordG(double f0Hz) {
        if (!(f0Hz > 0) || !Double.isFinite(f0Hz)) {
            return POPULATION_G;
        }
        return Math.max(PRIOR[2], Math.min(PRIOR[3], PRIOR[0] + PRIOR[1] * Math.log(f0Hz)));
    }

    /**
     * d<sub>v</sub>: how far vowel {@code label}'s mean ⅓ Σ ln F<sub>1..3</sub> (steady state) lies above the mean
     * over the 12 vowels of the formant table, averaged over the four talker groups; 0 for null or a label that is
     * not a Hillenbrand vowel code.
     */
    public static double vowelCorrection(String label) {
        if (label == null) {
            return 0;
        }
        try {
            return CORRECTION.get(Vowel.fromCode(label));
        } catch (IllegalArgumentException unknown) {
            return 0;
        }
    }

    /**
     * One token's contribution g − d<sub>v</sub> to its talker's G.
     *
     * @param formantsHz at least F1–F3 at steady state (Hz)
     * @throws IllegalArgumentException naming the value when one of F1–F3 is not a positive number
     */
    public static double tokenLogMean(double[] formantsHz, String label) {
        if (formantsHz.length < 3) {
            throw new IllegalArgumentException("need at least F1-F3 at steady state, got " + formantsHz.length
                    + " values");
        }
        double s = 0;
        for (int k = 0; k < 3; k++) {
            if (!(formantsHz[k] > 0) || !Double.isFinite(formantsHz[k])) {
                throw new IllegalArgumentException("F" + (k + 1) + " = " + formantsHz[k] + " Hz is not a positive number");
            }
            s += Math.log(formantsHz[k]);
        }
        return s / 3 - vowelCorrection(label);
    }

    /**
     * Raw measurements ({@link FeatureLayout#RAW_NAMES}) in {@link FeatureLayout#TALKER13}, G of each row over all
     * of its talker's rows.
     *
     * @param talkers the talker of each row
     */
    public static Dataset nearey(Dataset raw, List<String> talkers) {
        double[] g = tokenGs(raw, talkers);
        Map<String, double[]> sum = new HashMap<>();
        for (int i = 0; i < g.length; i++) {
            double[] s = sum.computeIfAbsent(talkers.get(i), t -> new double[2]);
            s[0] += g[i];
            s[1]++;
        }
        double[] big = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            double[] s = sum.get(talkers.get(i));
            big[i] = s[0] / s[1];
        }
        return apply(raw, big);
    }

    /**
     * Raw measurements in {@link FeatureLayout#TALKER13}, G of each row from the at most {@code window} earlier rows
     * of its talker (their labels correct them), {@link #firstWordG} of its F0 for a talker's first row.
     */
    public static Dataset running(Dataset raw, List<String> talkers, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("a talker window of at least 1 token is needed, got " + window);
        }
        double[] g = tokenGs(raw, talkers);
        Map<String, Deque<Double>> seen = new HashMap<>();
        double[] big = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            Deque<Double> before = seen.computeIfAbsent(talkers.get(i), t -> new ArrayDeque<>());
            big[i] = before.isEmpty() ? firstWordG(raw.features()[i][12])
                    : before.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            before.addLast(g[i]);
            if (before.size() > window) {
                before.removeFirst();
            }
        }
        return apply(raw, big);
    }

    /**
     * Raw measurements in {@link FeatureLayout#TALKER13} for <em>training</em>, G of each row as a user's earlier
     * words would give it: the mean of the corrected g of k other tokens of its talker, drawn at random without
     * replacement, k uniform in 0..min({@code window}, tokens − 1); k = 0 is a first word and gets
     * {@link #firstWordG} of its F0. Training on {@link #nearey}'s exact G teaches a model a G no user's talker has
     * (a test word's G comes from a few earlier words); this draws the G error the model meets. Deterministic for
     * a seed and the rows' order.
     *
     * @param talkers the talker of each row
     */
    public static Dataset sampled(Dataset raw, List<String> talkers, int window, long seed) {
        if (window < 1) {
            throw new IllegalArgumentException("a talker window of at least 1 token is needed, got " + window);
        }
        double[] g = tokenGs(raw, talkers);
        Map<String, List<Integer>> rowsOf = new HashMap<>();
        for (int i = 0; i < g.length; i++) {
            rowsOf.computeIfAbsent(talkers.get(i), t -> new java.util.ArrayList<>()).add(i);
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] big = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            int self = i;
            int[] others = rowsOf.get(talkers.get(i)).stream().mapToInt(Integer::intValue).filter(j -> j != self)
                    .toArray();
            int k = r.nextInt(Math.min(window, others.length) + 1);
            double sum = 0;
            for (int c = 0; c < k; c++) { // partial Fisher-Yates: k distinct other tokens
                int pick = c + r.nextInt(others.length - c);
                int t = others[c];
                others[c] = others[pick];
                others[pick] = t;
                sum += g[others[c]];
            }
            big[i] = k == 0 ? firstWordG(raw.features()[i][12]) : sum / k;
        }
        return apply(raw, big);
    }

    private static double[] tokenGs(Dataset raw, List<String> talkers) {
        if (!raw.featureNames().equals(FeatureLayout.RAW_NAMES)) {
            throw new IllegalArgumentException("talker normalisation needs raw measurements with the columns "
                    + FeatureLayout.RAW_NAMES + ", got " + raw.featureNames());
        }
        if (talkers.size() != raw.size()) {
            throw new IllegalArgumentException(talkers.size() + " talker ids for " + raw.size() + " rows");
        }
        double[] g = new double[raw.size()];
        for (int i = 0; i < g.length; i++) {
            try {
                g[i] = tokenLogMean(raw.features()[i], raw.labelNames().get(raw.labels()[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("row " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return g;
    }

    private static Dataset apply(Dataset raw, double[] talkerG) {
        double[][] x = new double[raw.size()][];
        for (int i = 0; i < x.length; i++) {
            double[] r = raw.features()[i];
            try {
                x[i] = FeatureLayout.TALKER13.features(Arrays.copyOf(r, 12), r[12], talkerG[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("row " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return raw.withFeatures(x, FeatureLayout.TALKER13.names());
    }

    private static double groupVowelG(TalkerGroup g, Vowel v) {
        double[] f = SyntheticVowels.meanHz(g, v);
        return (Math.log(f[0]) + Math.log(f[1]) + Math.log(f[2])) / 3;
    }

    private static double populationG() {
        double s = 0;
        for (TalkerGroup g : TalkerGroup.values()) {
            for (Vowel v : Vowel.values()) {
                s += groupVowelG(g, v);
            }
        }
        return s / (TalkerGroup.values().length * Vowel.values().length);
    }

    private static double[] prior() {
        TalkerGroup[] gs = TalkerGroup.values();
        double[] x = new double[gs.length];
        double[] y = new double[gs.length];
        for (int i = 0; i < gs.length; i++) {
            TalkerGroup g = gs[i];
            x[i] = Math.log(g.typicalF0Hz());
            y[i] = Arrays.stream(Vowel.values()).mapToDouble(v -> groupVowelG(g, v)).average().orElseThrow();
        }
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double b = sxy / sxx;
        return new double[] {my - b * mx, b, Arrays.stream(y).min().orElseThrow(), Arrays.stream(y).max().orElseThrow()};
    }

    private static Map<Vowel, Double> corrections() {
        Map<Vowel, Double> d = new EnumMap<>(Vowel.class);
        for (Vowel v : Vowel.values()) {
            d.put(v, 0.0);
        }
        for (TalkerGroup g : TalkerGroup.values()) {
            double mean = Arrays.stream(Vowel.values()).mapToDouble(v -> groupVowelG(g, v)).average().orElseThrow();
            for (Vowel v : Vowel.values()) {
                d.merge(v, (groupVowelG(g, v) - mean) / TalkerGroup.values().length, Double::sum);
            }
        }
        return Map.copyOf(d);
    }
}
