package org.pnnedge.runtime.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.DevelopmentKeys;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKey;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.models.pnn.PnnBundles;

/**
 * What the demo serves: a signed bundle, the keys it trusts, and what the bundle's manifest says the demo has to
 * make for it: the feature layout of its inputs (absent: {@code hz12}, bundle.md) and its vowels (its labels).
 *
 * @param bundle  the bundle file
 * @param trusted the keys that may sign it (the development key that signs the demo's own update comes on top)
 * @param devKey  this user's development key: trusted, and it signs the demo's over-the-air update
 * @param layout  the bundle's feature layout
 * @param vowels  the bundle's labels, in output order
 */
public record DemoModel(Path bundle, TrustedKeys trusted, SigningKey devKey, FeatureLayout layout,
                        List<Vowel> vowels) {
    public DemoModel {
        vowels = List.copyOf(vowels);
    }

    /**
     * Verifies the bundle and checks the demo can serve it, before anything starts.
     *
     * @throws BundleException          when the bundle is refused (signature, format), as the service would
     * @throws IllegalArgumentException naming the problem: a feature layout the demo cannot make (named), labels
     *                                  that are not vowels, a network whose input width is not the layout's
     */
    public static DemoModel load(Path bundle, TrustedKeys trusted) throws IOException, BundleException {
        SigningKey dev = DevelopmentKeys.loadOrCreate(); // read once: the update is signed with the very key trusted
        BundleManifest m = Bundles.load(bundle, trusted.plus(new TrustedKey(dev.publicKey(), null, true,
                "development key"))).manifest();
        FeatureLayout layout;
        try {
            layout = FeatureLayout.of(m.featureLayout());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(bundle + ": the demo cannot serve feature layout '" + m.featureLayout()
                    + "': it builds its vowels in the layouts it knows (" + e.getMessage() + ")", e);
        }
        List<Vowel> vowels = new ArrayList<>();
        for (String label : m.labels()) {
            try {
                vowels.add(Vowel.fromCode(label));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(bundle + ": the demo classifies vowels, but the bundle's labels "
                        + m.labels() + " are not all Hillenbrand vowel codes (" + e.getMessage() + ")", e);
            }
        }
        int features = PnnBundles.model(m).architecture().features();
        if (features != layout.size()) {
            throw new IllegalArgumentException(bundle + ": its network takes " + features + " features, but its "
                    + "feature layout " + layout.id() + " has " + layout.size());
        }
        return new DemoModel(bundle, trusted, dev, layout, vowels);
    }
}
