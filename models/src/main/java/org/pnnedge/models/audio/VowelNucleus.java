package org.pnnedge.models.audio;

import java.util.Arrays;

/**
 * Finds the voiced vowel nucleus on the analysis frame grid (frame {@code i} starts at {@code i·hop}, length
 * {@link LpcFormants#FRAME_SECONDS}). A frame belongs to the nucleus when it is voiced (NCCF peak ≥
 * {@value #VOICING_THRESHOLD} in 70–500 Hz) and its energy is within {@value #RELATIVE_DB} dB of the loudest voiced
 * frame; the nucleus is the run of such frames (gaps up to {@value #MAX_GAP_FRAMES} frames bridged) that contains
 * the loudest voiced frame.
 *
 * <p>In /hVd/ words the /d/ closure is often voiced (a "voice bar" or murmur: periodic, loud at low frequencies,
 * nearly nothing above 1 kHz because the tract is closed) and passes both tests. Each frame's spectral balance is
 * the level of the signal's second difference (+12 dB/octave: 250 Hz sits 32 dB below 2 kHz) minus its broadband
 * level; the reference is the median balance of the run's loud core (frames within 6 dB of the loudest). Going
 * outward from the core, the nucleus ends before the first frame whose balance is more than
 * {@value #MAX_TILT_DROP_DB} dB below the reference (a murmur) or above it (aspiration: a noise source is flat where
 * the glottal source falls by 12 dB/octave, so an /h/ that passes the voicing test is far brighter), or whose
 * second-difference level is more than {@value #RELATIVE_DB} dB below the core's highest (after a low vowel like
 * /u/ a murmur differs less in balance than in high-frequency level). A vowel's own balance moves by a few dB with
 * its F2/F3, and an amplitude ramp lowers both levels alike.
 *
 * <p>Frames more than 6 dB below the loudest count as voiced only if their F0 is within a factor
 * {@value #MAX_F0_RATIO} of the median F0 of the loud voiced frames: /h/ aspiration filtered by a narrow F1 rings at
 * F1 and would otherwise pass as voicing at 300–500 Hz (their voicing is set to 0 in {@link Result#pitch()}). The
 * loud frames are not tested: there a deviating F0 is the estimator's octave error on /u/-like spectra.
 */
public final class VowelNucleus {

    public static final double VOICING_THRESHOLD = 0.5;
    public static final double RELATIVE_DB = 20;
    public static final int MAX_GAP_FRAMES = 2;
    /** Peak amplitude below which a signal counts as silence (−80 dBFS). */
    public static final double SILENCE_PEAK = 1e-4;
    /** Shortest accepted nucleus: (number of nucleus frames) × hop. */
    public static final double MIN_NUCLEUS_SECONDS = 0.06;
    /** A frame whose F0 differs from the loud frames' median by more than this factor is not part of the vowel. */
    public static final double MAX_F0_RATIO = 1.3;
    /** Spectral-balance drop (dB) at the edges of the run that marks a closure murmur rather than vowel. */
    public static final double MAX_TILT_DROP_DB = 15;

    /** Outcome of the search. */
    public enum Status { OK, SILENCE, NO_VOICED_SEGMENT, TOO_SHORT }

    /**
     * @param status      OK or why there is no usable nucleus
     * @param firstFrame  first nucleus frame (inclusive), −1 if none
     * @param lastFrame   last nucleus frame (inclusive), −1 if none
     * @param energyDb    per-frame RMS level, dBFS
     * @param pitch       per-frame F0 and voicing
     */
    public record Result(Status status, int firstFrame, int lastFrame, double[] energyDb, F0Estimator.Pitch[] pitch) {
        public int frames() {
            return firstFrame < 0 ? 0 : lastFrame - firstFrame + 1;
        }
    }

    private VowelNucleus() {
    }

    public static Result find(double[] x, double fs) {
        int len = (int) Math.round(LpcFormants.FRAME_SECONDS * fs);
        int hop = (int) Math.round(LpcFormants.HOP_SECONDS * fs);
        int n = x.length < len ? 0 : (x.length - len) / hop + 1;
        double[] db = new double[n];
        F0Estimator.Pitch[] pitch = new F0Estimator.Pitch[n];
        double peak = 0;
        for (double v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak < SILENCE_PEAK) {
            return new Result(Status.SILENCE, -1, -1, db, pitch);
        }
        double[] lp = F0Estimator.lowPass(x, fs);
        double[] tilt = new double[n];
        double[] hf = new double[n];
        int best = -1;
        for (int i = 0; i < n; i++) {
            double e = 0, e2 = 0;
            for (int k = i * hop; k < i * hop + len; k++) {
                e += x[k] * x[k];
                double d = k >= 2 ? x[k] - 2 * x[k - 1] + x[k - 2] : 0;
                e2 += d * d;
            }
            db[i] = 10 * Math.log10(e / len + 1e-20);
            hf[i] = 10 * Math.log10(e2 / len + 1e-20);
            tilt[i] = hf[i] - db[i];
            pitch[i] = F0Estimator.frame(lp, i * hop, fs);
            if (pitch[i].voicing() >= VOICING_THRESHOLD && !Double.isNaN(pitch[i].f0Hz())
                    && (best < 0 || db[i] > db[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return new Result(n == 0 ? Status.TOO_SHORT : Status.NO_VOICED_SEGMENT, -1, -1, db, pitch);
        }
        // F0 of the loud voiced frames: aspiration noise through a narrow F1 (the /h/ of "hawed", "hood") rings at
        // F1 and passes the NCCF test with an "F0" of 300-500 Hz; a vowel's F0 stays near its own
        double[] loudF0 = new double[n];
        int nl = 0;
        for (int i = 0; i < n; i++) {
            if (in(db, pitch, i, db[best] - 6)) {
                loudF0[nl++] = pitch[i].f0Hz();
            }
        }
        double refF0 = FormantFeatures.median(Arrays.copyOf(loudF0, nl));
        for (int i = 0; i < n; i++) {
            // the loud core itself is trusted: there a deviating F0 is an octave error of the estimator
            if (pitch[i].voicing() >= VOICING_THRESHOLD && db[i] < db[best] - 6
                    && !(Math.abs(Math.log(pitch[i].f0Hz() / refF0)) < Math.log(MAX_F0_RATIO))) {
                pitch[i] = new F0Estimator.Pitch(pitch[i].f0Hz(), 0); // not this vowel's voicing
            }
        }
        double threshold = db[best] - RELATIVE_DB;
        int first = best, last = best;
        for (int i = best - 1, gap = 0; i >= 0; i--) {
            if (in(db, pitch, i, threshold)) {
                first = i;
                gap = 0;
            } else if (++gap > MAX_GAP_FRAMES) {
                break;
            }
        }
        for (int i = best + 1, gap = 0; i < n; i++) {
            if (in(db, pitch, i, threshold)) {
                last = i;
                gap = 0;
            } else if (++gap > MAX_GAP_FRAMES) {
                break;
            }
        }
        // reference balance: median over the loud core of the run (within 6 dB of the loudest frame), so neither
        // a breathy /h/ onset (high-frequency rich) nor a loud murmur (the loudest frame in some TTS words) sets it
        double[] core = new double[last - first + 1];
        int nc = 0;
        double hfCore = Double.NEGATIVE_INFINITY;
        for (int i = first; i <= last; i++) {
            if (in(db, pitch, i, db[best] - 6)) {
                core[nc++] = tilt[i];
                hfCore = Math.max(hfCore, hf[i]);
            }
        }
        double refTilt = FormantFeatures.median(Arrays.copyOf(core, nc));
        double floor = refTilt - MAX_TILT_DROP_DB;
        // noise-excited /h/ has a flat source instead of the glottal −12 dB/octave: far more high-frequency-rich
        double ceiling = refTilt + MAX_TILT_DROP_DB;
        double hfFloor = hfCore - RELATIVE_DB;
        if (tilt[best] < floor || tilt[best] > ceiling || hf[best] < hfFloor) {
            int alt = -1;
            for (int i = first; i <= last; i++) {
                if (in(db, pitch, i, threshold) && tilt[i] >= floor && tilt[i] <= ceiling && hf[i] >= hfFloor
                        && (alt < 0 || db[i] > db[alt])) {
                    alt = i;
                }
            }
            best = alt >= 0 ? alt : best;
        }
        // a closure ends the vowel: cut at the murmur frame nearest to the vowel core, not just at the run's edge
        // (after a loud murmur TTS and real /d/ releases can look vowel-like again for a frame or two)
        for (int i = best + 1; i <= last; i++) {
            if (tilt[i] < floor || tilt[i] > ceiling || hf[i] < hfFloor) {
                last = i - 1;
                break;
            }
        }
        for (int i = best - 1; i >= first; i--) {
            if (tilt[i] < floor || tilt[i] > ceiling || hf[i] < hfFloor) {
                first = i + 1;
                break;
            }
        }
        double dur = (last - first + 1) * hop / fs; // span of frame centres plus one hop
        Status st = dur < MIN_NUCLEUS_SECONDS ? Status.TOO_SHORT : Status.OK;
        return new Result(st, first, last, db, pitch);
    }

    private static boolean in(double[] db, F0Estimator.Pitch[] p, int i, double threshold) {
        return db[i] >= threshold && p[i].voicing() >= VOICING_THRESHOLD && !Double.isNaN(p[i].f0Hz());
    }
}
