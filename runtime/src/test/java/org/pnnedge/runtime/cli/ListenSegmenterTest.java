package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.audio.VowelSynthesizer;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

class ListenSegmenterTest {
    static final int FS = 16_000;

    /** Three words at −6 dBFS peak, 600 ms apart, in steady background noise at {@code noiseDbfs} RMS. */
    static List<ListenSegmenter.Segment> segments(double noiseDbfs, double thresholdDb, List<long[]> wordsAt) {
        return segments(noiseDbfs, thresholdDb, 0.5, wordsAt);
    }

    static List<ListenSegmenter.Segment> segments(double noiseDbfs, double thresholdDb, double leadSeconds,
                                                  List<long[]> wordsAt) {
        return segments(noiseDbfs, thresholdDb, leadSeconds, 0.6, 0, wordsAt);
    }

    /**
     * @param gapSeconds  background between the words
     * @param trimSeconds cut from each end of each rendered word (the synthesizer pads 100 ms of silence)
     */
    static List<ListenSegmenter.Segment> segments(double noiseDbfs, double thresholdDb, double leadSeconds,
                                                  double gapSeconds, double trimSeconds, List<long[]> wordsAt) {
        Random rnd = new Random(3);
        List<Double> x = new ArrayList<>();
        double noise = Math.pow(10, noiseDbfs / 20);
        for (int i = 0; i < leadSeconds * FS; i++) {
            x.add(noise * rnd.nextGaussian());
        }
        for (Vowel v : List.of(Vowel.IY, Vowel.AH, Vowel.UW)) {
            double[] w = VowelSynthesizer.render(SyntheticVowels.meanHz(TalkerGroup.WOMEN, v),
                    VowelSynthesizer.Voice.typical(TalkerGroup.WOMEN), 0.26, FS, true, 5, 0.5).audio().samples();
            int trim = (int) (trimSeconds * FS);
            w = java.util.Arrays.copyOfRange(w, trim, w.length - trim);
            wordsAt.add(new long[] {x.size(), x.size() + w.length});
            for (double s : w) {
                x.add(s + noise * rnd.nextGaussian());
            }
            for (int i = 0; i < gapSeconds * FS; i++) {
                x.add(noise * rnd.nextGaussian());
            }
        }
        ListenSegmenter seg = new ListenSegmenter(thresholdDb);
        int frame = ListenSegmenter.frameSamples(FS);
        List<ListenSegmenter.Segment> out = new ArrayList<>();
        for (int i = 0; i + frame <= x.size(); i += frame) {
            double[] f = new double[frame];
            for (int k = 0; k < frame; k++) {
                f[k] = x.get(i + k);
            }
            ListenSegmenter.Segment s = seg.accept(f);
            if (s != null) {
                out.add(s);
            }
        }
        ListenSegmenter.Segment last = seg.finish();
        if (last != null) {
            out.add(last);
        }
        return out;
    }

    @Test
    void wordsInAQuietRoomAreOneSegmentEach() {
        List<long[]> words = new ArrayList<>();
        List<ListenSegmenter.Segment> s = segments(-70, -40, words);
        assertEquals(3, s.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(s.get(i).startSample() - words.get(i)[0]) < 0.15 * FS, "word " + i);
        }
    }

    /**
     * Words said closer together than the 200 ms hangover are still one segment each (a walkthrough found the second
     * of two words 200 ms apart silently lost): the synthesizer's 100 ms pads back to back (200 ms between words),
     * words cut to 60 ms of silence each side and 80 ms apart (200 ms), cut to 10 ms each side and 60 ms apart
     * (80 ms).
     */
    @Test
    void wordsCloserThanTheHangoverAreStillOneSegmentEach() {
        for (double[] c : new double[][] {{0, 0}, {0.08, 0.04}, {0.06, 0.09}}) {
            List<long[]> words = new ArrayList<>();
            List<ListenSegmenter.Segment> s = segments(-70, -40, 0.5, c[0], c[1], words);
            assertEquals(3, s.size(), "gap " + c[0] + " s, trim " + c[1] + " s");
            for (int i = 0; i < 3; i++) {
                long[] w = words.get(i);
                ListenSegmenter.Segment g = s.get(i);
                assertTrue(g.startSample() >= w[0] && g.startSample() < w[1], "word " + i + " starts in its segment");
                assertTrue(g.loudEnd() <= (i < 2 ? words.get(i + 1)[0] : Long.MAX_VALUE) && g.loudEnd() > w[0],
                        "word " + i + "'s segment ends before the next word: " + g.loudEnd() + " vs " + w[1]);
            }
        }
    }

    @Test
    void backgroundNoiseAboveTheFixedThresholdDoesNotSwallowTheWords() {
        // a fan at −30 dBFS: louder than the default −40 dBFS threshold everywhere
        List<long[]> words = new ArrayList<>();
        List<ListenSegmenter.Segment> s = segments(-30, -40, words);
        // the first 200 ms (before the background is known) may open one noise segment; then one per word
        List<ListenSegmenter.Segment> wordSegments = s.stream()
                .filter(g -> words.stream().anyMatch(w -> g.startSample() < w[1] && g.loudEnd() > w[0])).toList();
        assertEquals(3, wordSegments.size(), "segments " + s.size());
        assertTrue(s.size() <= 4, "at most one noise segment before the background is known: " + s.size());
        for (ListenSegmenter.Segment g : wordSegments) {
            assertTrue(g.samples().length < 1.2 * FS, "a word, not an endless segment: " + g.samples().length);
        }
    }

    @Test
    void aRecordingThatStartsWithAWordKeepsTheWholeWord() {
        // no lead-in: the recording opens with the synthesizer's own 100 ms pad, then the /h/
        List<long[]> words = new ArrayList<>();
        List<ListenSegmenter.Segment> s = segments(-70, -40, 0, words);
        assertEquals(3, s.size());
        ListenSegmenter.Segment first = s.get(0);
        long vowelEnd = words.get(0)[1] - (long) (0.16 * FS); // before the /d/ and the trailing pad
        assertTrue(first.loudEnd() >= vowelEnd, "first word kept to its end: " + first.loudEnd() + " vs " + vowelEnd);
    }
}
