package org.pnnedge.fleetsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.runtime.service.Answer;

/**
 * The simulated devices' inference ({@link EmulatedUnitModel}) answers with realistic accuracy: the shipped
 * {@code vowels7} bundle on its twin classifies synthetic women's vowel tokens (not its training data) well on good
 * units of any gain within ±3 %, and at about chance level with dead channels — what a soak's probes must tell apart.
 */
class EmulatedUnitModelTest {
    private static final double[] GAINS = {0.97, 1.0, 1.03};

    @Test
    void goodUnitsAnswerWellAndUnitsWithDeadChannelsAtChance() throws Exception {
        Path root = Checkout.requireRoot();
        BundleManifest m = Bundles.load(Files.readAllBytes(root.resolve("src/dist/models/vowels7.pnnb")),
                TrustedKeys.load(root.resolve("src/dist/keys/pnn-release.pub"))).manifest();
        Dataset d = Normalization.patVowel7().apply(SyntheticVowels.builder().groups(TalkerGroup.WOMEN)
                .vowelCodes(m.labels().toArray(String[]::new)).seed(77).talkers(20).tokensPerTalker(1).build());
        assertEquals(140, d.size());
        for (double g : GAINS) {
            double good = accuracy(new EmulatedUnitModel(m, g, false), d, m);
            double dead = accuracy(new EmulatedUnitModel(m, g, true), d, m);
            System.out.printf("vowels7 on its twin, gain %.2f: accuracy %.3f good, %.3f with dead channels (140 tokens)%n",
                    g, good, dead);
            assertTrue(good >= 0.7, "good unit, gain " + g + ": " + good);
            assertTrue(dead <= 0.3, "dead channels, gain " + g + ": " + dead);
        }
        Answer a = new EmulatedUnitModel(m, 1, false).classify(d.features()[0]);
        assertEquals(m.labels().get(a.index()), a.label());
        assertEquals(m.labels().size(), a.probabilities().length);
        assertEquals(1.0, java.util.Arrays.stream(a.probabilities()).sum(), 1e-9);
        assertTrue(a.model().startsWith(m.modelId() + "@"), a.model()); // modelId@version, as the runtime names it
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EmulatedUnitModel(m, 1, false).classify(new double[3]));
        assertTrue(e.getMessage().contains("expected 12 features, got 3"), e.getMessage());
    }

    private static double accuracy(EmulatedUnitModel u, Dataset d, BundleManifest m) {
        int ok = 0;
        for (int i = 0; i < d.size(); i++) {
            if (m.labels().get(u.classify(d.features()[i]).index()).equals(d.labelNames().get(d.labels()[i]))) {
                ok++;
            }
        }
        return ok / (double) d.size();
    }
}
