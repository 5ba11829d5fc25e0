package org.pnnedge.models.audio;

// Over 400 lines: one synthesizer; its Voice, its Rendering and the rendering steps change together.

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/**
 * A cascade formant synthesizer in the style of Klatt (1980), "Software for a cascade/parallel formant
 * synthesizer", J. Acoust. Soc. Am. 67(3): renders a vowel with known formant tracks and F0, so the audio front
 * end can be measured against ground truth and the vowel models can be trained on what the front end hears.
 *
 * <h2>Model</h2>
 * A Rosenberg glottal pulse train at F0 (opening phase {@code openQuotient}·T, closing phase 0.16·T; F0 falls
 * from +5 % to −10 % of the nominal value over the vowel, with per-period jitter), plus optional aspiration
 * noise, through five second-order digital resonators in cascade ({@code y = A x + B y[-1] + C y[-2]}, Klatt's
 * eq. 2, coefficients updated every sample from the formant tracks), a first difference for lip radiation, a
 * raised-cosine amplitude envelope (25 ms ramps) and 100 ms of near-silence (noise at {@code noiseFloor} of
 * the peak) before and after. Formant tracks pass linearly through the 20, 50 and 80 % values of the 12-feature
 * layout (held before 20 % and after 80 %); F4 = max(voice F4, F3 + 500), F5 = F4 + 1000.
 *
 * <p>With {@code hvd} the vowel becomes an /hVd/ word like the recordings of Hillenbrand et al. (1995): 80 ms of
 * /h/ (aspiration noise through the vowel's onset resonances, rising, RMS 15 dB below the vowel's), then the
 * vowel, then the /d/: 50 ms of voice bar (the glottal source through a single 250 Hz resonator, peak −25 dB of
 * the vowel's) and a 10 ms release burst (noise differentiated twice, so mostly above 3 kHz, −20 dB). The vowel's own 80 % point already carries the
 * formant transition toward /d/ that the corpus measured.
 *
 * <p>Ground truth: F1–F3 "steady state" is the median of the rendered track over the middle third of the vowel
 * (the definition the estimator uses); the 20/50/80 % values are the requested ones.
 */
public final class VowelSynthesizer {

    public static final int DEFAULT_RATE = 16_000;
    /** Default formant bandwidths F1..F5 (Hz), Klatt's typical values for a male voice. */
    static final double[] BANDWIDTHS = {80, 90, 150, 200, 250};

    /**
     * A talker's voice.
     *
     * @param f0Hz           nominal F0
     * @param f4Hz           nominal F4 (vocal-tract length sets it; F5 follows)
     * @param bandwidthScale multiplies the default bandwidths (0.5..3): wider = more damped, breathier
     * @param openQuotient   glottal opening phase as a fraction of the period (0.2..0.7)
     * @param jitter         relative SD of the period, per period (0..0.05)
     * @param aspiration     aspiration noise amplitude relative to the glottal pulse (0..1)
     * @param noiseFloor     background noise SD relative to the output peak (0..0.1)
     */
    public record Voice(double f0Hz, double f4Hz, double bandwidthScale, double openQuotient, double jitter,
                        double aspiration, double noiseFloor) {
        public Voice {
            check("f0Hz", f0Hz, 50, 600);
            check("f4Hz", f4Hz, 2000, 7000);
            check("bandwidthScale", bandwidthScale, 0.5, 3);
            check("openQuotient", openQuotient, 0.2, 0.7);
            check("jitter", jitter, 0, 0.05);
            check("aspiration", aspiration, 0, 1);
            check("noiseFloor", noiseFloor, 0, 0.1);
        }

        /** The group's typical voice: F0 and F4 close to Hillenbrand et al. (1995) group means, modal phonation. */
        public static Voice typical(TalkerGroup g) {
            return new Voice(typicalF0(g), typicalF4(g), 1, 0.40, 0.01, 0, 3e-4);
        }

        /**
         * A random talker of the group: F0 log-normal around the group mean (SD 12 %), F4 with the talker's
         * vocal-tract scale {@code tractScale}, bandwidths ×0.8–1.6, open quotient 0.3–0.6, jitter 0.5–2 %,
         * aspiration 0–0.08, noise floor −70 to −35 dB.
         */
        public static Voice random(TalkerGroup g, double tractScale, Random rnd) {
            double f0 = clamp(typicalF0(g) * Math.exp(0.12 * rnd.nextGaussian()), 70, 450);
            double f4 = clamp(typicalF4(g) * tractScale, 2500, 6500);
            double bw = 0.8 + 0.8 * rnd.nextDouble();
            double oq = 0.3 + 0.3 * rnd.nextDouble();
            double jit = 0.005 + 0.015 * rnd.nextDouble();
            double asp = 0.08 * rnd.nextDouble();
            double noise = Math.pow(10, (-70 + 35 * rnd.nextDouble()) / 20);
            return new Voice(f0, f4, bw, oq, jit, asp, noise);
        }

        public Voice withF0(double hz) {
            return new Voice(hz, f4Hz, bandwidthScale, openQuotient, jitter, aspiration, noiseFloor);
        }

        private static void check(String name, double v, double lo, double hi) {
            if (!(v >= lo && v <= hi)) {
                throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
            }
        }
    }

    /**
     * A rendered vowel with its ground truth.
     *
     * @param truthHz       the 12 features the audio carries (see the class comment)
     * @param f0MeanHz      mean F0 actually rendered over the vowel
     * @param vowelStartSec start of the vowel (after any /h/)
     * @param vowelEndSec   end of the vowel (before any /d/)
     */
    public record Rendering(Audio audio, double[] truthHz, double f0MeanHz, double vowelStartSec, double vowelEndSec) {
        public Rendering {
            truthHz = truthHz.clone();
        }

        @Override
        public double[] truthHz() {
            return truthHz.clone();
        }
    }

    private VowelSynthesizer() {
    }

    /** Typical F0 (Hz) per group, close to Hillenbrand et al. (1995) group means ({@link TalkerGroup#typicalF0Hz}). */
    public static double typicalF0(TalkerGroup g) {
        return g.typicalF0Hz();
    }

    /** Typical F4 (Hz) per group. */
    public static double typicalF4(TalkerGroup g) {
        return switch (g) {
            case MEN -> 3400;
            case WOMEN -> 4000;
            case BOYS, GIRLS -> 4300;
        };
    }

    /** The group's mean vowel (Hillenbrand 1995 means), typical voice, 260 ms, 16 kHz, isolated. */
    public static Rendering vowel(TalkerGroup g, Vowel v, long seed) {
        return render(SyntheticVowels.meanHz(g, v), Voice.typical(g), 0.26, DEFAULT_RATE, false, seed, 0.5);
    }

    /**
     * Render a vowel or an /hVd/ word.
     *
     * @param features12 formants in the 12-feature layout, Hz (the 20/50/80 % values drive the tracks)
     * @param voice      the talker's voice
     * @param duration   vowel duration (s), ramps included, 0.02..2
     * @param rate       output sample rate (8 kHz..96 kHz)
     * @param hvd        wrap the vowel in /h/ and /d/
     * @param seed       jitter and noise seed
     * @param peak       peak amplitude of the output (0..1]
     */
    public static Rendering render(double[] features12, Voice voice, double duration, int rate, boolean hvd,
                                   long seed, double peak) {
        checkArguments(features12, duration, rate, peak);
        Random rnd = new Random(seed);
        Random aux = new Random(seed ^ 0x5DEECE66DL); // aspiration and /hVd/ noise: the default voice's sequence stays
        int fs = rate;
        int pad = (int) (0.1 * fs);
        int nh = hvd ? (int) (0.08 * fs) : 0;
        int nv = (int) Math.round(duration * fs);
        int nd = hvd ? (int) (0.06 * fs) : 0;
        int total = pad + nh + nv + nd + pad;
        double[] out = new double[total];
        double[] bw = new double[5];
        for (int k = 0; k < 5; k++) {
            bw[k] = BANDWIDTHS[k] * voice.bandwidthScale();
        }
        // the steps below draw from rnd and aux in this order; changing it changes every rendering
        if (hvd) {
            renderH(out, pad, nh, features12, voice, bw, fs, aux);
        }
        Glottis glottis = new Glottis(fs / voice.f0Hz());
        double[][] tracks = renderVowel(out, pad + nh, nv, features12, voice, bw, fs, glottis, rnd, aux);
        double vowelPeak = 0;
        double vowelEnergy = 0;
        for (int n = pad + nh; n < pad + nh + nv; n++) {
            vowelPeak = Math.max(vowelPeak, Math.abs(out[n]));
            vowelEnergy += out[n] * out[n];
        }
        if (hvd) {
            levelH(out, pad, nh, vowelEnergy / nv);
            renderD(out, pad + nh + nv, nd, vowelPeak, voice, fs, glottis, aux);
        }
        normalise(out, peak, voice.noiseFloor(), rnd);
        double[] truth = new double[12];
        for (int k = 0; k < 3; k++) {
            truth[k] = FormantFeatures.median(Arrays.copyOfRange(tracks[k], nv / 3, 2 * nv / 3));
            truth[3 + k] = features12[3 + k];
            truth[6 + k] = features12[6 + k];
            truth[9 + k] = features12[9 + k];
        }
        return new Rendering(new Audio(out, fs, hvd ? "synth /hVd/" : "synth", List.of()), truth,
                glottis.f0count > 0 ? glottis.f0sum / glottis.f0count : voice.f0Hz(), (pad + nh) / (double) fs,
                (pad + nh + nv) / (double) fs);
    }

    private static void checkArguments(double[] features12, double duration, int rate, double peak) {
        if (features12.length != 12) {
            throw new IllegalArgumentException("expected 12 features, got " + features12.length);
        }
        if (!(duration >= 0.02 && duration <= 2)) {
            throw new IllegalArgumentException("duration must be in [0.02, 2] s, got " + duration);
        }
        if (rate < 8000 || rate > 96_000) {
            throw new IllegalArgumentException("rate must be in [8000, 96000] Hz, got " + rate);
        }
        if (!(peak > 0 && peak <= 1)) {
            throw new IllegalArgumentException("peak must be in (0, 1], got " + peak);
        }
        for (int k = 0; k < 3; k++) {
            for (int t = 1; t < 4; t++) {
                double f = features12[3 * t + k];
                if (!(f > 50 && f < rate / 2.0 - 200)) {
                    throw new IllegalArgumentException("formant F" + (k + 1) + " = " + f + " Hz is outside (50, "
                            + (rate / 2 - 200) + ") Hz at " + rate + " Hz");
                }
            }
        }
    }

    /** The glottal source's phase, carried from the vowel into the /d/ voice bar, and the F0 it rendered. */
    private static final class Glottis {
        double t; // phase within the current period, samples
        double period;
        double f0sum;
        int f0count;

        Glottis(double period) {
            this.period = period;
        }
    }

    /** F1–F5 at relative time p of the vowel into {@code fk}. */
    private static void formantsAt(double[] fk, double[] features12, Voice voice, double p, int fs) {
        for (int k = 0; k < 3; k++) {
            fk[k] = trackAt(features12, k, p);
        }
        fk[3] = Math.max(voice.f4Hz(), fk[2] + 500);
        fk[4] = Math.min(fk[3] + 1000, fs / 2.0 - 100);
    }

    /** /h/: aspiration through the onset resonances, rising; {@link #levelH} sets its level later. */
    private static void renderH(double[] out, int from, int nh, double[] features12, Voice voice, double[] bw,
                                int fs, Random aux) {
        double[] fk = new double[5];
        double[][] yh = new double[5][2];
        formantsAt(fk, features12, voice, 0, fs);
        double prev = 0;
        for (int n = 0; n < nh; n++) {
            double s = aux.nextGaussian() * (n / (double) nh);
            s = cascade(s, fk, bw, yh, fs, 1.5);
            out[from + n] = s - prev;
            prev = s;
        }
    }

    /** The vowel: glottal pulses (and aspiration) through the formant cascade; returns the F1–F3 tracks. */
    private static double[][] renderVowel(double[] out, int from, int nv, double[] features12, Voice voice,
                                          double[] bw, int fs, Glottis g, Random rnd, Random aux) {
        double[][] tracks = new double[3][nv];
        double[] fk = new double[5];
        double[][] y = new double[5][2];
        double f0 = voice.f0Hz();
        double prevOut = 0;
        for (int n = 0; n < nv; n++) {
            double p = n / (double) nv;
            formantsAt(fk, features12, voice, p, fs);
            tracks[0][n] = fk[0];
            tracks[1][n] = fk[1];
            tracks[2][n] = fk[2];
            if (g.t >= g.period) {
                g.t -= g.period;
                double f0now = f0 * (1.05 - 0.15 * p);
                g.period = fs / f0now * (1 + voice.jitter() * rnd.nextGaussian());
                g.f0sum += fs / g.period;
                g.f0count++;
            }
            double src = glottal(g.t, g.period, voice.openQuotient());
            g.t += 1;
            if (voice.aspiration() > 0) {
                src += voice.aspiration() * aux.nextGaussian() * (0.5 + src);
            }
            double s = cascade(src, fk, bw, y, fs, 1);
            double rad = s - prevOut;
            prevOut = s;
            double ramp = 0.025 * fs;
            double env = n < ramp ? 0.5 * (1 - Math.cos(Math.PI * n / ramp))
                    : n > nv - ramp ? 0.5 * (1 - Math.cos(Math.PI * (nv - n) / ramp)) : 1;
            out[from + n] = rad * env;
        }
        return tracks;
    }

    /** The /h/ at −15 dB of the vowel's RMS ({@code vowelPower} = its mean square). */
    private static void levelH(double[] out, int from, int nh, double vowelPower) {
        double hEnergy = 1e-30;
        for (int n = from; n < from + nh; n++) {
            hEnergy += out[n] * out[n];
        }
        double gain = 0.18 * Math.sqrt(vowelPower / (hEnergy / nh));
        for (int n = from; n < from + nh; n++) {
            out[n] *= gain;
        }
    }

    /** /d/: 50 ms voice bar at −25 dB of the vowel's peak, then the release burst in the rest of {@code nd}. */
    private static void renderD(double[] out, int from, int nd, double vowelPeak, Voice voice, int fs, Glottis g,
                                Random aux) {
        double f0 = voice.f0Hz();
        int bar = (int) (0.05 * fs);
        double[][] yb = new double[1][2];
        double[] fb = {250};
        double[] bb = {100};
        double prev = 0;
        double barPeak = 1e-12;
        double[] tmp = new double[bar];
        for (int n = 0; n < bar; n++) {
            if (g.t >= g.period) {
                g.t -= g.period;
                g.period = fs / (f0 * 0.88) * (1 + voice.jitter() * aux.nextGaussian());
            }
            double s = cascade(glottal(g.t, g.period, voice.openQuotient()), fb, bb, yb, fs, 1);
            g.t += 1;
            tmp[n] = s - prev;
            prev = s;
            barPeak = Math.max(barPeak, Math.abs(tmp[n]));
        }
        for (int n = 0; n < bar; n++) {
            out[from + n] = tmp[n] / barPeak * vowelPeak * 0.056; // −25 dB
        }
        int burst = nd - bar;
        double a1 = 0, a2 = 0;
        for (int n = 0; n < burst; n++) {
            double w = aux.nextGaussian();
            double d2 = w - 2 * a1 + a2;
            a2 = a1;
            a1 = w;
            out[from + bar + n] = d2 * 0.25 * vowelPeak * 0.1 * Math.exp(-n / (0.003 * fs));
        }
    }

    /** Scales the output to {@code peak} and adds the background noise. */
    private static void normalise(double[] out, double peak, double noiseFloor, Random rnd) {
        double max = 0;
        for (double v : out) {
            max = Math.max(max, Math.abs(v));
        }
        for (int n = 0; n < out.length; n++) {
            out[n] = out[n] * peak / max + peak * noiseFloor * rnd.nextGaussian();
        }
    }

    /** Rosenberg pulse: raised-cosine opening over oq·T, quarter-cosine closing over 0.16·T, closed after. */
    private static double glottal(double t, double period, double openQuotient) {
        double tp = openQuotient * period;
        double tn = 0.16 * period;
        if (t < tp) {
            return 0.5 * (1 - Math.cos(Math.PI * t / tp));
        } else if (t < tp + tn) {
            return Math.cos(Math.PI * (t - tp) / (2 * tn));
        }
        return 0;
    }

    /**
     * One sample through resonators in cascade (unity gain at DC), bandwidths times {@code bwScale}. Resonators at or
     * above 0.45·fs are left out: near Nyquist a digital resonator's peak folds onto the band edge (at 8 kHz a
     * man's F4 would put 40 dB of energy at 3.5–4 kHz), which a real recorder's anti-aliasing filter never passes.
     */
    private static double cascade(double s, double[] f, double[] bw, double[][] y, int fs, double bwScale) {
        for (int k = 0; k < f.length; k++) {
            if (f[k] >= 0.45 * fs) {
                continue;
            }
            double c = -Math.exp(-2 * Math.PI * bw[k] * bwScale / fs);
            double b = 2 * Math.exp(-Math.PI * bw[k] * bwScale / fs) * Math.cos(2 * Math.PI * f[k] / fs);
            double a = 1 - b - c;
            double o = a * s + b * y[k][0] + c * y[k][1];
            y[k][1] = y[k][0];
            y[k][0] = o;
            s = o;
        }
        return s;
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

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
