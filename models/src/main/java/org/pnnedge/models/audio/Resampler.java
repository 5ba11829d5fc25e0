package org.pnnedge.models.audio;

/**
 * Band-limited resampling by a Kaiser-windowed sinc, polyphase. Sample rates are integers, so the ratio is
 * L/M in lowest terms (16 kHz → 10 kHz: 5/8; 44.1 kHz → 10 kHz: 100/441) and output sample m lies at input
 * position m·M/L = q + p/L: its taps depend only on the phase p, one of L. Each phase's taps are computed once
 * per call and reused for every output of that phase. The low-pass cut-off is {@value #CUTOFF_FRACTION} of the
 * lower Nyquist frequency, with {@value #ZERO_CROSSINGS} zero crossings per side and Kaiser β =
 * {@value #KAISER_BETA} (stop-band attenuation about 80 dB), so downsampling 44.1 kHz → 10 kHz leaves no audible
 * aliasing in the formant range.
 */
public final class Resampler {

    static final double CUTOFF_FRACTION = 0.95;
    static final int ZERO_CROSSINGS = 16;
    static final double KAISER_BETA = 8.0;
    /**
     * Phases kept per call: every common rate pair has at most 400 (11.025 kHz → 10 kHz); an odd pair such as
     * 44,056 → 10,000 Hz (1,250 phases) computes each output's taps afresh instead of holding megabytes.
     */
    static final int MAX_KEPT_PHASES = 1024;

    private Resampler() {
    }

    /** The taps of one phase: {@code h[j]} weighs input sample q + first + j. */
    private record Phase(int first, double[] h) {
    }

    /** Resample {@code x} from {@code fromRate} to {@code toRate}; returns a copy when the rates are equal. */
    public static double[] resample(double[] x, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("rates must be positive: " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate) {
            return x.clone();
        }
        int gcd = gcd(fromRate, toRate);
        int up = toRate / gcd; // L: phases
        int down = fromRate / gcd; // M: input samples per L outputs
        double fc = CUTOFF_FRACTION * 0.5 * Math.min(1.0, (double) toRate / fromRate); // cycles per input sample
        double halfWidth = ZERO_CROSSINGS / (2 * fc); // in input samples
        Phase[] kept = up <= MAX_KEPT_PHASES ? new Phase[up] : null;
        double[] y = new double[(int) ((long) x.length * up / down)];
        for (int m = 0; m < y.length; m++) {
            long pos = (long) m * down;
            int q = (int) (pos / up);
            int p = (int) (pos % up);
            Phase ph = kept == null ? phase(p, up, fc, halfWidth) : kept[p];
            if (ph == null) {
                ph = kept[p] = phase(p, up, fc, halfWidth);
            }
            int start = q + ph.first();
            int j0 = Math.max(0, -start);
            int j1 = Math.min(ph.h().length, x.length - start);
            double acc = 0;
            for (int j = j0; j < j1; j++) {
                acc += x[start + j] * ph.h()[j];
            }
            y[m] = acc;
        }
        return y;
    }

    /** Taps at offsets d = k − p/L for every integer k with |d| ≤ halfWidth. */
    private static Phase phase(int p, int up, double fc, double halfWidth) {
        double frac = (double) p / up;
        int first = (int) Math.ceil(frac - halfWidth);
        int last = (int) Math.floor(frac + halfWidth);
        double i0Beta = besselI0(KAISER_BETA);
        double[] h = new double[last - first + 1];
        for (int j = 0; j < h.length; j++) {
            double d = first + j - frac;
            double u = d / halfWidth;
            double w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - u * u))) / i0Beta;
            h[j] = 2 * fc * sinc(2 * fc * d) * w;
        }
        return new Phase(first, h);
    }

    /** Resample audio to {@code toRate}. */
    public static Audio resample(Audio audio, int toRate) {
        return new Audio(resample(audio.samples(), audio.sampleRate(), toRate), toRate, audio.source(),
                audio.warnings());
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 50; k++) {
            term *= q / (k * (double) k);
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }
}
