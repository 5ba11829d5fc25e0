package org.pnnedge.models.audio;

import java.util.Random;

import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/**
 * Test-only cascade formant synthesizer in the style of Klatt (1980): a Rosenberg glottal pulse train at F0
 * (falling 5 % above to 10 % below the nominal F0 over the vowel, with 1 % period jitter), through five
 * second-order digital resonators in cascade ({@code y = A x + B y[-1] + C y[-2]}, coefficients updated every
 * sample from the formant tracks), first-difference radiation, a raised-cosine amplitude envelope (25 ms ramps)
 * and 100 ms of near-silence (−70 dB noise) before and after.
 *
 * <p>Formant tracks come from {@link SyntheticVowels#meanHz}: F1–F3 pass linearly through the 20, 50 and 80 %
 * values (held constant before 20 % and after 80 %). F4 = max(group F4, F3 + 500), F5 = F4 + 1000.
 * Ground truth for the "steady state" features is the median of the rendered track over the middle third of the
 * vowel (the same definition the estimator uses), not the corpus's hand-picked steady-state value.
 */
final class KlattSynth {

    static final int FS = 16_000;
    static final double[] BANDWIDTHS = {80, 90, 150, 200, 250};

    /** A rendered vowel with its ground truth. */
    record Rendering(Audio audio, double[] truthHz, double f0MeanHz, double vowelStartSec, double vowelEndSec) {
    }

    private KlattSynth() {
    }

    /** Typical F0 (Hz) per group, close to Hillenbrand et al. (1995) group means. */
    static double typicalF0(TalkerGroup g) {
        return switch (g) {
            case MEN -> 131;
            case WOMEN -> 220;
            case BOYS -> 237;
            case GIRLS -> 228;
        };
    }

    static double typicalF4(TalkerGroup g) {
        return switch (g) {
            case MEN -> 3400;
            case WOMEN -> 4000;
            case BOYS, GIRLS -> 4300;
        };
    }

    static Rendering vowel(TalkerGroup g, Vowel v, long seed) {
        return render(SyntheticVowels.meanHz(g, v), typicalF0(g), typicalF4(g), 0.26, seed, 0.5);
    }

    /**
     * Render a vowel.
     *
     * @param features12 formants in the 12-feature layout (only the 20/50/80 % values drive the tracks)
     * @param f0         nominal F0 (Hz)
     * @param f4         nominal F4 (Hz)
     * @param duration   vowel duration (s), ramps included
     * @param seed       jitter and noise seed
     * @param peak       peak amplitude of the output
     */
    static Rendering render(double[] features12, double f0, double f4, double duration, long seed, double peak) {
        Random rnd = new Random(seed);
        int pad = (int) (0.1 * FS);
        int nv = (int) Math.round(duration * FS);
        int total = nv + 2 * pad;
        double[] out = new double[total];
        double[][] y = new double[5][2];
        double t = 0; // phase within current period in samples
        double period = FS / f0;
        double prevSrc = 0;
        double[] f1track = new double[nv];
        double[] f2track = new double[nv];
        double[] f3track = new double[nv];
        double f0sum = 0;
        int f0count = 0;
        for (int n = 0; n < nv; n++) {
            double p = n / (double) nv;
            double[] fk = new double[5];
            for (int k = 0; k < 3; k++) {
                fk[k] = trackAt(features12, k, p);
            }
            fk[3] = Math.max(f4, fk[2] + 500);
            fk[4] = fk[3] + 1000;
            f1track[n] = fk[0];
            f2track[n] = fk[1];
            f3track[n] = fk[2];
            // glottal source
            if (t >= period) {
                t -= period;
                double f0now = f0 * (1.05 - 0.15 * p);
                period = FS / f0now * (1 + 0.01 * rnd.nextGaussian());
                f0sum += FS / period;
                f0count++;
            }
            double tp = 0.40 * period, tn = 0.16 * period;
            double src;
            if (t < tp) {
                src = 0.5 * (1 - Math.cos(Math.PI * t / tp));
            } else if (t < tp + tn) {
                src = Math.cos(Math.PI * (t - tp) / (2 * tn));
            } else {
                src = 0;
            }
            t += 1;
            double s = src;
            for (int k = 0; k < 5; k++) {
                double c = -Math.exp(-2 * Math.PI * BANDWIDTHS[k] / FS);
                double b = 2 * Math.exp(-Math.PI * BANDWIDTHS[k] / FS) * Math.cos(2 * Math.PI * fk[k] / FS);
                double a = 1 - b - c;
                double o = a * s + b * y[k][0] + c * y[k][1];
                y[k][1] = y[k][0];
                y[k][0] = o;
                s = o;
            }
            double rad = s - prevSrc;
            prevSrc = s;
            double ramp = 0.025 * FS;
            double env = n < ramp ? 0.5 * (1 - Math.cos(Math.PI * n / ramp))
                    : n > nv - ramp ? 0.5 * (1 - Math.cos(Math.PI * (nv - n) / ramp)) : 1;
            out[pad + n] = rad * env;
        }
        double max = 0;
        for (double v : out) {
            max = Math.max(max, Math.abs(v));
        }
        for (int n = 0; n < total; n++) {
            out[n] = out[n] * peak / max + peak * 3e-4 * rnd.nextGaussian();
        }
        double[] truth = new double[12];
        double[][] tracks = {f1track, f2track, f3track};
        for (int k = 0; k < 3; k++) {
            truth[k] = FormantFeatures.median(java.util.Arrays.copyOfRange(tracks[k], nv / 3, 2 * nv / 3));
            truth[3 + k] = features12[3 + k];
            truth[6 + k] = features12[6 + k];
            truth[9 + k] = features12[9 + k];
        }
        return new Rendering(new Audio(out, FS, "synth", java.util.List.of()), truth,
                f0count > 0 ? f0sum / f0count : f0, pad / (double) FS, (pad + nv) / (double) FS);
    }

    /** Formant k (0..2) at relative time p through the 20/50/80 % values. */
    static double trackAt(double[] f, int k, double p) {
        double a = f[3 + k], b = f[6 + k], c = f[9 + k];
        if (p <= 0.2) {
            return a;
        } else if (p <= 0.5) {
            return a + (b - a) * (p - 0.2) / 0.3;
        } else if (p <= 0.8) {
            return b + (c - b) * (p - 0.5) / 0.3;
        }
        return c;
    }
}
