package org.pnnedge.models.audio;

/**
 * Band-limited resampling by a Kaiser-windowed sinc (arbitrary rational or irrational ratio, evaluated directly
 * per output sample). The low-pass cut-off is {@value #CUTOFF_FRACTION} of the lower Nyquist frequency, with
 * {@value #ZERO_CROSSINGS} zero crossings per side and Kaiser β = {@value #KAISER_BETA} (stop-band attenuation
 * about 80 dB), so downsampling 44.1 kHz → 10 kHz leaves no audible aliasing in the formant range.
 */
public final class Resampler {

    static final double CUTOFF_FRACTION = 0.95;
    static final int ZERO_CROSSINGS = 16;
    static final double KAISER_BETA = 8.0;

    private Resampler() {
    }

    /** Resample {@code x} from {@code fromRate} to {@code toRate}; returns a copy when the rates are equal. */
    public static double[] resample(double[] x, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("rates must be positive: " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate) {
            return x.clone();
        }
        double ratio = (double) toRate / fromRate;
        int outLen = (int) Math.floor(x.length * ratio);
        double[] y = new double[outLen];
        // cut-off in cycles per input sample
        double fc = CUTOFF_FRACTION * 0.5 * Math.min(1.0, ratio);
        double halfWidth = ZERO_CROSSINGS / (2 * fc); // in input samples
        double i0Beta = besselI0(KAISER_BETA);
        for (int m = 0; m < outLen; m++) {
            double t = m / ratio; // position in input samples
            int lo = (int) Math.ceil(t - halfWidth);
            int hi = (int) Math.floor(t + halfWidth);
            double acc = 0;
            for (int n = Math.max(lo, 0); n <= Math.min(hi, x.length - 1); n++) {
                double d = n - t;
                double u = d / halfWidth;
                double w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - u * u))) / i0Beta;
                acc += x[n] * 2 * fc * sinc(2 * fc * d) * w;
            }
            y[m] = acc;
        }
        return y;
    }

    /** Resample audio to {@code toRate}. */
    public static Audio resample(Audio audio, int toRate) {
        return new Audio(resample(audio.samples(), audio.sampleRate(), toRate), toRate, audio.source(),
                audio.warnings());
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
