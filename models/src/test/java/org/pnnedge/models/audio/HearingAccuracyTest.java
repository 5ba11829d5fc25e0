package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;

/**
 * Sound in, vowel out: synthesizer vowels (per-talker formants from SyntheticVowels) → audio front end → the
 * shipped bundle on the emulated SHG device, next to the same tokens' formant table fed directly. Prints the
 * table that BENCHMARKS.md quotes. The shipped bundle was trained on women's formant tables only.
 */
class HearingAccuracyTest {
    @Test
    void shippedBundleOnSynthesizedSpeech() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("src/dist/models/vowels7.pnnb"))) {
            root = root.getParent();
        }
        ModelBundle b = Bundles.load(root.resolve("src/dist/models/vowels7.pnnb"),
                TrustedKeys.load(root.resolve("src/dist/dev-keys/pnn-dev.pub")));
        PnnModel model = PnnBundles.model(b.manifest());
        Normalization pat = Normalization.patVowel7();
        System.out.println("| talkers | tokens | not a vowel | formant table → PNN | audio → formants → PNN |");
        System.out.println("|---|---:|---:|---:|---:|");
        double women = 0;
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open("emulator:shg?seed=1&timing=zero")) {
            PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(link);
            for (Set<TalkerGroup> groups : List.of(Set.of(TalkerGroup.WOMEN), Set.of(TalkerGroup.MEN),
                    TalkerGroup.CHILDREN)) {
                Dataset hz = SyntheticVowels.builder().groups(groups).vowels(Vowel.PAT_7).talkers(8).seed(31).build();
                List<double[]> heard = new ArrayList<>();
                List<Integer> heardLabels = new ArrayList<>();
                int failed = 0;
                TalkerGroup g = groups.iterator().next();
                for (int i = 0; i < hz.size(); i++) {
                    VowelSynthesizer.Rendering r = VowelSynthesizer.render(hz.features()[i],
                            VowelSynthesizer.Voice.typical(g), 0.26, 16000, false, 1000 + i, 0.5);
                    try {
                        heard.add(FormantFeatures.extract(r.audio()).toNormalized(pat));
                        heardLabels.add(hz.labels()[i]);
                    } catch (AudioException e) {
                        failed++;
                    }
                }
                double table = accuracy(model, pat.apply(hz).features(), hz.labels(), device);
                double audio = accuracy(model, heard.toArray(double[][]::new),
                        heardLabels.stream().mapToInt(Integer::intValue).toArray(), device);
                System.out.printf("| %s | %d | %d | %.1f %% | %.1f %% |%n", groups.size() > 1 ? "children" :
                        g.name().toLowerCase(java.util.Locale.ROOT), hz.size(), failed, 100 * table, 100 * audio);
                if (g == TalkerGroup.WOMEN) {
                    women = audio;
                }
            }
        }
        assertTrue(women > 0.6, "women's synthesized vowels through the audio front end: " + women);
    }

    static double accuracy(PnnModel m, double[][] features, int[] labels, PhysicalLayers device) {
        double[][] z = new double[features.length][];
        for (int i = 0; i < z.length; i++) {
            z[i] = new double[features[i].length];
            for (int k = 0; k < z[i].length; k++) {
                z[i][k] = (features[i][k] - m.featureOffset()[k]) / m.featureScale()[k];
            }
        }
        double[] acc = PnnTrainer.evaluate(m, z, labels, device, 3, null);
        return java.util.Arrays.stream(acc).average().orElse(Double.NaN);
    }
}
