package org.pnnedge.fleet.rollout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.pnnedge.fleet.rollout.RolloutException.Kind;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.pnn.PnnBundles;

/**
 * A bundle that verified with the models' own reader ({@link Bundles#load(byte[], TrustedKeys)}: format, payload
 * hash, Ed25519 signature of a trusted key) — the same check a device makes, done before anything is sent.
 */
public record VerifiedBundle(String modelId, String version, String keyId, String sha256, boolean developmentKey,
                             java.util.List<String> labels, int features) {

    /** Verifies {@code bytes} against {@code trusted}; {@link Kind#UNTRUSTED_BUNDLE} names the reader's reason. */
    public static VerifiedBundle verify(byte[] bytes, TrustedKeys trusted, String what) throws RolloutException {
        try {
            ModelBundle b = Bundles.load(bytes, trusted);
            return new VerifiedBundle(b.manifest().modelId(), b.manifest().version().toString(), b.keyId(),
                    b.payloadSha256(), b.developmentKey(), b.manifest().labels() == null ? java.util.List.of()
                            : b.manifest().labels(), features(b));
        } catch (BundleException e) {
            throw new RolloutException(Kind.UNTRUSTED_BUNDLE, what + " does not verify with the trusted keys ("
                    + e.reason().code() + "): " + e.getMessage() + "; nothing was sent");
        }
    }

    /** The network's input width (what a probe's features must have), or -1 when the bundle has no PNN network. */
    private static int features(ModelBundle b) {
        try {
            return PnnBundles.model(b.manifest()).architecture().features();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Reads and verifies a bundle file. */
    public static VerifiedBundle verify(Path file, TrustedKeys trusted) throws RolloutException {
        try {
            return verify(Files.readAllBytes(file), trusted, file.toString());
        } catch (IOException e) {
            throw new RolloutException(Kind.BAD_OPTION, "cannot read bundle " + file + ": " + e.getMessage());
        }
    }
}
