package org.pnnedge.runtime.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.pnnedge.models.data.Checkout;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.DeviceRequirements;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnModel;

/** Bundles for OTA tests: the shipped default (vowels7 1.0.0, release key) and variants of it. */
final class OtaFixtures {
    /** The device the default bundle was trained for, without noise or drift (deterministic probes). */
    static final String SEED1 = "emulator:shg?seed=1&timing=zero&noise=off&drift=off";
    /** Another unit of the same kind: its manufacturing mismatch differs. */
    static final String SEED7 = "emulator:shg?seed=7&timing=zero&noise=off&drift=off";

    static final SigningKey KEY = KeyFiles.generate(false);
    static final Path ROOT = Checkout.requireRoot();
    static final byte[] DEFAULT_BUNDLE = read(ROOT.resolve("src/dist/models/vowels7.pnnb"));
    static final TrustedKeys RELEASE_KEYS = releaseKeys();
    /** The release key, the tests' key and the local development key (to test that it is refused). */
    static final TrustedKeys TRUSTED = RELEASE_KEYS.plus(KEY.trusted()).plus(org.pnnedge.runtime.TestKeys.dev().trusted());
    static final BundleManifest DEFAULT = load(DEFAULT_BUNDLE).manifest();

    private OtaFixtures() {
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TrustedKeys releaseKeys() {
        try {
            return TrustedKeys.load(ROOT.resolve("src/dist/keys/pnn-release.pub"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelBundle load(byte[] b) {
        try {
            return Bundles.load(b, TRUSTED);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static PnnModel defaultModel() {
        return PnnBundles.model(DEFAULT);
    }

    /** Probes of the default model measured on {@code link} (layer 0 loaded into slot 0 there). */
    static List<Probe> probesOn(DeviceLink link) {
        PnnModel m = defaultModel();
        Random r = new Random(3);
        double[][] z = new double[5][m.architecture().features()];
        for (double[] row : z) {
            for (int i = 0; i < row.length; i++) {
                row[i] = r.nextGaussian();
            }
        }
        return PnnBundles.measureProbes(m, z, z.length, 4, new PhysicalLayers.OnDevice(link));
    }

    static BundleManifest variant(String version, List<Probe> probes, DeviceRequirements device) {
        BundleManifest d = DEFAULT;
        return new BundleManifest(d.formatVersion(), d.modelId(), org.pnnedge.models.bundle.SemVer.parse(version),
                d.created(), d.labels(), d.normalization(), d.featureLayout(), device, d.network(), d.twin(), probes, d.provenance(),
                d.metrics());
    }

    static BundleManifest variant(String version, List<Probe> probes) {
        return variant(version, probes, DEFAULT.device());
    }

    static byte[] sign(BundleManifest m) {
        return Bundles.sign(m, KEY);
    }

    /** Probes with every expected output scaled by {@code factor} (clamped to the ADC range). */
    static List<Probe> scaled(List<Probe> probes, double factor, int maxAdc) {
        return probes.stream().map(p -> {
            double[] e = p.expectedOutput();
            for (int i = 0; i < e.length; i++) {
                e[i] = Math.min(maxAdc, e[i] * factor);
            }
            return new Probe(p.layer(), p.input(), p.params(), e, p.outputStd(), p.repeats());
        }).toList();
    }

    /** A store after a crash and restart, or any time: nothing half-done is left, every bundle verifies. */
    static void assertConsistent(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(tmp.isEmpty(), "temporary files left: " + tmp);
        }
        try (Stream<Path> s = Files.list(dir.resolve(BundleStore.STAGING))) {
            assertEquals(List.of(), s.toList(), "staging is empty");
        }
        assertFalse(Files.exists(dir.resolve(BundleStore.JOURNAL)), "no journal");
        assertTrue(Files.exists(dir.resolve(BundleStore.ACTIVE)), "active bundle present");
        load(Files.readAllBytes(dir.resolve(BundleStore.ACTIVE)));
        if (Files.exists(dir.resolve(BundleStore.PREVIOUS))) {
            load(Files.readAllBytes(dir.resolve(BundleStore.PREVIOUS)));
        }
    }

    static String version(ModelBundle b) {
        return b.manifest().version().toString();
    }
}
