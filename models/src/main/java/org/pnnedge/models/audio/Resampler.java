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
        TapCache cache = new TapCache();
        for (int m = 0; m < outLen; m++) {
            double t = m / ratio; // position in input samples
            int lo = (int) Math.ceil(t - halfWidth);
            int hi = (int) Math.floor(t + halfWidth);
            double acc = 0;
            if (cache.off) { // offsets do not recur at this ratio: the plain loop
                for (int n = Math.max(lo, 0); n <= Math.min(hi, x.length - 1); n++) {
                    double d = n - t;
                    double u = d / halfWidth;
                    double w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - u * u))) / i0Beta;
                    acc += x[n] * 2 * fc * sinc(2 * fc * d) * w;
                }
                y[m] = acc;
                continue;
            }
            for (int n = Math.max(lo, 0); n <= Math.min(hi, x.length - 1); n++) {
                double d = n - t;
                int slot = cache.find(d);
                double s, w;
                if (slot >= 0 && cache.filled[slot]) {
                    s = cache.sinc[slot];
                    w = cache.window[slot];
                } else {
                    double u = d / halfWidth;
                    w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - u * u))) / i0Beta;
                    s = sinc(2 * fc * d);
                    cache.put(slot, d, s, w);
                }
                acc += x[n] * 2 * fc * s * w;
            }
            y[m] = acc;
        }
        return y;
    }

    /**
     * The sinc and Kaiser factors of a tap are pure functions of its offset {@code d = n − t}, and the same offsets
     * recur: t = m/ratio keeps the same fractional part from period to period of the rate ratio within a binade of
     * t, so 0.5 s of input has ≈ 1,200 distinct offsets in ≈ 270,000 taps at 16 kHz → 10 kHz (48 kHz: ≈ 5,100 in
     * 810,000). Memoising them by the offset's exact bits skips the Bessel series and the sine, nearly all of the
     * resampling time, with bit-identical output. The table starts small and doubles up to 2^{@value #MAX_BITS}
     * slots (200 kB); full, it stops taking entries, and switches itself off when most look-ups missed: at
     * 44.1 kHz (≈ 69,000 distinct offsets in 740,000 taps, the first ≈ 20,000 all new) a table that large would
     * allocate ≈ 7 MB per 0.5 s word to halve the resampling time, so there the taps are computed as before.
     */
    private static final class TapCache {
        private static final int MIN_BITS = 11;
        private static final int MAX_BITS = 13;
        private int bits = MIN_BITS;
        long[] keys = new long[1 << MIN_BITS];
        boolean[] filled = new boolean[1 << MIN_BITS];
        double[] sinc = new double[1 << MIN_BITS];
        double[] window = new double[1 << MIN_BITS];
        private int entries;
        private long lookups;
        private long hits;
        boolean off;

        /** The slot holding {@code d} (filled), the free slot for it (not filled), or −1 when off or full. */
        int find(double d) {
            if (off) {
                return -1;
            }
            long key = Double.doubleToRawLongBits(d);
            lookups++;
            int i = probe(key);
            if (filled[i]) {
                hits++;
                return i;
            }
            if (entries >= 3 * (keys.length >> 2)) {
                if (bits < MAX_BITS) {
                    grow();
                    return probe(key);
                }
                if (2 * hits < lookups) {
                    off = true; // offsets hardly recur at this ratio: stop paying for the look-ups
                }
                return -1;
            }
            return i;
        }

        /** The slot of {@code key}, or the free slot where it would go. */
        private int probe(long key) {
            int mask = keys.length - 1;
            int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - bits));
            while (filled[i] && keys[i] != key) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private void grow() {
            long[] k0 = keys;
            boolean[] f0 = filled;
            double[] s0 = sinc, w0 = window;
            bits++;
            int cap = 1 << bits;
            keys = new long[cap];
            filled = new boolean[cap];
            sinc = new double[cap];
            window = new double[cap];
            for (int j = 0; j < k0.length; j++) {
                if (f0[j]) {
                    int i = probe(k0[j]);
                    keys[i] = k0[j];
                    sinc[i] = s0[j];
                    window[i] = w0[j];
                    filled[i] = true;
                }
            }
        }

        void put(int slot, double d, double s, double w) {
            if (slot < 0) {
                return;
            }
            keys[slot] = Double.doubleToRawLongBits(d);
            sinc[slot] = s;
            window[slot] = w;
            filled[slot] = true;
            entries++;
        }
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
