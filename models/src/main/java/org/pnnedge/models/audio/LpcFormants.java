package org.pnnedge.models.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Formant estimation by linear prediction.
 * <ol>
 *   <li>Pre-emphasis {@code y[n] = x[n] − α x[n−1]}, α = exp(−2π·50 Hz/fs) (a +6 dB/octave tilt above 50 Hz,
 *       as in Praat);</li>
 *   <li>Hamming-windowed frames of {@value #FRAME_SECONDS} s every {@value #HOP_SECONDS} s;</li>
 *   <li>autocorrelation method, Levinson–Durbin recursion, order {@link FormantFeatures#LPC_ORDER};</li>
 *   <li>roots of {@code A(z)} as the eigenvalues of its companion matrix (EJML);</li>
 *   <li>candidates: roots with positive angle, {@code F = angle·fs/2π}, {@code B = −ln|r|·fs/π}, kept when
 *       {@value #MIN_FREQ_HZ} Hz &lt; F &lt; fs/2 − 50 Hz and B &lt; {@value #MAX_BANDWIDTH_HZ} Hz;</li>
 *   <li>F1–F3 chosen per frame by a Viterbi search over ordered candidate triples (see {@link #track}).</li>
 * </ol>
 */
public final class LpcFormants {

    public static final double FRAME_SECONDS = 0.025;
    public static final double HOP_SECONDS = 0.010;
    public static final double MIN_FREQ_HZ = 90;
    public static final double MAX_BANDWIDTH_HZ = 400;
    /** Relaxed bandwidth limit used only for frames with fewer than three candidates under the normal limit. */
    public static final double RELAXED_BANDWIDTH_HZ = 700;

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
        return lpc(frame, order, null);
    }

    /**
     * As {@link #lpc(double[], int)} with the autocorrelation multiplied by {@code lagWindow[k]} (k ≥ 1), e.g. a
     * Gaussian lag window that smooths the spectrum so LPC poles are less attracted to single harmonics.
     */
    public static double[] lpc(double[] frame, int order, double[] lagWindow) {
        double[] r = new double[order + 1];
        for (int k = 0; k <= order; k++) {
            double s = 0;
            for (int n = k; n < frame.length; n++) {
                s += frame[n] * frame[n - k];
            }
            r[k] = s;
        }
        if (r[0] <= 0) {
            return null;
        }
        r[0] *= 1 + 1e-9; // tiny white-noise floor keeps the recursion stable for pure tones
        if (lagWindow != null) {
            for (int k = 1; k <= order; k++) {
                r[k] *= lagWindow[k];
            }
        }
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

    /** Candidates for every frame of {@code x} (already at the analysis rate), frames starting at hop multiples. */
    public static List<List<Candidate>> frameCandidates(double[] x, double fs, int order) {
        return frameCandidates(x, fs, order, 0);
    }

    /**
     * Candidates per frame with a Gaussian lag window of spectral width {@code lagWindowHz} (0: none):
     * {@code w(k) = exp(−½(2π·lagWindowHz·k/fs)²)}.
     */
    public static List<List<Candidate>> frameCandidates(double[] x, double fs, int order, double lagWindowHz) {
        double[] lw = new double[order + 1];
        for (int k = 0; k <= order; k++) {
            double q = 2 * Math.PI * lagWindowHz * k / fs;
            lw[k] = Math.exp(-0.5 * q * q);
        }
        double[] y = preEmphasis(x, fs, 50);
        int len = (int) Math.round(FRAME_SECONDS * fs);
        int hop = (int) Math.round(HOP_SECONDS * fs);
        double[] w = hamming(len);
        List<List<Candidate>> all = new ArrayList<>();
        double[] frame = new double[len];
        for (int start = 0; start + len <= y.length; start += hop) {
            for (int i = 0; i < len; i++) {
                frame[i] = y[start + i] * w[i];
            }
            double[] a = lpc(frame, order, lagWindowHz > 0 ? lw : null);
            if (a == null) {
                all.add(List.of());
                continue;
            }
            List<Candidate> c = candidates(a, fs, MAX_BANDWIDTH_HZ);
            if (c.size() < 3) {
                c = candidates(a, fs, RELAXED_BANDWIDTH_HZ);
            }
            all.add(c);
        }
        return all;
    }

    /**
     * Viterbi tracking of F1 &lt; F2 &lt; F3 over frames. States are ordered triples of a frame's candidates.
     * Local cost: {@code 0.5·Σ|ln(F_k/ref_k)|} (distance from a neutral vocal tract scaled by {@code refScale},
     * 500/1500/2500 Hz × refScale), plus {@code Σ B_k/1000}, plus 0.5·(1 − B/400) for each narrow candidate skipped
     * below the chosen F3; F1 ∉ [150, 1400], F2 ∉ [400, 3800] or F3 ∉ [1000, 4900] Hz is forbidden. Transition cost
     * {@code 20·Σ|ln(F_k(t)/F_k(t−1))|} (a 5 % jump costs 1). Frames with fewer than three candidates get
     * {@code NaN} and are interpolated by the caller.
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
                        double v = pc[q] + 20 * tr;
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
