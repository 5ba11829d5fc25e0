package org.pnnedge.models.audio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.pnnedge.models.bundle.FeatureNormalization;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.Normalization;

/**
 * The audio front end: a recorded vowel → the 12 features the models use, in the order of
 * {@code HillenbrandReader.FEATURE_NAMES}: F1, F2, F3 at steady state, then at 20 %, 50 % and 80 % of the vowel.
 *
 * <h2>Pipeline</h2>
 * <ol>
 *   <li>DC removal (mean subtracted; warned about when |mean| &gt; 0.01), clipping check (warning and lower
 *       confidence when ≥ 0.1 % of samples are at full scale);</li>
 *   <li>resampling to {@value #ANALYSIS_RATE} Hz (windowed-sinc, {@link Resampler}). 10 kHz puts the LPC's
 *       analysis band at 0–5 kHz, which holds F1–F3 of every talker group (children's F3 reaches ~3.7 kHz) plus
 *       the men's F4/F5; order {@value #LPC_ORDER} = fs/1 kHz + 2 models 5 resonances plus source/radiation
 *       tilt — the classic rule. A 16 kHz / order 18 analysis would fit more poles to the higher formants without
 *       helping F1–F3. Input below 10 kHz (8 kHz telephone audio, cheap USB microphones, Pi audio HATs) is
 *       analysed at its own rate instead ({@link #analysisRate}): upsampled, its empty band above 4 kHz attracted
 *       LPC poles. There the LPC order is fs/1 kHz + 2 ({@link #lpcOrder}) and the DAP order
 *       {@value #DAP_ORDER_LOW_RATE} ({@link #dapOrder}); candidates end 50 Hz below the Nyquist frequency, the
 *       tracker's references are unchanged. Input below {@value #MIN_SAMPLE_RATE} Hz is refused;</li>
 *   <li>{@link VowelNucleus}: voiced frames within 20 dB of the loudest voiced frame, cut before a /d/ closure
 *       murmur or voice bar (loss of high-frequency energy) and after an /h/ (excess high-frequency energy);</li>
 *   <li>{@link LpcFormants}: per-frame candidates — LPC order {@value #LPC_ORDER} when the median F0 is below
 *       {@value #DAP_MIN_F0} Hz, else a discrete all-pole model of order {@value #DAP_ORDER} fitted to the
 *       harmonic peaks (high F0 biases LPC's F1 toward a harmonic; at the full analysis rate its pre-emphasis
 *       starts at 1.5·F0 and each fit pools five frames' harmonics, see audio.md "F1 at high F0") — then Viterbi
 *       F1–F3 tracks, reference
 *       formants scaled by F0 (a proxy for vocal-tract length); frames without a triple are linearly interpolated; a 3-frame median
 *       smooths the tracks;</li>
 *   <li>features: steady state = median over the middle third of the nucleus; 20/50/80 % = the track linearly
 *       interpolated at that fraction of the nucleus (first frame centre to last frame centre);</li>
 *   <li>F0 = median of the per-frame F0 over the nucleus.</li>
 * </ol>
 *
 * <h2>Bad input</h2>
 * Hard failures throw {@link AudioException} with a clear message and {@link AudioException.Reason}: a sample
 * rate below {@value #MIN_SAMPLE_RATE} Hz (UNSUPPORTED_RATE, checked before anything else, so a damaged header
 * claiming 1 Hz fails at once instead of resampling to hundreds of millions of samples), empty
 * (EMPTY), shorter than {@value VowelNucleus#MIN_NUCLEUS_SECONDS} s of voicing (TOO_SHORT), silence (SILENCE),
 * noise only / nothing periodic (NO_VOICED_SEGMENT). Soft problems (clipping, DC offset, weak voicing, unstable
 * tracks, many interpolated frames) produce an answer with {@link Result#warnings()} and a lower
 * {@link Result#confidence()}.
 *
 * <h2>Confidence</h2>
 * {@code confidence = v · s · q · c}: v = mean voicing strength over the nucleus (0..1); s = fraction of frame
 * steps whose F1–F3 each move by less than 15 %; q = fraction of nucleus frames with a formant triple;
 * c = 0.7 if clipped, else 1. Below {@value #LOW_CONFIDENCE} a "low confidence" warning is added.
 */
public final class FormantFeatures {

    public static final int ANALYSIS_RATE = 10_000;
    /** Lowest accepted input rate: below 8 kHz the band cannot hold F3 (children's reaches ~3.7 kHz). */
    public static final int MIN_SAMPLE_RATE = 8_000;
    public static final int LPC_ORDER = 12;
    public static final double LOW_CONFIDENCE = 0.5;
    /**
     * F0 range of the talkers the shipped models were trained on (the synthesizer's voices: 70–450 Hz). A voice
     * outside it (a very high child's or a sung vowel) has formants the models never saw: its answer gets a warning
     * and at most {@link #OUT_OF_RANGE_CONFIDENCE}, not a confident guess.
     */
    public static final double TRAINED_F0_MIN = 65;
    public static final double TRAINED_F0_MAX = 460;
    static final double OUT_OF_RANGE_CONFIDENCE = 0.3;
    public static final int NUM_FEATURES = 12;
    /**
     * Talkers whose median F0 is at or above this (women, children) are analysed by discrete all-pole modelling
     * of the harmonic peaks ({@link LpcFormants#dap}) instead of autocorrelation LPC: at F0 ≈ 250 Hz LPC pulls
     * F1 toward a harmonic. Below it (men) LPC is as good or better (see AUDIO-FORMANTS.md).
     */
    public static final double DAP_MIN_F0 = 160;
    /**
     * Model order for the DAP analysis: a high F0 goes with a short vocal tract, which has four resonances below
     * 5 kHz (children's F5 ≈ 5.3 kHz), so 2·4 poles plus one real pole for the source/radiation tilt; order 12
     * (five formants plus tilt) spends its spare poles on harmonic detail and pulled F1 again (women 2.4 %,
     * children 4.7 % instead of 1.7 / 1.9 %).
     */
    public static final int DAP_ORDER = 11;
    /**
     * DAP order when the analysis rate is below {@value #ANALYSIS_RATE} Hz (input recorded at 8–10 kHz): three
     * resonances (2·3 poles) plus two real poles for the source tilt and the anti-aliasing roll-off at the band
     * edge. On 8 kHz vowels order 7 (3 + 1) rejected 2 of 72 children's tokens and order 9 had a larger F1/F2
     * error (women 1.8/0.9 %, children 2.0/1.2 % against 1.6/0.7 and 1.9/1.1 % with 8); at 9 kHz 8 also beat 11.
     */
    public static final int DAP_ORDER_LOW_RATE = 8;

    /**
     * Extraction result.
     *
     * @param featuresHz       the 12 features in Hz
     * @param f0Hz             median F0 over the nucleus
     * @param nucleusStartSec  start of the vowel nucleus (first frame start) in the input
     * @param nucleusEndSec    end of the vowel nucleus (last frame end)
     * @param confidence       0..1, see the class comment
     * @param warnings         soft problems, human-readable
     * @param trackTimesSec    centre time of each nucleus frame
     * @param trackHz          F1–F3 per nucleus frame (after interpolation and smoothing)
     */
    public record Result(double[] featuresHz, double f0Hz, double nucleusStartSec, double nucleusEndSec,
                         double confidence, List<String> warnings, double[] trackTimesSec, double[][] trackHz) {
        public Result {
            featuresHz = featuresHz.clone();
            warnings = List.copyOf(warnings);
        }

        @Override
        public double[] featuresHz() {
            return featuresHz.clone();
        }

        public boolean lowConfidence() {
            return confidence < LOW_CONFIDENCE;
        }

        /**
         * The features a model of this layout takes (before its bundle's z-score): {@link FeatureLayout#HZ12} gives
         * the PAT units of {@link Normalization#patVowel7()}, the others use F0 too.
         */
        public double[] features(FeatureLayout layout) {
            return layout.features(featuresHz, f0Hz);
        }

        /** As {@link #features(FeatureLayout)}, for a talker whose log-mean G is known ({@link TalkerEstimate}). */
        public double[] features(FeatureLayout layout, double talkerG) {
            return layout.features(featuresHz, f0Hz, talkerG);
        }

        /** Features in a bundle's normalisation. */
        public double[] toNormalized(FeatureNormalization n) {
            return n.apply(featuresHz);
        }

        /** Features in a {@link Normalization}, e.g. {@link Normalization#patVowel7()} (PAT units). */
        public double[] toNormalized(Normalization n) {
            return n.apply(featuresHz);
        }

        /** Features as {@code (hz − offset) / scale}. */
        public double[] toNormalized(double[] offset, double[] scale) {
            return new FeatureNormalization(offset, scale).apply(featuresHz);
        }
    }

    private FormantFeatures() {
    }

    /**
     * The warning for a voice whose F0 lies outside {@link #TRAINED_F0_MIN}–{@link #TRAINED_F0_MAX} (its answer may
     * be a guess), or null when it lies inside. Shared by the front end and the service's measurement requests.
     */
    public static String f0Warning(double f0Hz) {
        if (f0Hz >= TRAINED_F0_MIN && f0Hz <= TRAINED_F0_MAX) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "F0 %.0f Hz is outside the voices the models were trained on "
                + "(%.0f-%.0f Hz): the answer may be a guess", f0Hz, TRAINED_F0_MIN, TRAINED_F0_MAX);
    }

    /** Read a WAV file and extract features. */
    public static Result extract(Path wav) throws AudioException {
        return extract(WavReader.read(wav));
    }

    public static Result extract(Audio audio) throws AudioException {
        String src = audio.source();
        if (audio.sampleRate() < MIN_SAMPLE_RATE) {
            // before anything else: resampling a damaged header's "1 Hz" to 10 kHz would take minutes and gigabytes
            throw new AudioException(AudioException.Reason.UNSUPPORTED_RATE, src + ": sample rate "
                    + audio.sampleRate() + " Hz is too low for formant analysis (need at least " + MIN_SAMPLE_RATE
                    + " Hz; is the WAV header damaged?)");
        }
        double[] x = audio.samples().clone();
        List<String> warnings = new ArrayList<>(audio.warnings());
        if (x.length == 0) {
            throw new AudioException(AudioException.Reason.EMPTY, src + ": audio contains no samples");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                x[i] = 0;
            }
        }
        double mean = Arrays.stream(x).sum() / x.length;
        if (Math.abs(mean) > 0.01) {
            warnings.add(String.format(java.util.Locale.ROOT, "DC offset of %.3f full scale removed", mean));
        }
        int clipped = 0;
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) >= 0.99) {
                clipped++;
            }
            x[i] -= mean;
        }
        boolean clipping = clipped >= 3 && clipped >= 0.001 * x.length;
        if (clipping) {
            warnings.add(String.format(java.util.Locale.ROOT,
                    "clipping: %.1f %% of samples at full scale; formants may be biased", 100.0 * clipped / x.length));
        }
        int rate = analysisRate(audio.sampleRate());
        double fs = rate;
        double[] y = rate == audio.sampleRate() ? x : Resampler.resample(x, audio.sampleRate(), rate);
        VowelNucleus.Result nuc = VowelNucleus.find(y, fs);
        switch (nuc.status()) {
            case SILENCE -> throw new AudioException(AudioException.Reason.SILENCE,
                    src + ": silence (peak below -80 dBFS); no vowel to analyse");
            case NO_VOICED_SEGMENT -> throw new AudioException(AudioException.Reason.NO_VOICED_SEGMENT,
                    src + ": no voiced segment found (noise only or unvoiced sound); no vowel to analyse");
            case TOO_SHORT -> throw new AudioException(AudioException.Reason.TOO_SHORT, String.format(
                    java.util.Locale.ROOT, "%s: too short: %.0f ms of audio, %d voiced frame(s); need at least %.0f ms of vowel",
                    src, 1000 * audio.durationSeconds(), nuc.frames(), 1000 * VowelNucleus.MIN_NUCLEUS_SECONDS));
            default -> { }
        }
        int first = nuc.firstFrame(), last = nuc.lastFrame(), nf = nuc.frames();
        int len = (int) Math.round(LpcFormants.FRAME_SECONDS * fs);
        int hop = (int) Math.round(LpcFormants.HOP_SECONDS * fs);

        // F0 and voicing over the nucleus
        List<Double> f0s = new ArrayList<>();
        double voicing = 0;
        for (int i = first; i <= last; i++) {
            voicing += nuc.pitch()[i].voicing();
            if (!Double.isNaN(nuc.pitch()[i].f0Hz()) && nuc.pitch()[i].voicing() >= VowelNucleus.VOICING_THRESHOLD) {
                f0s.add(nuc.pitch()[i].f0Hz());
            }
        }
        voicing /= nf;
        double f0 = median(f0s.stream().mapToDouble(Double::doubleValue).toArray());

        // formant candidates on the nucleus frames
        double[] frameF0 = new double[nf];
        for (int i = 0; i < nf; i++) {
            F0Estimator.Pitch p = nuc.pitch()[first + i];
            // frames with unreliable pitch get the nucleus median: DAP needs the harmonic spacing
            frameF0[i] = p.voicing() >= VowelNucleus.VOICING_THRESHOLD && Double.isFinite(p.f0Hz())
                    && Math.abs(p.f0Hz() / f0 - 1) < 0.3 ? p.f0Hz() : f0;
        }
        boolean useDap = f0 >= DAP_MIN_F0;
        int order = useDap ? dapOrder(rate) : lpcOrder(rate);
        List<List<LpcFormants.Candidate>> cands = LpcFormants.frameCandidates(y, fs, order, first, nf,
                useDap ? frameF0 : null);
        double refScale = Math.max(1.0, Math.min(1.25, 1 + 0.0017 * (f0 - 130)));
        double[][] tr = LpcFormants.track(cands, refScale);
        int valid = 0;
        for (double[] row : tr) {
            if (!Double.isNaN(row[0])) {
                valid++;
            }
        }
        if (valid == 0) {
            throw new AudioException(AudioException.Reason.NO_VOICED_SEGMENT,
                    src + ": voiced segment found but no formant structure (no three resonances in any frame)");
        }
        double[][] track = new double[nf][3];
        double[] times = new double[nf];
        for (int i = 0; i < nf; i++) {
            times[i] = ((first + i) * hop + len / 2.0) / fs;
        }
        int stable = 0;
        for (int k = 0; k < 3; k++) {
            double[] col = new double[nf];
            for (int i = 0; i < nf; i++) {
                col[i] = tr[i][k];
            }
            interpolateNaN(col);
            double[] sm = median3(col);
            for (int i = 0; i < nf; i++) {
                track[i][k] = sm[i];
            }
        }
        for (int i = 1; i < nf; i++) {
            boolean ok = true;
            for (int k = 0; k < 3; k++) {
                ok &= Math.abs(tr[i][k] / tr[i - 1][k] - 1) < 0.15; // NaN compares false
            }
            if (ok) {
                stable++;
            }
        }
        double stability = nf > 1 ? stable / (double) (nf - 1) : 0;
        double coverage = valid / (double) nf;

        double[] f = new double[NUM_FEATURES];
        int a = first + (int) Math.floor(nf / 3.0) - first, b = Math.max(a + 1, (int) Math.ceil(2.0 * nf / 3.0));
        for (int k = 0; k < 3; k++) {
            double[] mid = new double[b - a];
            for (int i = a; i < b; i++) {
                mid[i - a] = track[i][k];
            }
            f[k] = median(mid);
        }
        double[] fractions = {0.2, 0.5, 0.8};
        for (int p = 0; p < 3; p++) {
            double pos = fractions[p] * (nf - 1);
            int i0 = (int) Math.floor(pos);
            int i1 = Math.min(nf - 1, i0 + 1);
            double w = pos - i0;
            for (int k = 0; k < 3; k++) {
                f[3 + 3 * p + k] = (1 - w) * track[i0][k] + w * track[i1][k];
            }
        }
        double confidence = voicing * stability * coverage * (clipping ? 0.7 : 1);
        String outside = f0Warning(f0);
        if (outside != null) {
            warnings.add(outside);
            confidence = Math.min(confidence, OUT_OF_RANGE_CONFIDENCE);
        }
        if (coverage < 0.8) {
            warnings.add(String.format(java.util.Locale.ROOT,
                    "%.0f %% of nucleus frames had no F1-F3 candidate triple (interpolated)", 100 * (1 - coverage)));
        }
        if (voicing < 0.7) {
            warnings.add(String.format(java.util.Locale.ROOT, "weak voicing (mean NCCF %.2f)", voicing));
        }
        if (confidence < LOW_CONFIDENCE) {
            warnings.add(String.format(java.util.Locale.ROOT, "low confidence %.2f", confidence));
        }
        double start = first * hop / fs, end = (last * hop + len) / fs;
        return new Result(f, f0, start, end, confidence, warnings, times, track);
    }

    /**
     * Analysis rate for an input rate of at least {@link #MIN_SAMPLE_RATE}: {@value #ANALYSIS_RATE} Hz, or the
     * input rate itself when that is lower. Upsampling an 8 kHz recording would leave 4–5 kHz empty, and the LPC
     * puts poles into the empty band (see AUDIO-FORMANTS.md, "Low sample rates").
     */
    public static int analysisRate(int inputRate) {
        return Math.min(inputRate, ANALYSIS_RATE);
    }

    /**
     * LPC order at analysis rate {@code fs}: {@value #LPC_ORDER} at {@value #ANALYSIS_RATE} Hz, below it the
     * classic fs/1 kHz + 2 (10 at 8 kHz: a man's F1–F4 lie under 4 kHz).
     */
    public static int lpcOrder(int fs) {
        return fs >= ANALYSIS_RATE ? LPC_ORDER : Math.min(LPC_ORDER, (int) Math.round(fs / 1000.0) + 2);
    }

    /**
     * DAP order at analysis rate {@code fs}: {@value #DAP_ORDER} at {@value #ANALYSIS_RATE} Hz; {@value
     * #DAP_ORDER_LOW_RATE} below it, where a short tract has only F1–F3 in the band (women's F4 ≈ 4.0 kHz,
     * children's ≈ 4.3 kHz).
     */
    public static int dapOrder(int fs) {
        return fs >= ANALYSIS_RATE ? DAP_ORDER : DAP_ORDER_LOW_RATE;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    private static double[] median3(double[] x) {
        double[] y = x.clone();
        for (int i = 1; i + 1 < x.length; i++) {
            y[i] = Math.max(Math.min(x[i - 1], x[i]), Math.min(Math.max(x[i - 1], x[i]), x[i + 1]));
        }
        return y;
    }

    private static void interpolateNaN(double[] x) {
        int n = x.length;
        int prev = -1;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(x[i])) {
                if (prev < 0) {
                    Arrays.fill(x, 0, i, x[i]);
                } else {
                    for (int j = prev + 1; j < i; j++) {
                        x[j] = x[prev] + (x[i] - x[prev]) * (j - prev) / (double) (i - prev);
                    }
                }
                prev = i;
            }
        }
        if (prev >= 0) {
            Arrays.fill(x, prev + 1, n, x[prev]);
        }
    }
}
