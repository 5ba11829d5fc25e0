package org.pnnedge.models.audio;

/**
 * F0 and voicing by the normalised cross-correlation function (NCCF) of a frame with its lagged copy, searched
 * over 70–500 Hz. The signal is first smoothed by a 1 kHz two-pole low-pass to weaken formant peaks. To avoid
 * sub-harmonic (octave-down) errors the shortest lag whose NCCF is within 10 % of the best is taken; the peak is
 * refined by parabolic interpolation. The NCCF peak (0..1) is the voicing strength.
 */
public final class F0Estimator {

    public static final double MIN_F0 = 70;
    public static final double MAX_F0 = 500;
    /** Correlation window length. */
    public static final double WINDOW_SECONDS = 0.030;

    /** Per-frame result: F0 in Hz (NaN if none) and voicing strength (NCCF peak, 0..1). */
    public record Pitch(double f0Hz, double voicing) {
    }

    private F0Estimator() {
    }

    /** Low-passed copy used for pitch analysis. */
    public static double[] lowPass(double[] x, double fs) {
        // two cascaded one-pole smoothers at 1 kHz
        double a = Math.exp(-2 * Math.PI * 1000 / fs);
        double[] y = new double[x.length];
        double s1 = 0, s2 = 0;
        for (int n = 0; n < x.length; n++) {
            s1 = (1 - a) * x[n] + a * s1;
            s2 = (1 - a) * s1 + a * s2;
            y[n] = s2;
        }
        return y;
    }

    /** Pitch of the frame starting at {@code start} in the (low-passed) signal {@code x}. */
    public static Pitch frame(double[] x, int start, double fs) {
        int w = (int) Math.round(WINDOW_SECONDS * fs);
        int minLag = (int) Math.floor(fs / MAX_F0);
        int maxLag = (int) Math.ceil(fs / MIN_F0);
        if (start < 0 || start + w + maxLag > x.length) {
            maxLag = x.length - start - w;
            if (maxLag <= minLag + 2) {
                return new Pitch(Double.NaN, 0);
            }
        }
        double mean = 0;
        for (int n = start; n < start + w + maxLag; n++) {
            mean += x[n];
        }
        mean /= w + maxLag;
        double e0 = 0;
        for (int n = start; n < start + w; n++) {
            e0 += (x[n] - mean) * (x[n] - mean);
        }
        if (e0 <= 1e-12) {
            return new Pitch(Double.NaN, 0);
        }
        double[] r = new double[maxLag + 2];
        double el = 0;
        for (int n = start + minLag - 1; n < start + minLag - 1 + w; n++) {
            el += (x[n] - mean) * (x[n] - mean);
        }
        for (int lag = minLag - 1; lag <= maxLag; lag++) {
            if (lag > minLag - 1) {
                double out = x[start + lag - 1] - mean, in = x[start + lag - 1 + w] - mean;
                el += in * in - out * out;
            }
            double c = 0;
            for (int n = start; n < start + w; n++) {
                c += (x[n] - mean) * (x[n + lag] - mean);
            }
            r[lag] = c / Math.sqrt(e0 * Math.max(el, 1e-12));
        }
        double best = -1;
        for (int lag = minLag; lag < maxLag; lag++) {
            best = Math.max(best, r[lag]);
        }
        if (best <= 0) {
            return new Pitch(Double.NaN, Math.max(0, best));
        }
        for (int lag = minLag; lag < maxLag; lag++) {
            if (r[lag] >= 0.9 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
                double den = r[lag - 1] - 2 * r[lag] + r[lag + 1];
                double d = den < 0 ? 0.5 * (r[lag - 1] - r[lag + 1]) / den : 0;
                d = Math.max(-0.5, Math.min(0.5, d));
                return new Pitch(fs / (lag + d), Math.min(1, r[lag]));
            }
        }
        return new Pitch(Double.NaN, best);
    }
}
