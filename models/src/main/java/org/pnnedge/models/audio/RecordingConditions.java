package org.pnnedge.models.audio;

import java.util.List;
import java.util.Random;

/**
 * What happens to a voice between the lips and the recorder, applied to a rendered token: extra spectral tilt
 * (breathy or soft voices), room reverberation and additive noise at a signal-to-noise ratio. Models in
 * audio.md ("Wider training voices").
 *
 * <ul>
 *   <li><b>tilt</b>: a one-pole low-pass y[n] = (1 − a) x[n] + a y[n−1], a = {@code tilt} (0 = none); a = 0.5
 *       lowers 4 kHz by ≈ 7 dB against 500 Hz at 16 kHz (a = 0.6: ≈ 9 dB) (a steeper glottal spectrum, as in breathy voice);</li>
 *   <li><b>reverberation</b>: the dry signal plus a velvet-noise tail (Karjalainen &amp; Järveläinen 2007: ±1
 *       impulses at random positions, one per 1 ms grid cell), decaying by 60 dB in {@code rt60} seconds
 *       (Sabine's RT60), scaled so the tail carries {@code drrDb} dB less energy than the direct sound;
 *       {@code rt60} 0 = a dry recording;</li>
 *   <li><b>noise</b>: Gaussian noise, white or (with {@code pinkish}) through a one-pole low-pass at 0.9
 *       (about −5 dB/octave above 500 Hz at 16 kHz, like room and fan noise), at {@code snrDb} below the mean power
 *       of the token's loudest half second (its vowel); {@code snrDb} = +∞ adds none.</li>
 * </ul>
 * Deterministic for a seed. The output is scaled back to the input's peak level, clipping never happens.
 *
 * @param tilt    low-pass coefficient 0..0.9
 * @param rt60    reverberation time (s), 0..2
 * @param drrDb   direct-to-reverberant energy ratio (dB), −10..30
 * @param snrDb   signal-to-noise ratio (dB), 0..∞
 * @param pinkish low-passed instead of white noise
 */
public record RecordingConditions(double tilt, double rt60, double drrDb, double snrDb, boolean pinkish) {
    /** A dry, clean recording: changes nothing. */
    public static final RecordingConditions CLEAN = new RecordingConditions(0, 0, 30, Double.POSITIVE_INFINITY, false);

    public RecordingConditions {
        if (!(tilt >= 0 && tilt <= 0.9) || !(rt60 >= 0 && rt60 <= 2) || !(drrDb >= -10 && drrDb <= 30)
                || !(snrDb >= 0)) {
            throw new IllegalArgumentException("recording conditions out of range: tilt " + tilt + " (0..0.9), rt60 "
                    + rt60 + " s (0..2), DRR " + drrDb + " dB (-10..30), SNR " + snrDb + " dB (>= 0)");
        }
    }

    /**
     * Conditions of a random recording: tilt 0–0.6, RT60 0–0.6 s (a third of the recordings dry), DRR 0–20 dB,
     * SNR 10–40 dB (uniform in dB), white or pinkish noise.
     */
    public static RecordingConditions random(Random rnd) {
        double tilt = 0.6 * rnd.nextDouble();
        double rt60 = rnd.nextDouble() < 1 / 3.0 ? 0 : 0.05 + 0.55 * rnd.nextDouble();
        double drr = 20 * rnd.nextDouble();
        double snr = 10 + 30 * rnd.nextDouble();
        return new RecordingConditions(tilt, rt60, drr, snr, rnd.nextBoolean());
    }

    /** The audio as recorded under these conditions (same rate, same length, same peak). */
    public Audio apply(Audio in, long seed) {
        double[] x = in.samples();
        double peak = peak(x);
        if (peak == 0) {
            return in;
        }
        Random rnd = new Random(seed);
        int fs = in.sampleRate();
        double[] y = x.clone();
        if (tilt > 0) {
            double prev = 0;
            for (int n = 0; n < y.length; n++) {
                prev = (1 - tilt) * y[n] + tilt * prev;
                y[n] = prev;
            }
        }
        if (rt60 > 0) {
            y = reverberate(y, fs, rnd);
        }
        if (Double.isFinite(snrDb)) {
            double noisePower = loudestPower(y, fs) / Math.pow(10, snrDb / 10);
            double[] noise = new double[y.length];
            double prev = 0;
            double power = 0;
            for (int n = 0; n < noise.length; n++) {
                double w = rnd.nextGaussian();
                prev = pinkish ? 0.1 * w + 0.9 * prev : w;
                noise[n] = prev;
                power += prev * prev;
            }
            double g = Math.sqrt(noisePower / Math.max(1e-30, power / noise.length));
            for (int n = 0; n < y.length; n++) {
                y[n] += g * noise[n];
            }
        }
        double scale = peak / peak(y);
        for (int n = 0; n < y.length; n++) {
            y[n] *= scale;
        }
        return new Audio(y, fs, in.source() + " (recorded: " + this + ")", List.of());
    }

    private double[] reverberate(double[] x, int fs, Random rnd) {
        int cell = Math.max(1, fs / 1000);
        int cells = (int) Math.ceil(rt60 * fs / cell);
        int[] pos = new int[cells];
        double[] amp = new double[cells];
        double tailEnergy = 0;
        for (int c = 0; c < cells; c++) {
            pos[c] = 1 + c * cell + rnd.nextInt(cell); // after the direct sound
            amp[c] = (rnd.nextBoolean() ? 1 : -1) * Math.exp(-6.91 * pos[c] / (rt60 * fs)); // 60 dB in rt60
            tailEnergy += amp[c] * amp[c];
        }
        double g = Math.sqrt(Math.pow(10, -drrDb / 10) / tailEnergy);
        double[] y = x.clone();
        for (int c = 0; c < cells; c++) {
            double a = g * amp[c];
            for (int n = pos[c]; n < y.length; n++) {
                y[n] += a * x[n - pos[c]];
            }
        }
        return y;
    }

    /** Mean power of the loudest 0.5 s (in 10 ms blocks): the vowel, not the silence around it. */
    static double loudestPower(double[] x, int fs) {
        int block = Math.max(1, fs / 100);
        int blocks = x.length / block;
        if (blocks == 0) {
            double p = 0;
            for (double v : x) {
                p += v * v;
            }
            return p / Math.max(1, x.length);
        }
        double[] pw = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            for (int n = b * block; n < (b + 1) * block; n++) {
                pw[b] += x[n] * x[n];
            }
            pw[b] /= block;
        }
        java.util.Arrays.sort(pw);
        int k = Math.max(1, Math.min(blocks, 50));
        double s = 0;
        for (int b = blocks - k; b < blocks; b++) {
            s += pw[b];
        }
        return s / k;
    }

    private static double peak(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
