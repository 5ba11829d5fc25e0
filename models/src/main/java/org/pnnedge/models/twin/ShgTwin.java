package org.pnnedge.models.twin;

// Over 400 lines: the SHG physics' forward pass and its hand-derived VJP must stay side by side to stay in step.

import java.util.Arrays;
import java.util.List;

import org.pnnedge.bridge.PhysicsKind;

/**
 * Grey-box twin of the optical SHG device: the physics' known form with learned calibration.
 *
 * <p>What a lab knows and builds in (see models.md): a pulse shaper writes amplitudes into 48 spectral bins
 * in the interleaved layout of the device design (bin 3k = param 2k, 3k+1 = input k, 3k+2 = param 2k+1);
 * a liquid-crystal mask has a monotone but nonlinear amplitude response with some amplitude-to-phase
 * coupling and leaks into neighbouring pixels; the laser spectrum has an envelope and a spectral phase; a
 * thin χ(2) crystal makes the second harmonic E_SH(s) = Σ_{i+j=s} E_i E_j; a spectrometer integrates
 * |E_SH|² over a band of SH frequencies per channel, with a dark offset and some compression near full scale.
 *
 * <p>What it learns (the calibration vector): the mask response as two lookup tables (amplitude and phase,
 * 33 knots each, linear interpolation), a complex gain per bin (envelope and spectral phase), left/right
 * crosstalk, non-negative spectrometer weights over an 8-bin SH band per channel (absorbs phase matching,
 * bin edges and detector gain), a dark offset per channel and a compression coefficient.
 */
public final class ShgTwin implements TrainableTwin {
    public static final int BINS = 48;
    public static final int INPUTS = 16;
    public static final int PARAMS = 32;
    public static final int OUTPUTS = 16;
    public static final int KNOTS = 33;
    /** SH bins the spectrometer sees by design (second harmonic of bins 13.5 .. 33.5). */
    public static final int SH_FIRST = 27;
    public static final int SH_LAST = 67;
    public static final int BAND = 8;

    // offsets into the calibration vector
    static final int LUT_A = 0;
    static final int LUT_P = LUT_A + KNOTS;
    static final int AMP = LUT_P + KNOTS;
    static final int PHASE = AMP + BINS;
    static final int KAPPA_L = PHASE + BINS;
    static final int KAPPA_R = KAPPA_L + 1;
    static final int WEIGHTS = KAPPA_R + 1;
    static final int OFFSET = WEIGHTS + OUTPUTS * BAND;
    static final int BETA = OFFSET + OUTPUTS;
    public static final int SIZE = BETA + 1;

    private final double[] c;
    private final int[] binOfInput = new int[INPUTS];
    private final int[] binOfParam = new int[PARAMS];
    private final int[] bandFirst = new int[OUTPUTS];
    private final int shLo;
    private final int shHi;

    /** A twin with the given calibration (copied). */
    public ShgTwin(double[] calibration) {
        if (calibration.length != SIZE) {
            throw new IllegalArgumentException("SHG twin calibration has " + calibration.length + " values, expected " + SIZE);
        }
        this.c = calibration.clone();
        for (int k = 0; k < INPUTS; k++) {
            binOfInput[k] = 3 * k + 1;
        }
        for (int p = 0; p < PARAMS; p++) {
            binOfParam[p] = 3 * (p / 2) + 2 * (p % 2);
        }
        double width = (SH_LAST - SH_FIRST + 1.0) / OUTPUTS;
        int lo = Integer.MAX_VALUE;
        int hi = 0;
        for (int k = 0; k < OUTPUTS; k++) {
            double centre = SH_FIRST - 0.5 + (k + 0.5) * width;
            bandFirst[k] = (int) Math.round(centre) - BAND / 2;
            lo = Math.min(lo, bandFirst[k]);
            hi = Math.max(hi, bandFirst[k] + BAND - 1);
        }
        shLo = Math.max(0, lo);
        shHi = Math.min(2 * BINS - 2, hi);
    }

    /**
     * The starting point of a fit: linear mask, flat spectrum, no phase, weak crosstalk, each channel
     * integrating its nominal 2.56-bin slice, zero offset. The fitter rescales gains to the data.
     */
    public static ShgTwin initial() {
        double[] c = new double[SIZE];
        for (int i = 0; i < KNOTS; i++) {
            c[LUT_A + i] = i / (KNOTS - 1.0);
        }
        Arrays.fill(c, AMP, AMP + BINS, 1.0);
        c[KAPPA_L] = 0.02;
        c[KAPPA_R] = 0.02;
        ShgTwin t = new ShgTwin(c);
        double width = (SH_LAST - SH_FIRST + 1.0) / OUTPUTS;
        for (int k = 0; k < OUTPUTS; k++) {
            double a = SH_FIRST - 0.5 + k * width;
            double b = a + width;
            for (int j = 0; j < BAND; j++) {
                int s = t.bandFirst[k] + j;
                double overlap = Math.max(0, Math.min(b, s + 0.5) - Math.max(a, s - 0.5));
                t.c[WEIGHTS + k * BAND + j] = overlap + 0.02; // small floor: lets the fit discover leakage
            }
        }
        return t;
    }

    /** The calibration vector (live). */
    public double[] calibration() {
        return c;
    }

    @Override
    public String type() {
        return "shg-greybox";
    }

    @Override
    public List<double[]> parameters() {
        return List.of(c);
    }

    @Override
    public ShgTwin copy() {
        return new ShgTwin(c);
    }

    @Override
    public List<double[]> gradients(Workspace ws) {
        return List.of(((Ws) ws).grad);
    }

    @Override
    public void zeroGradients(Workspace ws) {
        Arrays.fill(((Ws) ws).grad, 0);
    }

    /** Offsets from the darkest samples; weights scaled so the mean predicted level matches the data. */
    @Override
    public void initialise(double[][] x, double[][] theta, double[][] y, int[] rows, int n) {
        double[] low = new double[OUTPUTS];
        Arrays.fill(low, Double.MAX_VALUE);
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < OUTPUTS; k++) {
                low[k] = Math.min(low[k], y[rows[b]][k]);
            }
        }
        setOffsets(low);
        Workspace ws = newWorkspace();
        double[] pred = new double[OUTPUTS];
        double sumPred = 0;
        double sumData = 0;
        for (int b = 0; b < Math.min(n, 2000); b++) {
            int i = rows[b];
            forward(x[i], theta[i], pred, ws);
            for (int k = 0; k < OUTPUTS; k++) {
                sumPred += raw(ws, k);
                sumData += y[i][k] - low[k];
            }
        }
        if (sumPred > 0 && sumData > 0) {
            scaleWeights(sumData / sumPred);
        }
    }

    @Override
    public PhysicsKind kind() {
        return PhysicsKind.SHG;
    }

    @Override
    public int inputs() {
        return INPUTS;
    }

    @Override
    public int params() {
        return PARAMS;
    }

    @Override
    public int outputs() {
        return OUTPUTS;
    }

    @Override
    public void project() {
        for (int i = 0; i < OUTPUTS * BAND; i++) {
            if (c[WEIGHTS + i] < 0) {
                c[WEIGHTS + i] = 0;
            }
        }
        if (c[BETA] < 0) {
            c[BETA] = 0;
        }
    }

    /** Scales the spectrometer weights (the fitter matches the output level of the data before fitting). */
    public void scaleWeights(double factor) {
        for (int i = 0; i < OUTPUTS * BAND; i++) {
            c[WEIGHTS + i] *= factor;
        }
    }

    public void setOffsets(double[] offsets) {
        System.arraycopy(offsets, 0, c, OFFSET, OUTPUTS);
    }

    /** Raw (pre-offset, pre-compression) spectrometer signal of the last forward pass. */
    double raw(Workspace ws, int k) {
        return ((Ws) ws).r[k];
    }

    static final class Ws implements Workspace {
        final double[] u = new double[BINS];
        final int[] idx = new int[BINS];
        final double[] frac = new double[BINS];
        final double[] amp = new double[BINS];
        final double[] ph = new double[BINS];
        final double[] tRe = new double[BINS];
        final double[] tIm = new double[BINS];
        final double[] eRe = new double[BINS];
        final double[] eIm = new double[BINS];
        final double[] fRe = new double[BINS];
        final double[] fIm = new double[BINS];
        final double[] sRe = new double[2 * BINS];
        final double[] sIm = new double[2 * BINS];
        final double[] inten = new double[2 * BINS];
        final double[] r = new double[OUTPUTS];
        final boolean[] clipped = new boolean[OUTPUTS];
        // backward scratch
        final double[] gS = new double[2 * BINS];
        final double[] gSRe = new double[2 * BINS];
        final double[] gSIm = new double[2 * BINS];
        final double[] gFRe = new double[BINS];
        final double[] gFIm = new double[BINS];
        final double[] gU = new double[BINS];
        final double[] grad = new double[SIZE];
    }

    @Override
    public Workspace newWorkspace() {
        return new Ws();
    }

    @Override
    public void forward(double[] x, double[] theta, double[] y, Workspace workspace) {
        Ws w = (Ws) workspace;
        for (int k = 0; k < INPUTS; k++) {
            w.u[binOfInput[k]] = x[k];
        }
        for (int p = 0; p < PARAMS; p++) {
            w.u[binOfParam[p]] = theta[p];
        }
        for (int b = 0; b < BINS; b++) {
            double u = Math.min(1.0, Math.max(0.0, w.u[b]));
            double t = u * (KNOTS - 1);
            int i = Math.min((int) t, KNOTS - 2);
            double f = t - i;
            w.idx[b] = i;
            w.frac[b] = f;
            double a = c[LUT_A + i] * (1 - f) + c[LUT_A + i + 1] * f;
            double ph = c[LUT_P + i] * (1 - f) + c[LUT_P + i + 1] * f;
            w.amp[b] = a;
            w.ph[b] = ph;
            // T = A e^{iP}; E = g e^{iψ} T
            double tr = a * Math.cos(ph);
            double ti = a * Math.sin(ph);
            w.tRe[b] = tr;
            w.tIm[b] = ti;
            double g = c[AMP + b];
            double cs = Math.cos(c[PHASE + b]);
            double sn = Math.sin(c[PHASE + b]);
            w.eRe[b] = g * (cs * tr - sn * ti);
            w.eIm[b] = g * (cs * ti + sn * tr);
        }
        double kl = c[KAPPA_L];
        double kr = c[KAPPA_R];
        for (int b = 0; b < BINS; b++) {
            double re = w.eRe[b];
            double im = w.eIm[b];
            if (b > 0) {
                re += kl * w.eRe[b - 1];
                im += kl * w.eIm[b - 1];
            }
            if (b < BINS - 1) {
                re += kr * w.eRe[b + 1];
                im += kr * w.eIm[b + 1];
            }
            w.fRe[b] = re;
            w.fIm[b] = im;
        }
        for (int s = shLo; s <= shHi; s++) {
            double re = 0;
            double im = 0;
            int i0 = Math.max(0, s - (BINS - 1));
            int i1 = Math.min(BINS - 1, s);
            for (int i = i0; i <= i1; i++) {
                int j = s - i;
                re += w.fRe[i] * w.fRe[j] - w.fIm[i] * w.fIm[j];
                im += w.fRe[i] * w.fIm[j] + w.fIm[i] * w.fRe[j];
            }
            w.sRe[s] = re;
            w.sIm[s] = im;
            w.inten[s] = re * re + im * im;
        }
        double beta = c[BETA];
        for (int k = 0; k < OUTPUTS; k++) {
            double r = 0;
            int base = WEIGHTS + k * BAND;
            for (int j = 0; j < BAND; j++) {
                int s = bandFirst[k] + j;
                if (s >= shLo && s <= shHi) {
                    r += c[base + j] * w.inten[s];
                }
            }
            w.r[k] = r;
            double v = c[OFFSET + k] + r - beta * r * r;
            w.clipped[k] = v > 1.0;
            y[k] = w.clipped[k] ? 1.0 : v;
        }
    }

    @Override
    public void vjp(double[] dy, double[] dx, double[] dTheta, Workspace ws) {
        backward(dy, null, dx, dTheta, ws);
    }

    @Override
    public void backward(double[] dy, double[] dx, double[] dTheta, Workspace ws) {
        backward(dy, ((Ws) ws).grad, dx, dTheta, ws);
    }

    /** The backward pass; {@code grad} (calibration gradient accumulator) may be null for a plain VJP. */
    void backward(double[] dy, double[] grad, double[] dx, double[] dTheta, Workspace workspace) {
        Ws w = (Ws) workspace;
        double beta = c[BETA];
        Arrays.fill(w.gS, shLo, shHi + 1, 0.0);
        for (int k = 0; k < OUTPUTS; k++) {
            if (w.clipped[k]) {
                continue; // saturated: the output does not move
            }
            double r = w.r[k];
            double dr = dy[k] * (1 - 2 * beta * r);
            int base = WEIGHTS + k * BAND;
            if (grad != null) {
                grad[OFFSET + k] += dy[k];
                grad[BETA] -= dy[k] * r * r;
            }
            for (int j = 0; j < BAND; j++) {
                int s = bandFirst[k] + j;
                if (s >= shLo && s <= shHi) {
                    if (grad != null) {
                        grad[base + j] += dr * w.inten[s];
                    }
                    w.gS[s] += dr * c[base + j];
                }
            }
        }
        // I = |S|²: gradient w.r.t. (Re S, Im S) = 2 dI (Re S, Im S)
        for (int s = shLo; s <= shHi; s++) {
            w.gSRe[s] = 2 * w.gS[s] * w.sRe[s];
            w.gSIm[s] = 2 * w.gS[s] * w.sIm[s];
        }
        // S_s = Σ_i F_i F_{s-i}: grad F_j = Σ_s gS_s · conj(2 F_{s-j})
        for (int j = 0; j < BINS; j++) {
            double re = 0;
            double im = 0;
            int s0 = Math.max(shLo, j);
            int s1 = Math.min(shHi, j + BINS - 1);
            for (int s = s0; s <= s1; s++) {
                int m = s - j;
                double ar = w.gSRe[s];
                double ai = w.gSIm[s];
                double br = w.fRe[m];
                double bi = -w.fIm[m];
                re += ar * br - ai * bi;
                im += ar * bi + ai * br;
            }
            w.gFRe[j] = 2 * re;
            w.gFIm[j] = 2 * im;
        }
        double kl = c[KAPPA_L];
        double kr = c[KAPPA_R];
        for (int b = 0; b < BINS; b++) {
            // F_b = E_b + kl E_{b-1} + kr E_{b+1}  =>  gE_b = gF_b + kl gF_{b+1} + kr gF_{b-1}
            double gRe = w.gFRe[b];
            double gIm = w.gFIm[b];
            if (b < BINS - 1) {
                gRe += kl * w.gFRe[b + 1];
                gIm += kl * w.gFIm[b + 1];
            }
            if (b > 0) {
                gRe += kr * w.gFRe[b - 1];
                gIm += kr * w.gFIm[b - 1];
            }
            if (grad != null) {
                if (b > 0) {
                    grad[KAPPA_L] += w.gFRe[b] * w.eRe[b - 1] + w.gFIm[b] * w.eIm[b - 1];
                }
                if (b < BINS - 1) {
                    grad[KAPPA_R] += w.gFRe[b] * w.eRe[b + 1] + w.gFIm[b] * w.eIm[b + 1];
                }
            }
            // E = g e^{iψ} T
            double g = c[AMP + b];
            double cs = Math.cos(c[PHASE + b]);
            double sn = Math.sin(c[PHASE + b]);
            if (grad != null) {
                double eRe = w.eRe[b];
                double eIm = w.eIm[b];
                if (g != 0) {
                    grad[AMP + b] += (gRe * eRe + gIm * eIm) / g;
                } else {
                    double cRe = cs * w.tRe[b] - sn * w.tIm[b];
                    double cIm = cs * w.tIm[b] + sn * w.tRe[b];
                    grad[AMP + b] += gRe * cRe + gIm * cIm;
                }
                // dE/dψ = i E  => Re(g · conj(iE)) = gRe·(-eIm)... = -gRe eIm + gIm eRe
                grad[PHASE + b] += -gRe * eIm + gIm * eRe;
            }
            // grad T = gE · conj(g e^{iψ})
            double gtRe = g * (gRe * cs + gIm * sn);
            double gtIm = g * (gIm * cs - gRe * sn);
            // T = A e^{iP}
            double cp = Math.cos(w.ph[b]);
            double sp = Math.sin(w.ph[b]);
            double dA = gtRe * cp + gtIm * sp;
            double dP = -gtRe * w.tIm[b] + gtIm * w.tRe[b];
            int i = w.idx[b];
            double f = w.frac[b];
            if (grad != null) {
                grad[LUT_A + i] += dA * (1 - f);
                grad[LUT_A + i + 1] += dA * f;
                grad[LUT_P + i] += dP * (1 - f);
                grad[LUT_P + i + 1] += dP * f;
            }
            double u = w.u[b];
            double slope = (u < 0 || u > 1) ? 0 : (KNOTS - 1);
            w.gU[b] = slope * (dA * (c[LUT_A + i + 1] - c[LUT_A + i]) + dP * (c[LUT_P + i + 1] - c[LUT_P + i]));
        }
        if (dx != null) {
            for (int k = 0; k < INPUTS; k++) {
                dx[k] = w.gU[binOfInput[k]];
            }
        }
        if (dTheta != null) {
            for (int p = 0; p < PARAMS; p++) {
                dTheta[p] = w.gU[binOfParam[p]];
            }
        }
    }
}
