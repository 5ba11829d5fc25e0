package org.pnnedge.runtime.recal;

import java.util.ArrayList;
import java.util.List;

import org.pnnedge.runtime.service.OutputCorrection;

/**
 * The label-free output correction: per layer and output channel, a gain (and, with enough probes, an offset)
 * mapping today's probe outputs onto the outputs recorded at training time, by weighted ridge least squares.
 * In ADC codes, with d the channel's dark level measured now:
 * <pre>
 *   reference ≈ d + g·(measured − d) + c          c = 0 unless the layer has minProbesForOffset probes
 *   minimise Σ_p (d + g·(m_p − d) + c − e_p)² / v_p + (g − 1)²/σ_g² + c²/σ_c²
 * </pre>
 * v_p is the variance of (measured mean − reference mean). In the engine's terms (normalised outputs y = code/max):
 * y' = g·y + (d·(1 − g) + c)/max. Validation uses leave-one-probe-out predictions, so a fit that merely
 * interpolates its own probes does not pass.
 */
final class CorrectionFit {
    /** Gains outside this range are clamped (and the fit flagged): no drift a correction can fix is that large. */
    static final double MIN_GAIN = 0.1;
    static final double MAX_GAIN = 10;

    private CorrectionFit() {
    }

    /**
     * @param correction     the fitted correction (layers without probes keep the current one's values)
     * @param inSample       corrected probe outputs (codes) [measurement][channel] with the fit on all probes
     * @param crossValidated the same, each probe predicted by a fit on the other probes of its layer
     * @param gainClamped    some gain hit {@link #MIN_GAIN} or {@link #MAX_GAIN}
     * @param offsetLayers   layers fitted with a free offset
     */
    record Result(OutputCorrection correction, double[][] inSample, double[][] crossValidated, boolean gainClamped,
                  int offsetLayers) {
    }

    /** Errors of corrected probe outputs against their references. */
    record Score(RecalReport.ProbeErrors errors, double worstLayerFraction, boolean pass) {
    }

    static double variance(ProbeMeasurement m, int k) {
        double e = m.probe().expectedOutput()[k];
        double[] refStd = m.probe().outputStd();
        double sm = m.repeats() > 1 ? m.stdAt(k) : (refStd != null ? refStd[k] : 0);
        double se = refStd != null ? refStd[k] : sm;
        // a floor: 0.2 % of the level (ADC nonlinearity, rounding) and one code
        return se * se / m.probe().repeats() + sm * sm / m.repeats() + Math.pow(0.002 * e, 2) + 1.0;
    }

    static Result fit(List<ProbeMeasurement> ms, int layers, int outputs, double maxAdc, double[] dark,
                      OutputCorrection current, RecalConfig cfg) {
        double[][] gain = current.gain();
        double[][] offset = current.offset();
        double[][] inSample = new double[ms.size()][outputs];
        double[][] cv = new double[ms.size()][outputs];
        boolean clamped = false;
        int offsetLayers = 0;
        double invVarG = 1 / (cfg.gainPriorStd() * cfg.gainPriorStd());
        double sc = cfg.offsetPriorStd() * maxAdc;
        double invVarC = 1 / (sc * sc);
        for (int l = 0; l < layers; l++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < ms.size(); i++) {
                if (ms.get(i).probe().layer() == l) {
                    idx.add(i);
                }
            }
            if (idx.isEmpty()) {
                continue;
            }
            boolean useOffset = idx.size() >= cfg.minProbesForOffset();
            if (useOffset) {
                offsetLayers++;
            }
            int n = idx.size();
            double[] a = new double[n];
            double[] b = new double[n];
            double[] w = new double[n];
            for (int k = 0; k < outputs; k++) {
                double d = dark == null ? 0 : dark[k];
                for (int j = 0; j < n; j++) {
                    ProbeMeasurement m = ms.get(idx.get(j));
                    a[j] = m.meanAt(k) - d;
                    b[j] = m.probe().expectedOutput()[k] - d;
                    w[j] = 1 / variance(m, k);
                }
                double[] gc = solve(a, b, w, -1, useOffset, invVarG, invVarC);
                double g = clamp(gc[0]);
                clamped |= g != gc[0];
                gain[l][k] = g;
                offset[l][k] = (d * (1 - g) + gc[1]) / maxAdc;
                for (int j = 0; j < n; j++) {
                    inSample[idx.get(j)][k] = d + g * a[j] + gc[1];
                    double[] loo = solve(a, b, w, j, useOffset, invVarG, invVarC);
                    cv[idx.get(j)][k] = d + clamp(loo[0]) * a[j] + loo[1];
                }
            }
        }
        return new Result(new OutputCorrection(gain, offset), inSample, cv, clamped, offsetLayers);
    }

    private static double clamp(double g) {
        if (!Double.isFinite(g)) {
            return 1;
        }
        return Math.max(MIN_GAIN, Math.min(MAX_GAIN, g));
    }

    /** Ridge solution (g, c) of b ≈ g·a + c, leaving out row {@code skip} (−1: none). */
    private static double[] solve(double[] a, double[] b, double[] w, int skip, boolean useOffset, double invVarG,
                                  double invVarC) {
        double saa = invVarG;
        double sab = invVarG; // prior mean g = 1
        double sa = 0;
        double sw = invVarC;
        double sb = 0;
        for (int j = 0; j < a.length; j++) {
            if (j == skip) {
                continue;
            }
            saa += w[j] * a[j] * a[j];
            sab += w[j] * a[j] * b[j];
            sa += w[j] * a[j];
            sw += w[j];
            sb += w[j] * b[j];
        }
        if (!useOffset) {
            return new double[] {sab / saa, 0};
        }
        double det = saa * sw - sa * sa;
        double g = (sab * sw - sa * sb) / det;
        double c = (saa * sb - sa * sab) / det;
        return new double[] {g, c};
    }

    /** Probe outputs as a given correction would deliver them, in codes [measurement][channel]. */
    static double[][] apply(List<ProbeMeasurement> ms, OutputCorrection c, double maxAdc) {
        double[][] out = new double[ms.size()][];
        for (int i = 0; i < ms.size(); i++) {
            ProbeMeasurement m = ms.get(i);
            int l = m.probe().layer();
            out[i] = new double[m.mean().length];
            for (int k = 0; k < out[i].length; k++) {
                out[i][k] = c.gain(l, k) * m.meanAt(k) + c.offset(l, k) * maxAdc;
            }
        }
        return out;
    }

    /** How close {@code corrected} is to the references, and whether every layer passes validation. */
    static Score score(List<ProbeMeasurement> ms, double[][] corrected, int layers, RecalConfig cfg) {
        int[] within = new int[layers];
        int[] count = new int[layers];
        double sq = 0;
        double max = 0;
        int n = 0;
        for (int i = 0; i < ms.size(); i++) {
            ProbeMeasurement m = ms.get(i);
            double[] e = m.probe().expectedOutput();
            int l = m.probe().layer();
            for (int k = 0; k < e.length; k++) {
                double err = corrected[i][k] - e[k];
                double rel = err / Math.max(1, e[k]);
                sq += rel * rel;
                max = Math.max(max, Math.abs(rel));
                n++;
                double tol = Math.max(cfg.sigmaTolerance() * Math.sqrt(variance(m, k)), cfg.relTolerance() * e[k]);
                if (Math.abs(err) <= tol) {
                    within[l]++;
                }
                count[l]++;
            }
        }
        double worst = 1;
        int allWithin = 0;
        for (int l = 0; l < layers; l++) {
            allWithin += within[l];
            if (count[l] > 0) {
                worst = Math.min(worst, within[l] / (double) count[l]);
            }
        }
        if (n == 0) {
            return new Score(new RecalReport.ProbeErrors(Double.NaN, Double.NaN, Double.NaN, 0), Double.NaN, false);
        }
        return new Score(new RecalReport.ProbeErrors(Math.sqrt(sq / n), max, allWithin / (double) n, n), worst,
                worst >= cfg.minPassFraction());
    }
}
