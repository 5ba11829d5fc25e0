package org.pnnedge.models.audio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.HillenbrandReader;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/**
 * Vowel features as the audio front end hears them: table-driven synthetic tokens ({@link SyntheticVowels},
 * Hillenbrand et al. 1995 statistics) are rendered to audio by {@link VowelSynthesizer} with a random voice per
 * talker, then measured by {@link FormantFeatures}. A model trained on this data has seen the front end's own
 * errors (F1 pulled toward harmonics at high F0, tracking slips, transitions into /d/), which a model trained on
 * the formant table has not.
 *
 * <h2>Variation</h2>
 * Per talker (seeded from the talker): {@link VowelSynthesizer.Voice#random} — F0 around the group mean (SD 12 %),
 * F4 scaled with the talker's vocal-tract factor (estimated from the token's formants against the group mean),
 * bandwidths, open quotient, jitter, aspiration, background noise. Per token: intrinsic F0 (high vowels ≈ 5 %
 * higher, low vowels ≈ 4 % lower, as in the paper's Table V), duration from the group's typical vowel duration
 * ±15 %, /hVd/ word context with probability {@code hvdFraction}, sample rate drawn from {@code rates}, peak level
 * −20 to −1 dBFS. With {@link Builder#wideVoices} talkers vary further ({@link WideVoice}) and every token is
 * recorded under random {@link RecordingConditions}. With {@link Builder#snrDb} every token gets noise at that one
 * signal-to-noise ratio (white noise on a dry recording; the wide voices keep their room and noise colour, with the
 * SNR fixed), for test sets at a stated SNR. Rendering and measuring run in parallel; the result does not
 * depend on the thread count.
 *
 * <p>Tokens whose audio the front end rejects (rare: a very short /ih/ with heavy aspiration) are dropped and
 * counted in {@link Result#rejected()}.
 */
public final class HeardVowels {

    /**
     * @param heard     the front end's features (Hz) of every token it accepted
     * @param table     the table-driven features (Hz) of the same tokens, row for row
     * @param talkerIds talker of each row
     * @param rejected  tokens the front end rejected, with the reason, e.g. {@code b012 ih: TOO_SHORT}
     * @param heardF0Hz the F0 the front end measured, row for row
     * @param tableF0Hz the F0 the voice was rendered with (nominal, before the falling contour and jitter)
     */
    public record Result(Dataset heard, Dataset table, List<String> talkerIds, List<String> rejected,
                         double[] heardF0Hz, double[] tableF0Hz) {
        public Result {
            talkerIds = List.copyOf(talkerIds);
            rejected = List.copyOf(rejected);
            heardF0Hz = heardF0Hz.clone();
            tableF0Hz = tableF0Hz.clone();
        }

        @Override
        public double[] heardF0Hz() {
            return heardF0Hz.clone();
        }

        @Override
        public double[] tableF0Hz() {
            return tableF0Hz.clone();
        }

        /** The heard rows as raw measurements (12 formants and F0, Hz; {@link FeatureLayout#RAW_NAMES}). */
        public Dataset rawHeard() {
            return FeatureLayout.withF0(heard, heardF0Hz);
        }

        /** The table rows as raw measurements, with the rendered F0. */
        public Dataset rawTable() {
            return FeatureLayout.withF0(table, tableF0Hz);
        }
    }

    private final SyntheticVowels.Generated tokens;
    private final List<Vowel> vowels;
    private final long seed;
    private final double hvdFraction;
    private final int[] rates;
    private final Path wavDir;
    private final boolean wide;
    private final double snrDb;

    private HeardVowels(Builder b) {
        this.wide = b.wide;
        this.snrDb = b.snrDb;
        this.tokens = b.table.generate(); // the table-driven tokens: cheap, and fixed by the configuration
        this.vowels = tokens.dataset().labelNames().stream().map(Vowel::fromCode).toList();
        this.seed = b.seed;
        this.hvdFraction = b.hvdFraction;
        this.rates = b.rates.clone();
        this.wavDir = b.wavDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Render and measure every token.
     *
     * @param progress called with the number of tokens done so far (from worker threads; may be null)
     */
    public Result generate(IntConsumer progress) throws java.io.IOException {
        SyntheticVowels.Generated gen = tokens;
        Dataset table = gen.dataset();
        int n = table.size();
        double[][] heard = new double[n][];
        double[] heardF0 = new double[n];
        double[][] rendered = new double[n][];
        double[] tableF0 = new double[n];
        String[] reject = new String[n];
        if (wavDir != null) {
            Files.createDirectories(wavDir);
        }
        AtomicInteger done = new AtomicInteger();
        java.io.IOException[] ioError = new java.io.IOException[1];
        IntStream.range(0, n).parallel().forEach(i -> {
            Token t = token(i);
            VowelSynthesizer.Rendering r = t.rendering();
            String talker = t.talker();
            Vowel v = t.vowel();
            rendered[i] = t.renderedHz();
            tableF0[i] = t.f0Hz();
            if (wavDir != null) {
                try {
                    WavWriter.write(wavDir.resolve(String.format(Locale.ROOT, "%s_%s_%05d.wav", talker, v.code(), i)),
                            r.audio());
                } catch (java.io.IOException e) {
                    synchronized (ioError) {
                        ioError[0] = e;
                    }
                }
            }
            try {
                FormantFeatures.Result measured = FormantFeatures.extract(r.audio());
                heard[i] = measured.featuresHz();
                heardF0[i] = measured.f0Hz();
            } catch (AudioException e) {
                reject[i] = talker + " " + v.code() + ": " + e.reason();
            }
            if (progress != null) {
                progress.accept(done.incrementAndGet());
            }
        });
        if (ioError[0] != null) {
            throw ioError[0];
        }
        List<double[]> hx = new ArrayList<>();
        List<double[]> tx = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Double> hf0 = new ArrayList<>();
        List<Double> tf0 = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (heard[i] == null) {
                rejected.add(reject[i]);
                continue;
            }
            hx.add(heard[i]);
            tx.add(rendered[i]);
            y.add(table.labels()[i]);
            ids.add(gen.talkerIds().get(i));
            hf0.add(heardF0[i]);
            tf0.add(tableF0[i]);
        }
        int[] labels = y.stream().mapToInt(Integer::intValue).toArray();
        List<String> names = Vowel.codes(vowels);
        return new Result(new Dataset(hx.toArray(double[][]::new), labels, names, HillenbrandReader.FEATURE_NAMES),
                new Dataset(tx.toArray(double[][]::new), labels.clone(), names, HillenbrandReader.FEATURE_NAMES),
                ids, rejected, hf0.stream().mapToDouble(Double::doubleValue).toArray(),
                tf0.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * One token as {@link #generate} renders it, before the front end measures it.
     *
     * @param rendering  the audio with the synthesizer's ground truth ({@link VowelSynthesizer.Rendering#truthHz})
     * @param renderedHz the 12 formants the token was rendered from (the table's, or the wide voice's)
     * @param f0Hz       the voice's nominal F0
     */
    record Token(VowelSynthesizer.Rendering rendering, double[] renderedHz, double f0Hz, String talker, Vowel vowel) {
    }

    /** Number of tokens (before the front end rejects any). */
    int size() {
        return tokens.dataset().size();
    }

    /** Token i rendered (and recorded) exactly as {@link #generate} does; deterministic in the seed and i. */
    Token token(int i) {
        Dataset table = tokens.dataset();
        String talker = tokens.talkerIds().get(i);
        TalkerGroup g = TalkerGroup.fromPrefix(talker.charAt(0));
        Vowel v = vowels.get(table.labels()[i]);
        WideVoice wv = wide ? WideVoice.random(g, new Random(seed * 131 + 7L * talker.hashCode() + 1)) : null;
        double[] f = wv == null ? table.features()[i] : wv.formants(g, v, table.features()[i]);
        Random voiceRnd = new Random(seed * 31 + talker.hashCode());
        VowelSynthesizer.Voice voice = VowelSynthesizer.Voice.random(g, tractScale(g, v, f), voiceRnd);
        if (wv != null) {
            voice = wv.voice(voice);
        }
        Random tok = new Random(seed * 1_000_003L + i);
        voice = voice.withF0(Math.max(60, Math.min(500, voice.f0Hz() * intrinsicF0(v))));
        double dur = Math.max(0.08, typicalDuration(g, v) * (1 + 0.15 * tok.nextGaussian()))
                * (wv == null ? 1 : wv.durationFactor());
        int rate = rates[tok.nextInt(rates.length)];
        boolean hvd = tok.nextDouble() < hvdFraction;
        double peak = Math.pow(10, (-20 + 19 * tok.nextDouble()) / 20);
        // a formant above the recorder's band (a short tract at 8 kHz) is sounded all the same and cut by the
        // recorder's anti-aliasing filter: render wide band, then resample as a telephone chain would
        int renderRate = fitsBand(f, rate) ? rate : Math.max(16_000, 2 * rate);
        VowelSynthesizer.Rendering r = VowelSynthesizer.render(f, voice, Math.min(2, dur), renderRate, hvd,
                tok.nextLong(), peak);
        if (renderRate != rate) {
            r = new VowelSynthesizer.Rendering(new Audio(Resampler.resample(r.audio().samples(), renderRate, rate),
                    rate, r.audio().source(), List.of()), r.truthHz(), r.f0MeanHz(), r.vowelStartSec(),
                    r.vowelEndSec());
        }
        if (wv != null || Double.isFinite(snrDb)) {
            Random room = new Random(seed * 7_000_003L + i);
            RecordingConditions rc = wv != null ? RecordingConditions.random(room) : RecordingConditions.CLEAN;
            if (Double.isFinite(snrDb)) {
                rc = new RecordingConditions(rc.tilt(), rc.rt60(), rc.drrDb(), snrDb, rc.pinkish());
            }
            r = new VowelSynthesizer.Rendering(rc.apply(r.audio(), room.nextLong()),
                    r.truthHz(), r.f0MeanHz(), r.vowelStartSec(), r.vowelEndSec());
        }
        return new Token(r, f, voice.f0Hz(), talker, v);
    }

    /** Whether F1–F3 at 20/50/80 % lie where {@link VowelSynthesizer#render} can sound them at {@code rate}. */
    static boolean fitsBand(double[] f, int rate) {
        for (int j = 3; j < 12; j++) {
            if (f[j] >= rate / 2.0 - 200) {
                return false;
            }
        }
        return true;
    }

    /** Geometric mean of the token's formants over the group mean's: the talker's vocal-tract scale, roughly. */
    static double tractScale(TalkerGroup g, Vowel v, double[] f) {
        double[] m = SyntheticVowels.meanHz(g, v);
        double s = 0;
        for (int j = 0; j < f.length; j++) {
            s += Math.log(f[j] / m[j]);
        }
        return Math.exp(s / f.length);
    }

    /** Intrinsic F0: high vowels are spoken a little higher than low ones (Hillenbrand 1995, Table V). */
    static double intrinsicF0(Vowel v) {
        return switch (v) {
            case IY, UW -> 1.05;
            case IH, OO -> 1.03;
            case ER, EI, OA -> 1.0;
            case EH, UH -> 0.98;
            case AE, AH, AW -> 0.96;
        };
    }

    /** Typical vowel duration (s): tense and low vowels are long, lax ones short; women and children slower. */
    static double typicalDuration(TalkerGroup g, Vowel v) {
        double base = switch (v) {
            case IH, EH, OO, UH -> 0.19;
            case IY, UW -> 0.24;
            default -> 0.27;
        };
        return base * switch (g) {
            case MEN -> 1.0;
            case WOMEN -> 1.1;
            case BOYS, GIRLS -> 1.15;
        };
    }

    /**
     * Configuration; defaults: all groups, the PAT 7 vowels, 50 talkers, 1 token, seed 0, half /hVd/, 16 kHz. The
     * token table's settings (groups, vowels, talkers, tokens, seed) are {@link SyntheticVowels.Builder}'s, with
     * its checks.
     */
    public static final class Builder {
        private final SyntheticVowels.Builder table = SyntheticVowels.builder().vowels(Vowel.PAT_7);
        private long seed;
        private double hvdFraction = 0.5;
        private int[] rates = {16_000};
        private Path wavDir;
        private boolean wide;
        private double snrDb = Double.POSITIVE_INFINITY;

        private Builder() {
        }

        /**
         * Noise at this one signal-to-noise ratio (dB, against the mean power of the token's loudest 0.5 s, as
         * {@link RecordingConditions}) on every token; +∞ (the default) adds none to the narrow voices and leaves
         * the wide voices' random 10–40 dB.
         */
        public Builder snrDb(double db) {
            if (!(db >= 0)) {
                throw new IllegalArgumentException("SNR must be >= 0 dB, got " + db);
            }
            this.snrDb = db;
            return this;
        }

        /**
         * Wider voices ({@link WideVoice}): vocal-tract length, F0, breathiness, speaking rate and dialect per
         * talker, and per token a recording with spectral tilt, room reverberation and noise at 10–40 dB SNR
         * ({@link RecordingConditions#random}). Off by default: the narrow voices of earlier releases.
         */
        public Builder wideVoices(boolean on) {
            this.wide = on;
            return this;
        }

        public Builder groups(Collection<TalkerGroup> groups) {
            table.groups(groups);
            return this;
        }

        public Builder vowels(List<Vowel> vowels) {
            table.vowels(vowels);
            return this;
        }

        public Builder talkers(int n) {
            table.talkers(n);
            return this;
        }

        public Builder tokensPerTalker(int n) {
            table.tokensPerTalker(n);
            return this;
        }

        /** Seeds the token table and the voices. */
        public Builder seed(long seed) {
            table.seed(seed);
            this.seed = seed;
            return this;
        }

        /** Fraction of tokens rendered as /hVd/ words instead of isolated vowels (0..1). */
        public Builder hvdFraction(double f) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("hvd fraction must be in [0, 1], got " + f);
            }
            this.hvdFraction = f;
            return this;
        }

        /** Sample rates to draw from (each 8 kHz..96 kHz). */
        public Builder rates(int... rates) {
            if (rates.length == 0) {
                throw new IllegalArgumentException("at least one sample rate is needed");
            }
            for (int r : rates) {
                if (r < 8000 || r > 96_000) {
                    throw new IllegalArgumentException("sample rate must be in [8000, 96000] Hz, got " + r);
                }
            }
            this.rates = rates.clone();
            return this;
        }

        /** Also write every rendered token as a WAV file here (null: don't). */
        public Builder wavDir(Path dir) {
            this.wavDir = dir;
            return this;
        }

        public HeardVowels build() {
            return new HeardVowels(this);
        }
    }
}
