package org.pnnedge.models.audio;

/**
 * Finds the voiced vowel nucleus on the analysis frame grid (frame {@code i} starts at {@code i·hop}, length
 * {@link LpcFormants#FRAME_SECONDS}). A frame belongs to the nucleus when it is voiced (NCCF peak ≥
 * {@value #VOICING_THRESHOLD} in 70–500 Hz) and its energy is within {@value #RELATIVE_DB} dB of the loudest voiced
 * frame; the nucleus is the run of such frames (gaps up to {@value #MAX_GAP_FRAMES} frames bridged) that contains
 * the loudest voiced frame.
 */
public final class VowelNucleus {

    public static final double VOICING_THRESHOLD = 0.5;
    public static final double RELATIVE_DB = 20;
    public static final int MAX_GAP_FRAMES = 2;
    /** Peak amplitude below which a signal counts as silence (−80 dBFS). */
    public static final double SILENCE_PEAK = 1e-4;
    /** Shortest accepted nucleus: (number of nucleus frames) × hop. */
    public static final double MIN_NUCLEUS_SECONDS = 0.06;

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
        int best = -1;
        for (int i = 0; i < n; i++) {
            double e = 0;
            for (int k = i * hop; k < i * hop + len; k++) {
                e += x[k] * x[k];
            }
            db[i] = 10 * Math.log10(e / len + 1e-20);
            pitch[i] = F0Estimator.frame(lp, i * hop, fs);
            if (pitch[i].voicing() >= VOICING_THRESHOLD && !Double.isNaN(pitch[i].f0Hz())
                    && (best < 0 || db[i] > db[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return new Result(n == 0 ? Status.TOO_SHORT : Status.NO_VOICED_SEGMENT, -1, -1, db, pitch);
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
        double dur = (last - first + 1) * hop / fs; // span of frame centres plus one hop
        Status st = dur < MIN_NUCLEUS_SECONDS ? Status.TOO_SHORT : Status.OK;
        return new Result(st, first, last, db, pitch);
    }

    private static boolean in(double[] db, F0Estimator.Pitch[] p, int i, double threshold) {
        return db[i] >= threshold && p[i].voicing() >= VOICING_THRESHOLD && !Double.isNaN(p[i].f0Hz());
    }
}
