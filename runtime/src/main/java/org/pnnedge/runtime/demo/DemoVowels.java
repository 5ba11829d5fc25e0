package org.pnnedge.runtime.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.pnnedge.models.audio.AudioException;
import org.pnnedge.models.audio.FormantFeatures;
import org.pnnedge.models.audio.HeardVowels;
import org.pnnedge.models.audio.VowelSynthesizer;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.HillenbrandReader;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/**
 * The demo's vowels in the served bundle's feature layout: held-out talkers, the /hVd/ words of step 3b and the
 * training data of the over-the-air update. Synthesized talkers are rendered to audio and measured by the audio
 * front end ({@link HeardVowels}, what {@code pnn data synth --heard} does), then put into the layout by
 * {@link FeatureUnits}. For {@code talker13} a talker is met as a user meets one: G of each vowel from that
 * talker's earlier vowels (their prompted words), G<sub>0</sub>(F0) for its first.
 */
final class DemoVowels {
    /**
     * Seed of the held-out talkers. A synthetic talker's formants come from a random stream seeded by (seed, group,
     * talker number) (SyntheticVowels: SplitMix64 of seed + 0x9E3779B97F4A7C15 · (1 + group · 1000003 + talker)),
     * so a talker of this seed is one of seed s only if their (group, talker) indices differ by the factor that
     * takes 2024 − s there: more than 10^18 for s = 1, 2, 7 and 4242. The shipped bundle and the candidates are
     * trained on seed 1 (make-default-bundle.sh), the benchmarks test on seeds 2 and 4242, the demo's own update
     * trains on {@link #RETRAIN_SEED}: no training set holds these talkers, however many talkers it has.
     */
    static final long HELD_OUT_SEED = 2024;
    /** Seed of the update's training talkers (as before layouts: the formant table's talkers of seed 7). */
    static final long RETRAIN_SEED = 7;
    /** Formant-table talkers a group of the hz12 update (the demo's update before layouts, kept as it was). */
    static final int TABLE_RETRAIN_TALKERS = 40;
    /**
     * Heard talkers a group of the update in a layout that needs F0 (the table has none): rendering and measuring
     * costs ~30 ms of CPU a vowel, so fewer talkers than the table's, but each measured as the service hears them.
     */
    static final int HEARD_RETRAIN_TALKERS = 12;

    /**
     * Vowels in the model's features.
     *
     * @param features the rows, in the served bundle's layout and label order
     * @param talkers  each row's talker, group letter first ({@link TalkerGroup#prefix()})
     * @param rejected vowels the audio front end could not measure (dropped, with the reason)
     */
    record Vowels(Dataset features, List<String> talkers, List<String> rejected) {
        Vowels {
            talkers = List.copyOf(talkers);
            rejected = List.copyOf(rejected);
        }
    }

    private DemoVowels() {
    }

    /** What a user's talker gets: for talker13 G from the talker's earlier vowels; per-token layouts as they are. */
    static String metUnits(FeatureLayout layout) {
        return layout == FeatureLayout.TALKER13 ? "talker13-running" : layout.id();
    }

    /** {@code talkers} new talkers of each group saying each of the model's vowels once, in vowel order. */
    static Vowels heldOut(DemoModel m, FeatureUnits units, int talkers) throws IOException {
        HeardVowels.Result r = HeardVowels.builder().groups(TalkerGroup.ALL).vowels(m.vowels()).talkers(talkers)
                .seed(HELD_OUT_SEED).build().generate(null);
        return new Vowels(units.convert(r.rawHeard(), r.talkerIds(), metUnits(m.layout())), r.talkerIds(),
                r.rejected());
    }

    /**
     * Step 3b: the mean /hVd/ words of a typical man, woman and girl, in the model's vowel order, measured by the
     * audio front end (what {@code pnn classify --wav} and {@code pnn listen} do).
     */
    static Vowels words(DemoModel m, FeatureUnits units) throws AudioException {
        List<double[]> hz = new ArrayList<>();
        List<Double> f0 = new ArrayList<>();
        List<String> talkers = new ArrayList<>();
        int[] labels = new int[3 * m.vowels().size()];
        for (TalkerGroup g : List.of(TalkerGroup.MEN, TalkerGroup.WOMEN, TalkerGroup.GIRLS)) {
            for (int v = 0; v < m.vowels().size(); v++) {
                int n = hz.size();
                VowelSynthesizer.Rendering r = VowelSynthesizer.render(SyntheticVowels.meanHz(g, m.vowels().get(v)),
                        VowelSynthesizer.Voice.typical(g), 0.26, VowelSynthesizer.DEFAULT_RATE, true, 17 + n, 0.5);
                FormantFeatures.Result f = FormantFeatures.extract(r.audio());
                hz.add(f.featuresHz());
                f0.add(f.f0Hz());
                talkers.add(g.name().toLowerCase(java.util.Locale.ROOT));
                labels[n] = v;
            }
        }
        Dataset formants = new Dataset(hz.toArray(double[][]::new), labels, Vowel.codes(m.vowels()),
                HillenbrandReader.FEATURE_NAMES);
        Dataset raw = FeatureLayout.withF0(formants, f0.stream().mapToDouble(Double::doubleValue).toArray());
        return new Vowels(units.convert(raw, talkers, metUnits(m.layout())), talkers, List.of());
    }

    /**
     * Training data of the over-the-air update, in the model's layout. hz12: the formant table's talkers in PAT
     * units, as the demo did before layouts; other layouts need F0: heard talkers, G over each talker's vowels for
     * talker13 (as its training data, make-default-bundle.sh).
     */
    static Dataset retraining(DemoModel m, FeatureUnits units) throws IOException {
        if (m.layout() == FeatureLayout.HZ12) {
            // rendering and measuring audio as make-default-bundle.sh does would take a minute here
            return Normalization.patVowel7().apply(SyntheticVowels.builder().groups(TalkerGroup.ALL)
                    .vowels(m.vowels()).talkers(TABLE_RETRAIN_TALKERS).seed(RETRAIN_SEED).build());
        }
        HeardVowels.Result r = HeardVowels.builder().groups(TalkerGroup.ALL).vowels(m.vowels())
                .talkers(HEARD_RETRAIN_TALKERS).seed(RETRAIN_SEED).build().generate(null);
        return units.convert(r.rawHeard(), r.talkerIds(), m.layout().id());
    }
}
