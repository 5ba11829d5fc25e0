package org.pnnedge.runtime.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a stream of 20 ms frames into loud segments (a vowel with its consonants), as {@code pnn listen} does for
 * the microphone and for {@code --wav}:
 * <ul>
 *   <li>a frame is loud when its RMS level exceeds the threshold: the fixed one (dB full scale), raised to
 *       {@link #NOISE_MARGIN_DB} dB above the background once {@link #MIN_FLOOR_FRAMES} frames have been seen (the
 *       background is the quietest frame of the last {@link #FLOOR_FRAMES} frames, "minimum statistics"), so a fan
 *       or street noise louder than the fixed threshold does not make one endless segment; the threshold is frozen
 *       while a segment lasts, so a word is not cut by its own quieter tail;</li>
 *   <li>a segment starts with the first loud frame and ends after {@link #HANGOVER_FRAMES} quiet frames in a row
 *       (200 ms: the closure of a stop inside a word does not split it); those quiet frames stay in the segment;</li>
 *   <li>words said closer together than that are still split: a gap of at least {@link #MIN_GAP_FRAMES} quiet
 *       frames followed by at least {@link #NEXT_WORD_FRAMES} loud ones (100 ms: a vowel, which a stop's release
 *       after its closure never is) ends the segment at the gap, and the next one starts with the loud frames
 *       after it;</li>
 *   <li>a segment that grows to {@link #MAX_FRAMES} frames (2 s: continuous noise, a held vowel) is cut there and
 *       the next one starts with the following frame;</li>
 *   <li>there is no minimum of its own: a short blip becomes a segment that the front end rejects ("too short",
 *       "no voiced segment"), and the caller reports it.</li>
 * </ul>
 * Not thread-safe; one per stream.
 */
final class ListenSegmenter {
    static final double FRAME_SECONDS = 0.02;
    static final int HANGOVER_FRAMES = 10;
    static final int MAX_FRAMES = 100;
    /** A quiet run this long (60 ms) inside a segment may be the pause between two words... */
    static final int MIN_GAP_FRAMES = 3;
    /** ...when this many loud frames (100 ms) follow it. */
    static final int NEXT_WORD_FRAMES = 5;
    /** A frame must be this much above the background level to be loud. */
    static final double NOISE_MARGIN_DB = 12;
    /** Background = the quietest of this many recent frames (3 s: longer than a word, shorter than a room change). */
    static final int FLOOR_FRAMES = 150;
    /** Frames seen before the background estimate is used (before that: the fixed threshold only). */
    static final int MIN_FLOOR_FRAMES = 10;

    /**
     * A finished segment.
     *
     * @param samples     the segment's samples: the loud frames and up to {@link #HANGOVER_FRAMES} quiet ones after
     * @param startSample index in the stream of its first sample (the first loud frame's)
     * @param loudEnd     index in the stream just after its last loud frame
     */
    record Segment(double[] samples, long startSample, long loudEnd) {
    }

    private final double threshold;
    private final List<double[]> frames = new ArrayList<>();
    private long position;
    private long start;
    private long loudEnd;
    private int quiet;
    /** Where a next word may have begun: its first frame's index in {@code frames} (−1: none), position, loud count. */
    private int nextAt = -1;
    private long nextStart;
    private long wordLoudEnd;
    private int nextLoud;
    private final double[] recent = new double[FLOOR_FRAMES]; // RMS of the last frames, a ring
    private int seen;
    private double segmentThreshold;

    /** @param thresholdDb level (dBFS) a frame's RMS must exceed to count as loud */
    ListenSegmenter(double thresholdDb) {
        this.threshold = Math.pow(10, thresholdDb / 20);
    }

    static int frameSamples(float rate) {
        return (int) Math.round(rate * FRAME_SECONDS);
    }

    /** Feeds the next frame of the stream; returns the segment it finishes, or null. */
    Segment accept(double[] x) {
        if (x.length == 0) {
            return null;
        }
        double energy = 0;
        for (double v : x) {
            energy += v * v;
        }
        long at = position;
        position += x.length;
        double rms = Math.sqrt(energy / x.length);
        double th = frames.isEmpty() ? currentThreshold() : segmentThreshold;
        boolean loud = rms > th;
        recent[seen % FLOOR_FRAMES] = rms;
        seen++;
        if (seen == MIN_FLOOR_FRAMES && !frames.isEmpty() && steady()) {
            // the stream began above the fixed threshold and stayed level for 200 ms: background noise, not a
            // word (a word's level moves by far more than 6 dB in 200 ms), so judge this segment by it too
            segmentThreshold = currentThreshold();
        }
        if (loud) {
            if (frames.isEmpty()) {
                start = at;
                segmentThreshold = th;
            } else if (quiet >= MIN_GAP_FRAMES) { // loud again after a gap: perhaps the next word
                nextAt = frames.size();
                nextStart = at;
                wordLoudEnd = loudEnd;
                nextLoud = 0;
            }
            frames.add(x);
            loudEnd = position;
            quiet = 0;
            if (nextAt >= 0 && ++nextLoud >= NEXT_WORD_FRAMES) {
                return split();
            }
        } else if (!frames.isEmpty()) {
            frames.add(x);
            if (++quiet >= HANGOVER_FRAMES) { // 200 ms of quiet ends a word
                return finish();
            }
        }
        if (frames.size() >= MAX_FRAMES) {
            return finish();
        }
        return null;
    }

    /** Ends the word before the gap at {@link #nextAt}; the frames after it go on as the next segment. */
    private Segment split() {
        List<double[]> next = new ArrayList<>(frames.subList(nextAt, frames.size()));
        frames.subList(nextAt, frames.size()).clear();
        long nextLoudEnd = loudEnd;
        loudEnd = wordLoudEnd;
        Segment word = finish();
        frames.addAll(next);
        start = nextStart;
        loudEnd = nextLoudEnd;
        return word;
    }

    /** Whether the frames seen so far stay within 6 dB of each other. */
    private boolean steady() {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int i = 0; i < Math.min(seen, FLOOR_FRAMES); i++) {
            lo = Math.min(lo, recent[i]);
            hi = Math.max(hi, recent[i]);
        }
        return hi < 2 * lo;
    }

    /** The threshold a frame must exceed to start a segment now (linear RMS). */
    double currentThreshold() {
        if (seen < MIN_FLOOR_FRAMES) {
            return threshold;
        }
        double floor = Double.MAX_VALUE;
        for (int i = 0; i < Math.min(seen, FLOOR_FRAMES); i++) {
            floor = Math.min(floor, recent[i]);
        }
        return Math.max(threshold, floor * Math.pow(10, NOISE_MARGIN_DB / 20));
    }

    /** Ends the current segment (end of the stream); null if there is none. */
    Segment finish() {
        if (frames.isEmpty()) {
            return null;
        }
        int total = frames.stream().mapToInt(f -> f.length).sum();
        double[] samples = new double[total];
        int p = 0;
        for (double[] f : frames) {
            System.arraycopy(f, 0, samples, p, f.length);
            p += f.length;
        }
        frames.clear();
        quiet = 0;
        nextAt = -1;
        return new Segment(samples, start, loudEnd);
    }
}
