package org.pnnedge.runtime.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.pnnedge.models.data.Checkout;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.TalkerNormalization;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.config.RuntimeConfig;

/**
 * Shared setup of the runtime benchmarks and the wall-clock harness: the shipped bundle, its development key,
 * feature rows like {@code ../shared/data/vowels/train.csv} and a service configuration.
 */
final class RuntimeRigs {
    /** The in-process emulator answering at once: CPU cost only. */
    static final String DEVICE_ZERO = "emulator:shg?seed=1&timing=zero";
    /** The in-process emulator with the modelled SHG shot time (20 ms per shot, like the optical device). */
    static final String DEVICE_REALISTIC = "emulator:shg?seed=1";

    private RuntimeRigs() {
    }

    /** The checkout (pnn.home, set by surefire and bench/run-runtime.sh). */
    static Path root() {
        return Checkout.requireRoot();
    }

    static Path bundlePath() {
        return root().resolve("src/dist/models/vowels7.pnnb");
    }

    static Path trustedKey() {
        return root().resolve("src/dist/keys/pnn-release.pub");
    }

    static ModelBundle bundle() throws IOException, BundleException {
        return Bundles.load(bundlePath(), TrustedKeys.load(trustedKey()));
    }

    /** The settings of a service on {@code device} with its state in {@code state} (shipped bundle, dev key). */
    static Map<String, String> settings(Path state, String device) {
        return Map.of("device.uri", device, "state.dir", state.toString(),
                "bundle.initial", bundlePath().toString(),
                "bundle.trusted_keys", trustedKey().toString(),
                "bundle.allow_development_keys", "true");
    }

    static RuntimeConfig config(Path state, String device) throws IOException {
        return RuntimeConfig.load(null, Map.of(), settings(state, device));
    }

    /**
     * Feature rows as the service receives them: the 210 rows of {@code ../shared/data/vowels/train.csv} (12
     * formants divided by the PAT column maxima) when present, else 210 synthetic tokens normalised the same way.
     */
    static double[][] featureRows() throws IOException {
        Path csv = root().resolveSibling("shared/data/vowels/train.csv");
        if (Files.isRegularFile(csv)) {
            List<double[]> rows = new ArrayList<>();
            try (Stream<String> lines = Files.lines(csv)) {
                for (String line : (Iterable<String>) lines.skip(1)::iterator) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] p = line.split(",");
                    double[] f = new double[12];
                    for (int i = 0; i < 12; i++) {
                        f[i] = Double.parseDouble(p[i].trim());
                    }
                    rows.add(f);
                }
            }
            return rows.toArray(new double[0][]);
        }
        Dataset hz = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(30).seed(1).build();
        return Normalization.patVowel7().apply(hz).features();
    }

    /**
     * Feature rows in the talker13 layout, without Hillenbrand data: 4 groups x 8 talkers x the 7 PAT vowels of
     * {@code SyntheticVowels} (seed 1), F0 the group's typical F0, G over each talker's vowels (as
     * {@code pnn data ... --units talker13}).
     */
    static double[][] talker13Rows() {
        SyntheticVowels.Generated g = SyntheticVowels.builder().groups(TalkerGroup.ALL).vowels(Vowel.PAT_7).talkers(8)
                .seed(1).generate();
        double[] f0 = g.talkerIds().stream().mapToDouble(t -> TalkerGroup.fromPrefix(t.charAt(0)).typicalF0Hz())
                .toArray();
        return TalkerNormalization.nearey(FeatureLayout.withF0(g.dataset(), f0), g.talkerIds()).features();
    }

    static String featureSource() {
        return Files.isRegularFile(root().resolveSibling("shared/data/vowels/train.csv"))
                ? "../shared/data/vowels/train.csv" : "SyntheticVowels (women, PAT 7 vowels, 30 talkers, seed 1) / patVowel7";
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files; leave them
        }
    }
}
