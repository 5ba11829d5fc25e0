package org.pnnedge.runtime.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.TalkerNormalization;
import org.pnnedge.models.data.Vowel;

/** The demo asks for its vowels in the units a user meets them in, and the update's in its training units. */
class DemoVowelsTest {
    /** Records what was asked; talker13 units through TalkerNormalization as `pnn data` does, per-token as is. */
    static final class Recording implements FeatureUnits {
        final List<String> asked = new ArrayList<>();
        final List<Dataset> raw = new ArrayList<>();
        final List<List<String>> talkers = new ArrayList<>();

        @Override
        public Dataset convert(Dataset raw, List<String> talkers, String units) {
            asked.add(units);
            this.raw.add(raw);
            this.talkers.add(List.copyOf(talkers));
            return switch (units) {
                case "talker13-running" -> TalkerNormalization.running(raw, talkers, 7);
                case "talker13" -> TalkerNormalization.nearey(raw, talkers);
                default -> FeatureLayout.of(units).apply(raw);
            };
        }
    }

    static DemoModel model(FeatureLayout layout) {
        return new DemoModel(java.nio.file.Path.of("x.pnnb"), TrustedKeys.none(), KeyFiles.generate(true), layout,
                Vowel.PAT_7);
    }

    @Test
    void talker13HeldOutTalkersAreMetWordByWordFromTheirFirstWordsF0() throws Exception {
        Recording units = new Recording();
        DemoVowels.Vowels v = DemoVowels.heldOut(model(FeatureLayout.TALKER13), units, 1);
        assertEquals(List.of("talker13-running"), units.asked);
        Dataset d = v.features();
        assertEquals(FeatureLayout.TALKER13.names(), d.featureNames());
        assertTrue(d.size() > 20 && d.size() + v.rejected().size() == 28, v.rejected().toString());
        assertEquals(List.of("m001", "w001", "b001", "g001"), v.talkers().stream().distinct().toList());
        // what G rests on: the front end's raw measurements (formants and F0), each talker's words together and in
        // the order said, so that G of a word is over that talker's earlier words only
        Dataset raw = units.raw.get(0);
        assertEquals(FeatureLayout.RAW_NAMES, raw.featureNames());
        List<String> talkers = units.talkers.get(0);
        for (int i = 1; i < talkers.size(); i++) {
            boolean same = talkers.get(i).equals(talkers.get(i - 1));
            assertTrue(!same || raw.labels()[i] > raw.labels()[i - 1], "row " + i + ": " + talkers);
            assertTrue(same || !talkers.subList(0, i).contains(talkers.get(i)), "talker split: " + talkers);
        }
        for (double[] r : raw.features()) {
            assertTrue(r[12] > 50 && r[12] < 500, "a measured F0: " + r[12]);
        }
        DemoVowels.words(model(FeatureLayout.TALKER13), units);
        assertEquals("talker13-running", units.asked.get(1), "the words are met as a user meets a talker too");
    }

    @Test
    void perTokenLayoutsAndHz12AreAskedForByTheirIds() throws Exception {
        Recording units = new Recording();
        DemoVowels.heldOut(model(FeatureLayout.BARK13), units, 1);
        assertEquals(List.of("bark13"), units.asked);
        // hz12's update is the formant table's, as before layouts: no audio, no units asked
        Dataset update = DemoVowels.retraining(model(FeatureLayout.HZ12), units);
        assertEquals(List.of("bark13"), units.asked);
        assertEquals(4 * DemoVowels.TABLE_RETRAIN_TALKERS * 7, update.size());
        assertEquals(12, update.numFeatures());
    }
}
