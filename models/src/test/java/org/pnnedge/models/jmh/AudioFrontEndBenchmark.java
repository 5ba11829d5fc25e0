package org.pnnedge.models.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.pnnedge.models.audio.Audio;
import org.pnnedge.models.audio.AudioException;
import org.pnnedge.models.audio.FormantFeatures;
import org.pnnedge.models.audio.VowelSynthesizer;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/**
 * Cost of the audio front end per spoken word: one {@link FormantFeatures#extract(Audio)} call (DC removal,
 * resampling to 10 kHz, vowel nucleus + F0, per-frame formant candidates, Viterbi tracking, features) on a
 * ≈ 0.5 s /hVd/ word, what {@code pnn classify --wav} and {@code pnn listen} run per word. Words are rendered
 * in setup by {@link VowelSynthesizer} from the group's mean formants and typical voice (vowel 0.26 s inside
 * /h/ and /d/, peak 0.5); each op takes the next of the 12 vowels, so the score is the mean over the vowels.
 *
 * <ul>
 *   <li>{@code word=men-16k}: a man at 16 kHz, F0 ≈ 138 Hz → autocorrelation LPC (order 12) per frame;</li>
 *   <li>{@code word=women-16k}, {@code boys-16k}: F0 ≥ 160 Hz → discrete all-pole modelling (order 11, FFT of
 *       the frame, up to 100 fixed-point iterations per frame);</li>
 *   <li>{@code word=men-44k}, {@code women-44k}: the same words rendered at 44.1 kHz, so the score adds the
 *       44.1 → 10 kHz windowed-sinc resampling.</li>
 * </ul>
 * Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per word.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AudioFrontEndBenchmark {
    @Param({"men-16k", "women-16k", "boys-16k", "men-44k", "women-44k"})
    public String word;

    private Audio[] words;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws AudioException {
        String[] parts = word.split("-");
        TalkerGroup g = TalkerGroup.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT));
        int rate = switch (parts[1]) {
            case "16k" -> 16_000;
            case "44k" -> 44_100;
            default -> throw new IllegalArgumentException("unknown rate in " + word);
        };
        Vowel[] vowels = Vowel.values();
        words = new Audio[vowels.length];
        for (int i = 0; i < vowels.length; i++) {
            words[i] = VowelSynthesizer.render(SyntheticVowels.meanHz(g, vowels[i]), VowelSynthesizer.Voice.typical(g),
                    0.26, rate, true, 1000L + i, 0.5).audio();
            FormantFeatures.extract(words[i]); // fail in setup, not in the measurement, if a word is refused
        }
    }

    @Benchmark
    public FormantFeatures.Result extract() throws AudioException {
        Audio a = words[next];
        next = next + 1 == words.length ? 0 : next + 1;
        return FormantFeatures.extract(a);
    }
}
