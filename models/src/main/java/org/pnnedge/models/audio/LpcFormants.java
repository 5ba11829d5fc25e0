package org.pnnedge.models.audio;

// Over 400 lines: one estimator (LPC, DAP, roots, candidates, tracking) whose steps are tuned together.

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Formant estimation by linear prediction.
 * <ol>
 *   <li>Pre-emphasis {@code y[n] = x[n] − α x[n−1]}, α = exp(−2π·50 Hz/fs) (a +6 dB/octave tilt above 50 Hz,
 *       as in Praat);</li>
 *   <li>frames every {@value #HOP_SECONDS} s; per frame either autocorrelation LPC (Hamming window of
 *       {@value #FRAME_SECONDS} s, Levinson–Durbin) or, for high-F0 talkers, a discrete all-pole model of the
 *       harmonic peaks ({@link #dap}, window ≥ {@value #DAP_PERIODS} periods);</li>
 *   <li>roots of {@code A(z)} as the eigenvalues of its companion matrix (EJML);</li>
 *   <li>candidates: roots with positive angle, {@code F = angle·fs/2π}, {@code B = −ln|r|·fs/π}, kept when
 *       {@value #MIN_FREQ_HZ} Hz &lt; F &lt; fs/2 − 50 Hz and B &lt; {@value #CANDIDATE_BANDWIDTH_HZ} Hz;</li>
 *   <li>F1–F3 chosen per frame by a Viterbi search over ordered candidate triples (see {@link #track}).</li>
 * </ol>
 */
public final class LpcFormants {

    public static final double FRAME_SECONDS = 0.025;
    /** Pre-emphasis corner (Hz): +6 dB/octave above it, as in Praat. */
    static final double PRE_EMPHASIS_HZ = 50;
    public static final double HOP_SECONDS = 0.010;
    public static final double MIN_FREQ_HZ = 90;
    /** Candidates narrower than this count as clear resonances: skipping one in a triple is penalised. */
    public static final double MAX_BANDWIDTH_HZ = 400;
    /**
     * Every pole pair narrower than this is a candidate (the tracker's bandwidth cost ranks them). With a 400 Hz
     * limit, a breathy or noisy F3 (LPC bandwidth 400–700 Hz) dropped out of single frames, and the tracker then
     * preferred a continuous F1-F2-F4 path for the whole vowel.
     */
    public static final double CANDIDATE_BANDWIDTH_HZ = 1000;

    /** A formant candidate (a pole pair). */
    public record Candidate(double freqHz, double bandwidthHz) {
    }

    private LpcFormants() {
    }

    /** Pre-emphasis from {@code fromHz} upwards. */
    public static double[] preEmphasis(double[] x, double fs, double fromHz) {
        double a = Math.exp(-2 * Math.PI * fromHz / fs);
        double[] y = new double[x.length];
        for (int n = 0; n < x.length; n++) {
            y[n] = x[n] - (n > 0 ? a * x[n - 1] : 0);
        }
        return y;
    }

    /** Hamming window of length n. */
    public static double[] hamming(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (n - 1));
        }
        return w;
    }

    /**
     * LPC coefficients {@code a[0..order]} with {@code a[0] = 1} and {@code A(z) = Σ a_k z^-k}, by autocorrelation
     * and Levinson–Durbin; the frame is used as given (window it first). Returns {@code null} for a zero frame.
     */
    public static double[] lpc(double[] frame, int order) {
        double[] r = new double[order + 1];
        for (int k = 0; k <= order; k++) {
            double s = 0;
            for (int n = k; n < frame.length; n++) {
                s += frame[n] * frame[n - k];
            }
            r[k] = s;
        }
        return levinson(r, order);
    }

    /** Roots of {@code z^p + a1 z^(p−1) + … + ap} (i.e. the poles of 1/A(z)) via companion-matrix eigenvalues. */
    public static Complex_F64[] roots(double[] a) {
        int p = a.length - 1;
        DMatrixRMaj c = new DMatrixRMaj(p, p);
        for (int j = 0; j < p; j++) {
            c.set(0, j, -a[j + 1] / a[0]);
        }
        for (int i = 1; i < p; i++) {
            c.set(i, i - 1, 1);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, false);
        if (!eig.decompose(c)) {
            return new Complex_F64[0];
        }
        Complex_F64[] out = new Complex_F64[eig.getNumberOfEigenvalues()];
        for (int i = 0; i < out.length; i++) {
            out[i] = eig.getEigenvalue(i);
        }
        return out;
    }

    /** Formant candidates of LPC polynomial {@code a} at rate fs, sorted by frequency, bandwidth below maxBw. */
    public static List<Candidate> candidates(double[] a, double fs, double maxBw) {
        List<Candidate> out = new ArrayList<>();
        for (Complex_F64 z : roots(a)) {
            if (z.imaginary <= 0) {
                continue;
            }
            double mag = Math.hypot(z.real, z.imaginary);
            double f = Math.atan2(z.imaginary, z.real) * fs / (2 * Math.PI);
            double bw = -Math.log(mag) * fs / Math.PI;
            if (f > MIN_FREQ_HZ && f < fs / 2 - 50 && bw < maxBw && bw > 0) {
                out.add(new Candidate(f, bw));
            }
        }
        out.sort((x, y) -> Double.compare(x.freqHz(), y.freqHz()));
        return out;
    }

    /**
     * Candidates for {@code frames} analysis frames starting at frame {@code firstFrame} of {@code x} (frame i
     * starts at i·hop), after pre-emphasis. With {@code f0Hz} (per frame, Hz) each frame is analysed by
     * {@link #dap discrete all-pole modelling} of its harmonic peaks; with {@code null}, by autocorrelation LPC
     * on a Hamming-windowed {@value #FRAME_SECONDS} s frame. At high F0 the harmonics sample the envelope too
     * sparsely and LPC pulls F1 toward the strongest harmonic; DAP fits the model at the harmonics only. At the
     * full analysis rate each frame's DAP fit uses the harmonics of {@value #DAP_POOL} frames on each side too, and
     * the pre-emphasis only above {@value #DAP_EMPHASIS_CORNER_F0}·F0 ({@link #flattenPreEmphasisBelow}).
     */
    public static List<List<Candidate>> frameCandidates(double[] x, double fs, int order, int firstFrame, int frames,
                                                        double[] f0Hz) {
        double[] y = preEmphasis(x, fs, PRE_EMPHASIS_HZ);
        int len = (int) Math.round(FRAME_SECONDS * fs);
        int hop = (int) Math.round(HOP_SECONDS * fs);
        double[] w = hamming(len);
        List<List<Candidate>> all = new ArrayList<>();
        double[] frame = new double[len];
        // DAP: the harmonic peaks of every frame first, then one model per frame fitted to its own peaks and those
        // of DAP_POOL neighbours on each side. Pooling and the pre-emphasis corner are for the full analysis rate
        // only: below it (8–10 kHz input, DAP order 8) pooling made a girl's /i/ with F3 at the 4 kHz band edge
        // lose its third resonance in every frame, and the token was rejected
        boolean fullRate = fs >= FormantFeatures.ANALYSIS_RATE;
        double[][][] peaks = new double[frames][][];
        double[][] windowed = new double[frames][];
        for (int i = 0; i < frames && f0Hz != null; i++) {
            double f0 = i >= f0Hz.length ? Double.NaN : f0Hz[i];
            if (f0 > 0) {
                int start = (firstFrame + i) * hop;
                // window of at least DAP_PERIODS periods so the Hamming main lobes of neighbouring harmonics separate
                int n = Math.max(len, (int) Math.round(DAP_PERIODS * fs / f0));
                int s0 = start + len / 2 - n / 2;
                double[] wl = hamming(n);
                double[] fr = new double[n];
                for (int k = 0; k < n; k++) {
                    int idx = s0 + k;
                    fr[k] = idx >= 0 && idx < y.length ? y[idx] * wl[k] : 0;
                }
                peaks[i] = harmonicPeaks(fr, fs, f0);
                windowed[i] = fr;
                if (peaks[i] != null && fullRate) {
                    flattenPreEmphasisBelow(peaks[i], fs, DAP_EMPHASIS_CORNER_F0 * f0);
                }
            }
        }
        for (int i = 0; i < frames; i++) {
            double[] a;
            if (windowed[i] != null) { // a silent frame (no peaks) gets no candidates, even among voiced neighbours
                a = dapOrLpc(peaks[i] == null ? null : pool(peaks, i, fullRate ? DAP_POOL : 0), windowed[i], order);
            } else {
                int start = (firstFrame + i) * hop;
                for (int k = 0; k < len; k++) {
                    int idx = start + k;
                    frame[k] = idx < y.length ? y[idx] * w[k] : 0;
                }
                a = lpc(frame, order);
            }
            if (a == null) {
                all.add(List.of());
                continue;
            }
            all.add(candidates(a, fs, CANDIDATE_BANDWIDTH_HZ));
        }
        return all;
    }

    /**
     * Frames on each side whose harmonic peaks are pooled into a frame's DAP fit (2: five frames, 40 ms from first
     * to last centre). F0 moves from frame to frame (contour and jitter), so the pooled peaks sample the envelope
     * at more frequencies, and a peak disturbed by aspiration or noise in one frame is outvoted. On the development
     * seed (FormantErrorTable, seed 777; without the corner below) it lowered the F2/F3 error at 160–250 Hz
     * (p90 F2 3.4 → 2.7 %, F3 2.2 → 1.7 %) and on FormantAccuracyTest's typical voices; one frame each side (1)
     * did less for F2/F3. It costs DAP fits five times the harmonics. Not below the {@value
     * FormantFeatures#ANALYSIS_RATE} Hz analysis rate (see frameCandidates).
     */
    static final int DAP_POOL = 2;

    /**
     * Corner of the DAP path's pre-emphasis in multiples of F0: harmonics below {@value} · F0 get the gain the
     * pre-emphasis has at the corner, not their own (see {@link #flattenPreEmphasisBelow}).
     */
    static final double DAP_EMPHASIS_CORNER_F0 = 1.5;

    /**
     * Pre-emphasis compensates the voice source's roll-off above its glottal formant (Fant 1960; Doval,
     * d'Alessandro &amp; Henrich 2006, "The spectrum of glottal flow models", Acta Acustica 92), which lies near
     * the first harmonics. Below it the source does not fall, lip radiation makes the spectrum rise, and the
     * +6 dB/octave pre-emphasis turns that into a steep rise toward 0 Hz — a zero an all-pole model cannot fit.
     * With one or two harmonics under F1 (F0 ≥ 250 Hz) DAP absorbed the rise by moving F1 up toward 2·F0: F1 was
     * 7 % too high in the median at F0 ≥ 250 Hz (/i/, /u/, /ɪ/, /ɝ/, whose F1 lies between F0 and 2·F0) and 17 %
     * at p90 (FormantErrorTable, development seed 777). So each harmonic below {@code corner} ({@value
     * #DAP_EMPHASIS_CORNER_F0}·F0) gets the pre-emphasis gain at the corner instead of its own: pre-emphasis is
     * kept only above the corner. Undoing the pre-emphasis everywhere helped the /i/, /u/ tokens but pulled the
     * F1 of open vowels down (women's median F1 error on FormantAccuracyTest's typical voices 1.7 → 3.1 %); a
     * corner at 2·F0 helped high F0 most but cost women's F1 there 0.5 points; 1.5·F0 was the best of the
     * three on both (audio.md, "F1 at high F0"). Autocorrelation LPC (men) keeps the plain pre-emphasis, and so
     * does DAP below the {@value FormantFeatures#ANALYSIS_RATE} Hz analysis rate (see frameCandidates).
     */
    static void flattenPreEmphasisBelow(double[][] peaks, double fs, double corner) {
        double a = Math.exp(-2 * Math.PI * PRE_EMPHASIS_HZ / fs);
        double wc = 2 * Math.PI * corner / fs;
        double gc = 1 - 2 * a * Math.cos(wc) + a * a; // |1 − α e^{−jω}|² at the corner
        for (int p = 0; p < peaks[0].length && peaks[0][p] < wc; p++) {
            peaks[1][p] *= gc / (1 - 2 * a * Math.cos(peaks[0][p]) + a * a);
        }
    }

    /**
     * The peaks {omega[], power[]} of frame {@code i} and of up to {@code half} frames on each side, each frame's
     * powers divided by their sum so that a louder neighbour does not outweigh the frame itself.
     */
    static double[][] pool(double[][][] peaks, int i, int half) {
        int count = 0;
        for (int j = Math.max(0, i - half); j <= Math.min(peaks.length - 1, i + half); j++) {
            count += peaks[j] == null ? 0 : peaks[j][0].length;
        }
        double[] om = new double[count], pw = new double[count];
        int c = 0;
        for (int j = Math.max(0, i - half); j <= Math.min(peaks.length - 1, i + half); j++) {
            if (peaks[j] == null) {
                continue;
            }
            double sum = 0;
            for (double v : peaks[j][1]) {
                sum += v;
            }
            for (int p = 0; p < peaks[j][0].length; p++) {
                om[c] = peaks[j][0][p];
                pw[c++] = peaks[j][1][p] / sum;
            }
        }
        return new double[][] {om, pw};
    }

    /** Minimum analysis window for DAP, in pitch periods. */
    public static final double DAP_PERIODS = 4;
    /** Maximum DAP fixed-point iterations (40 left some frames short of convergence; 100 costs ~1 ms a frame). */
    static final int DAP_ITERATIONS = 100;

    /**
     * Discrete all-pole model (El-Jaroudi &amp; Makhoul 1991, IEEE Trans. Signal Processing 39(2)) of a windowed,
     * voiced frame: the power at the harmonic peaks (found near multiples of {@code f0}) is fitted by
     * {@code 1/|A|²} under the Itakura–Saito measure at those frequencies only, so the model is not asked to
     * reproduce the valleys between harmonics that autocorrelation LPC fits. Starts from LPC of the harmonic
     * line spectrum and iterates {@code R a = ĥ}. Returns {@code null} for a silent frame; falls back to plain
     * LPC when fewer than order/2 + 1 harmonics are found.
     */
    public static double[] dap(double[] frame, double fs, double f0, int order) {
        return dapOrLpc(harmonicPeaks(frame, fs, f0), frame, order);
    }

    /**
     * The DAP fit of {@code peaks}, or LPC of {@code frame} (the window they came from) when they are too few;
     * {@code null} when {@code peaks} is (a silent frame).
     */
    private static double[] dapOrLpc(double[][] peaks, double[] frame, int order) {
        if (peaks == null) {
            return null;
        }
        double[] a = dapFit(peaks, order);
        return a != null ? a : lpc(frame, order);
    }

    /**
     * The harmonic peaks of a windowed frame as {omega[] (rad/sample), power[]}: the largest power-spectrum bin
     * within ±30 % of the local harmonic spacing around each expected multiple of {@code f0}, refined by a parabola
     * through the log power. {@code null} for a silent frame.
     */
    static double[][] harmonicPeaks(double[] frame, double fs, double f0) {
        int nfft = 1;
        while (nfft < 4 * frame.length || nfft < 2048) {
            nfft <<= 1;
        }
        double[] re = Arrays.copyOf(frame, nfft), im = new double[nfft];
        fft(re, im);
        double[] pw = new double[nfft / 2 + 1];
        double max = 0;
        for (int k = 0; k <= nfft / 2; k++) {
            pw[k] = re[k] * re[k] + im[k] * im[k];
            max = Math.max(max, pw[k]);
        }
        if (max <= 0) {
            return null;
        }
        double df = fs / nfft;
        List<double[]> peaks = new ArrayList<>(); // {omega, power}
        double expect = f0, local = f0;
        while (expect < fs / 2 - local / 2) {
            int lo = (int) Math.ceil((expect - 0.3 * local) / df), hi = (int) Math.floor((expect + 0.3 * local) / df);
            lo = Math.max(1, lo);
            hi = Math.min(nfft / 2 - 1, hi);
            int arg = -1;
            for (int k = lo; k <= hi; k++) {
                if (arg < 0 || pw[k] > pw[arg]) {
                    arg = k;
                }
            }
            if (arg < 0) {
                break;
            }
            double fpk = arg * df;
            if (pw[arg] > pw[arg - 1] && pw[arg] >= pw[arg + 1]) { // a true local peak: refine its position
                double l = Math.log(pw[arg - 1] + 1e-300), c = Math.log(pw[arg]), r = Math.log(pw[arg + 1] + 1e-300);
                double den = l - 2 * c + r;
                if (den < 0) {
                    fpk += 0.5 * (l - r) / den * df;
                }
            }
            peaks.add(new double[] {2 * Math.PI * fpk / fs, pw[arg] + 1e-12 * max});
            local = fpk / peaks.size();
            expect = fpk + local;
        }
        double[][] out = new double[2][peaks.size()];
        for (int p = 0; p < peaks.size(); p++) {
            out[0][p] = peaks.get(p)[0];
            out[1][p] = peaks.get(p)[1];
        }
        return out;
    }

    /**
     * DAP fit of {@code 1/|A|²} to the spectral samples {omega[], power[]} (any frequencies: one frame's harmonics
     * or several frames' pooled); {@code null} when fewer than order/2 + 1 samples are given.
     */
    static double[] dapFit(double[][] peaks, int order) {
        int m = peaks[0].length;
        // cos(kω) and sin(kω) at each peak, computed once instead of in every fixed-point iteration (same values)
        double[][] cos = new double[m][order + 1], sin = new double[m][order + 1];
        for (int p = 0; p < m; p++) {
            double omega = peaks[0][p];
            for (int k = 0; k <= order; k++) {
                cos[p][k] = Math.cos(k * omega);
                sin[p][k] = Math.sin(k * omega);
            }
        }
        double[] r = new double[order + 1];
        for (int p = 0; p < m; p++) {
            for (int i = 0; i <= order; i++) {
                r[i] += peaks[1][p] * cos[p][i] / m;
            }
        }
        double[] a = levinson(r, order);
        if (2 * m < order + 1 || a == null) {
            return null;
        }
        double[][] t = new double[order + 1][order + 1];
        double[] h = new double[order + 1];
        for (int it = 0; it < DAP_ITERATIONS; it++) {
            Arrays.fill(h, 0);
            for (int p = 0; p < m; p++) {
                double[] cp = cos[p], sp = sin[p];
                double ar = 0, ai = 0; // A(e^{jω}) = Σ a_k e^{−jωk}
                for (int k = 0; k <= order; k++) {
                    ar += a[k] * cp[k];
                    ai -= a[k] * sp[k];
                }
                double d = ar * ar + ai * ai;
                double hr = ar / d, hi = -ai / d; // 1/A
                for (int i = 0; i <= order; i++) {
                    // Re(H e^{−jωi})
                    h[i] += (hr * cp[i] + hi * sp[i]) / m;
                }
            }
            for (int i = 0; i <= order; i++) {
                for (int k = 0; k <= order; k++) {
                    t[i][k] = r[Math.abs(i - k)];
                }
            }
            double[] x = solve(t, h);
            if (x == null || !(Math.abs(x[0]) > 0)) {
                break;
            }
            double change = 0;
            double[] next = new double[order + 1];
            for (int k = 0; k <= order; k++) {
                next[k] = x[k] / x[0];
                change = Math.max(change, Math.abs(next[k] - a[k]));
            }
            if (!minimumPhase(next)) {
                break; // the fixed-point iteration can overshoot into an unstable model: keep the last stable one
            }
            a = next;
            if (change < 1e-7) {
                break;
            }
        }
        return a;
    }

    /**
     * Viterbi transition cost per unit of |ln(F(t)/F(t−1))|, summed over F1–F3: a 20 % step costs 1. It was 20
     * (5 % costs 1); that kept tracks on a stable wrong candidate through fast real transitions (TTS /u/ before
     * /d/, r-coloured F3 in "heard"), see AUDIO-FORMANTS.md.
     */
    public static final double TRANSITION_WEIGHT = 5;

    /** Whether all roots of {@code A(z)} lie inside the unit circle (step-down recursion: all |k_i| &lt; 1). */
    static boolean minimumPhase(double[] a0) {
        int p = a0.length - 1;
        double[] a = new double[p + 1];
        for (int k = 0; k <= p; k++) {
            a[k] = a0[k] / a0[0];
        }
        for (int i = p; i >= 1; i--) {
            double k = a[i];
            if (!(Math.abs(k) < 1)) {
                return false;
            }
            double[] b = new double[i];
            for (int j = 0; j < i; j++) {
                b[j] = (a[j] - k * a[i - j]) / (1 - k * k);
            }
            a = b;
        }
        return true;
    }

    /** Levinson–Durbin on autocorrelation {@code r} (LPC and DAP's start); {@code null} if r[0] ≤ 0. */
    static double[] levinson(double[] r0, int order) {
        if (r0[0] <= 0) {
            return null;
        }
        double[] r = r0.clone();
        r[0] *= 1 + 1e-9; // tiny white-noise floor keeps the recursion stable for pure tones
        double[] a = new double[order + 1];
        double[] tmp = new double[order + 1];
        a[0] = 1;
        double err = r[0];
        for (int i = 1; i <= order; i++) {
            double acc = r[i];
            for (int j = 1; j < i; j++) {
                acc += a[j] * r[i - j];
            }
            double k = -acc / err;
            System.arraycopy(a, 0, tmp, 0, i);
            for (int j = 1; j < i; j++) {
                a[j] = tmp[j] + k * tmp[i - j];
            }
            a[i] = k;
            err *= 1 - k * k;
            if (err <= 0) {
                break;
            }
        }
        return a;
    }

    /** x with m x = b by LU with partial pivoting (EJML); {@code null} if m is singular. */
    private static double[] solve(double[][] m, double[] b) {
        int n = b.length;
        LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(n);
        if (!lu.setA(new DMatrixRMaj(m))) {
            return null;
        }
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        lu.solve(DMatrixRMaj.wrap(n, 1, b.clone()), x);
        for (double v : x.data) {
            if (!Double.isFinite(v)) {
                return null; // singular: a zero pivot divided through
            }
        }
        return x.data;
    }

    /** In-place radix-2 complex FFT (length a power of two). */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            double wr = Math.cos(ang), wi = Math.sin(ang);
            for (int i = 0; i < n; i += len) {
                double cr = 1, ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int u = i + k, v = i + k + len / 2;
                    double xr = re[v] * cr - im[v] * ci, xi = re[v] * ci + im[v] * cr;
                    re[v] = re[u] - xr;
                    im[v] = im[u] - xi;
                    re[u] += xr;
                    im[u] += xi;
                    double nr = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = nr;
                }
            }
        }
    }

    /**
     * Viterbi tracking of F1 &lt; F2 &lt; F3 over frames. States are ordered triples of a frame's candidates.
     * Local cost: {@code 0.5·Σ|ln(F_k/ref_k)|} (distance from a neutral vocal tract scaled by {@code refScale},
     * 500/1500/2500 Hz × refScale), plus {@code Σ B_k/1000}, plus 0.5·(1 − B/400) for each narrow candidate skipped
     * below the chosen F3; F1 ∉ [150, 1400], F2 ∉ [400, 3800] or F3 ∉ [1000, 4900] Hz is forbidden. Transition cost
     * {@code TRANSITION_WEIGHT·Σ|ln(F_k(t)/F_k(t−1))|} (a 20 % jump costs 1). Frames with fewer than three
     * candidates get {@code NaN} and are interpolated by the caller.
     *
     * @return per frame {F1, F2, F3} in Hz (NaN where no triple was possible)
     */
    public static double[][] track(List<List<Candidate>> frames, double refScale) {
        int t = frames.size();
        double[] ref = {500 * refScale, 1500 * refScale, 2500 * refScale};
        List<int[][]> states = new ArrayList<>();
        List<double[]> costs = new ArrayList<>();
        List<int[]> back = new ArrayList<>();
        int prevValid = -1;
        for (int f = 0; f < t; f++) {
            List<Candidate> c = frames.get(f);
            List<int[]> st = new ArrayList<>();
            List<Double> local = new ArrayList<>();
            int n = c.size();
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    for (int k = j + 1; k < n; k++) {
                        double f1 = c.get(i).freqHz(), f2 = c.get(j).freqHz(), f3 = c.get(k).freqHz();
                        if (f1 < 150 || f1 > 1400 || f2 < 400 || f2 > 3800 || f3 < 1000 || f3 > 4900) {
                            continue;
                        }
                        double cost = 0.5 * (Math.abs(Math.log(f1 / ref[0])) + Math.abs(Math.log(f2 / ref[1]))
                                + Math.abs(Math.log(f3 / ref[2])));
                        cost += (c.get(i).bandwidthHz() + c.get(j).bandwidthHz() + c.get(k).bandwidthHz()) / 1000;
                        for (int s = 0; s < k; s++) {
                            if (s != i && s != j) {
                                cost += 0.5 * Math.max(0, 1 - c.get(s).bandwidthHz() / MAX_BANDWIDTH_HZ);
                            }
                        }
                        st.add(new int[] {i, j, k});
                        local.add(cost);
                    }
                }
            }
            int[][] sArr = st.toArray(new int[0][]);
            double[] cost = new double[sArr.length];
            int[] bp = new int[sArr.length];
            Arrays.fill(bp, -1);
            for (int s = 0; s < sArr.length; s++) {
                cost[s] = local.get(s);
                if (prevValid >= 0) {
                    int[][] ps = states.get(prevValid);
                    double[] pc = costs.get(prevValid);
                    List<Candidate> pcand = frames.get(prevValid);
                    double best = Double.POSITIVE_INFINITY;
                    int arg = -1;
                    for (int q = 0; q < ps.length; q++) {
                        double tr = 0;
                        for (int m = 0; m < 3; m++) {
                            tr += Math.abs(Math.log(c.get(sArr[s][m]).freqHz() / pcand.get(ps[q][m]).freqHz()));
                        }
                        double v = pc[q] + TRANSITION_WEIGHT * tr;
                        if (v < best) {
                            best = v;
                            arg = q;
                        }
                    }
                    cost[s] += best;
                    bp[s] = arg;
                }
            }
            states.add(sArr);
            costs.add(cost);
            back.add(bp);
            if (sArr.length > 0) {
                prevValid = f;
            }
        }
        double[][] out = new double[t][3];
        for (double[] row : out) {
            Arrays.fill(row, Double.NaN);
        }
        // backtrack from the last valid frame; back pointers refer to the previous valid frame
        int f = t - 1;
        while (f >= 0 && states.get(f).length == 0) {
            f--;
        }
        if (f < 0) {
            return out;
        }
        double[] lastCost = costs.get(f);
        int s = 0;
        for (int q = 1; q < lastCost.length; q++) {
            if (lastCost[q] < lastCost[s]) {
                s = q;
            }
        }
        while (f >= 0 && s >= 0) {
            int[] tri = states.get(f)[s];
            for (int m = 0; m < 3; m++) {
                out[f][m] = frames.get(f).get(tri[m]).freqHz();
            }
            int prevS = back.get(f)[s];
            f--;
            while (f >= 0 && states.get(f).length == 0) {
                f--;
            }
            s = prevS;
        }
        return out;
    }
}
