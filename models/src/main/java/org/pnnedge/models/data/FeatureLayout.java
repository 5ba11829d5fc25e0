package org.pnnedge.models.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a vowel model's input features are, computed from one token's measurements: the 12 formant values in Hz
 * (F1–F3 at steady state, 20 %, 50 % and 80 %, the order of {@link HillenbrandReader#FEATURE_NAMES}) and its F0 in
 * Hz. A bundle names its layout ({@code featureLayout}; absent = {@link #HZ12}), so the front end computes what
 * the model was trained on. Equations and sources: src/site/markdown/audio.md, "Talker normalisation".
 *
 * <ul>
 *   <li>{@link #HZ12} (legacy): F<sub>k</sub> / the PAT column maxima; no F0;</li>
 *   <li>{@link #LOG13}: ln F<sub>k</sub> and ln F0 (F0 as an input, no normalisation);</li>
 *   <li>{@link #BARK13}: Bark differences after Syrdal &amp; Gopal (1986) at each of the four time points,
 *       Z1−Z0, Z2−Z1, Z3−Z2, then Z0; Z = 26.81 f / (1960 + f) − 0.53 (Traunmüller 1990);</li>
 *   <li>{@link #LOGMEAN13}: a token-intrinsic log-mean (after Nearey 1978, who takes the mean over all of a
 *       talker's vowels): G = mean of ln F0, ln F1, ln F2, ln F3 at steady state; features ln F<sub>k</sub> − G,
 *       then ln F0 − G;</li>
 *   <li>{@link #TALKER13}: talker-extrinsic (Nearey 1978): ln F<sub>k</sub> − G<sub>talker</sub>, then
 *       ln F0 − G<sub>talker</sub>, G<sub>talker</sub> the talker's log-mean over its vowels
 *       ({@link TalkerNormalization}); one token alone does not give it: {@link #features(double[], double, double)}
 *       takes it, and without it the token is a talker's first ({@link TalkerNormalization#firstWordG} of its F0).</li>
 * </ul>
 */
public enum FeatureLayout {
    HZ12("hz12", false),
    LOG13("log13", true),
    BARK13("bark13", true),
    LOGMEAN13("logmean13", true),
    TALKER13("talker13", true);

    /** Column names of a raw measurement CSV ({@code pnn data ... --units hz-f0}): the 12 formants, then F0 (Hz). */
    public static final List<String> RAW_NAMES = rawNames();

    private static final String[] POINTS = {"ss", "20", "50", "80"};

    private final String id;
    private final boolean needsF0;

    FeatureLayout(String id, boolean needsF0) {
        this.id = id;
        this.needsF0 = needsF0;
    }

    /** Stable id as stored in bundles, e.g. {@code bark13}. */
    public String id() {
        return id;
    }

    /** Whether the layout uses F0 (Hillenbrand tokens without a measured F0 cannot be used then). */
    public boolean needsF0() {
        return needsF0;
    }

    /** Whether one token's measurements are enough (not so for {@link #TALKER13}, which needs its talker's G). */
    public boolean perToken() {
        return this != TALKER13;
    }

    public int size() {
        return this == HZ12 ? 12 : 13;
    }

    /** Feature names, as CSV column headers. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        switch (this) {
            case HZ12 -> n.addAll(HillenbrandReader.FEATURE_NAMES);
            case LOG13 -> {
                HillenbrandReader.FEATURE_NAMES.forEach(f -> n.add("ln" + f));
                n.add("lnF0");
            }
            case BARK13 -> {
                for (String p : POINTS) {
                    n.add("Z1-Z0_" + p);
                    n.add("Z2-Z1_" + p);
                    n.add("Z3-Z2_" + p);
                }
                n.add("Z0");
            }
            case LOGMEAN13 -> {
                HillenbrandReader.FEATURE_NAMES.forEach(f -> n.add("ln" + f + "-G"));
                n.add("lnF0-G");
            }
            case TALKER13 -> {
                HillenbrandReader.FEATURE_NAMES.forEach(f -> n.add("ln" + f + "-Gtalker"));
                n.add("lnF0-Gtalker");
            }
        }
        return List.copyOf(n);
    }

    /** The layout with this id; {@code null} is the legacy {@link #HZ12}. Unknown ids name the known ones. */
    public static FeatureLayout of(String id) {
        if (id == null) {
            return HZ12;
        }
        for (FeatureLayout l : values()) {
            if (l.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown feature layout '" + id + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(FeatureLayout::id).toList()) + ")");
    }

    /** Critical-band rate in Bark (Traunmüller 1990, J. Acoust. Soc. Am. 88(1), 97–100). */
    public static double bark(double hz) {
        return 26.81 * hz / (1960 + hz) - 0.53;
    }

    /**
     * This layout's features of one token, a talker's first ({@link #TALKER13}: G from its F0).
     *
     * @param formantsHz the 12 formant values (Hz), in {@link HillenbrandReader#FEATURE_NAMES} order
     * @param f0Hz       the token's F0 (Hz); ignored by {@link #HZ12}
     * @throws IllegalArgumentException naming the value, when a formant or (if needed) F0 is not a positive number
     */
    public double[] features(double[] formantsHz, double f0Hz) {
        return features(formantsHz, f0Hz, Double.NaN);
    }

    /**
     * This layout's features of one token of a talker whose log-mean formant level is {@code talkerG}.
     *
     * @param talkerG G<sub>talker</sub> (natural log of Hz, {@link TalkerNormalization}) for {@link #TALKER13};
     *                NaN = not known yet ({@link TalkerNormalization#firstWordG} of F0); ignored by the others
     * @throws IllegalArgumentException naming the value, when a formant or (if needed) F0 is not a positive number
     */
    public double[] features(double[] formantsHz, double f0Hz, double talkerG) {
        if (formantsHz.length != 12) {
            throw new IllegalArgumentException("expected 12 formant values (F1-F3 at ss, 20, 50, 80 %), got "
                    + formantsHz.length);
        }
        for (int j = 0; j < 12; j++) {
            if (!(formantsHz[j] > 0) || !Double.isFinite(formantsHz[j])) {
                throw new IllegalArgumentException(HillenbrandReader.FEATURE_NAMES.get(j) + " = " + formantsHz[j]
                        + " Hz is not a positive number");
            }
        }
        if (needsF0 && (!(f0Hz > 0) || !Double.isFinite(f0Hz))) {
            throw new IllegalArgumentException("feature layout " + id + " needs F0, got " + f0Hz + " Hz");
        }
        double[] out = new double[size()];
        switch (this) {
            case HZ12 -> {
                for (int j = 0; j < 12; j++) {
                    out[j] = formantsHz[j] / Normalization.PAT_VOWEL7_MAXIMA_HZ.get(j);
                }
            }
            case LOG13 -> {
                for (int j = 0; j < 12; j++) {
                    out[j] = Math.log(formantsHz[j]);
                }
                out[12] = Math.log(f0Hz);
            }
            case BARK13 -> {
                double z0 = bark(f0Hz);
                for (int p = 0; p < 4; p++) {
                    double z1 = bark(formantsHz[3 * p]), z2 = bark(formantsHz[3 * p + 1]);
                    double z3 = bark(formantsHz[3 * p + 2]);
                    out[3 * p] = z1 - z0;
                    out[3 * p + 1] = z2 - z1;
                    out[3 * p + 2] = z3 - z2;
                }
                out[12] = z0;
            }
            case LOGMEAN13 -> {
                double g = (Math.log(f0Hz) + Math.log(formantsHz[0]) + Math.log(formantsHz[1])
                        + Math.log(formantsHz[2])) / 4;
                for (int j = 0; j < 12; j++) {
                    out[j] = Math.log(formantsHz[j]) - g;
                }
                out[12] = Math.log(f0Hz) - g;
            }
            case TALKER13 -> {
                double g = Double.isNaN(talkerG) ? TalkerNormalization.firstWordG(f0Hz) : talkerG;
                if (Double.isInfinite(g)) {
                    throw new IllegalArgumentException("the talker's log-mean G = " + talkerG + " is not a number");
                }
                for (int j = 0; j < 12; j++) {
                    out[j] = Math.log(formantsHz[j]) - g;
                }
                out[12] = Math.log(f0Hz) - g;
            }
        }
        return out;
    }

    /**
     * A raw measurement data set ({@link #RAW_NAMES}: 12 formants and F0 in Hz) in this layout. Rows whose
     * values this layout cannot use (F0 0 = not measured) are an error naming the row.
     */
    public Dataset apply(Dataset raw) {
        if (!perToken()) {
            throw new IllegalArgumentException("feature layout " + id + " needs each row's talker (its G is a mean over "
                    + "the talker's vowels): make the data with pnn data synth|hillenbrand|wavs --units " + id);
        }
        if (!raw.featureNames().equals(RAW_NAMES)) {
            throw new IllegalArgumentException("a feature layout needs raw measurements with the columns " + RAW_NAMES
                    + ", got " + raw.featureNames());
        }
        double[][] x = new double[raw.size()][];
        for (int i = 0; i < x.length; i++) {
            double[] r = raw.features()[i];
            try {
                x[i] = features(Arrays.copyOf(r, 12), r[12]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("row " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return raw.withFeatures(x, names());
    }

    /**
     * Raw measurements ({@link #RAW_NAMES}) from the 12 formants (Hz, {@link HillenbrandReader#FEATURE_NAMES}
     * order) and each row's F0.
     */
    public static Dataset withF0(Dataset formantsHz, double[] f0Hz) {
        if (formantsHz.numFeatures() != 12 || f0Hz.length != formantsHz.size()) {
            throw new IllegalArgumentException("need 12 formants and one F0 per row, got " + formantsHz.numFeatures()
                    + " features, " + formantsHz.size() + " rows and " + f0Hz.length + " F0 values");
        }
        double[][] x = new double[formantsHz.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = Arrays.copyOf(formantsHz.features()[i], 13);
            x[i][12] = f0Hz[i];
        }
        return formantsHz.withFeatures(x, RAW_NAMES);
    }

    private static List<String> rawNames() {
        List<String> n = new ArrayList<>(HillenbrandReader.FEATURE_NAMES);
        n.add("F0");
        return List.copyOf(n);
    }
}
