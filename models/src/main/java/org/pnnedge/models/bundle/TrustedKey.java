package org.pnnedge.models.bundle;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A public key whose bundles are accepted.
 *
 * @param keyId       {@link KeyFiles#keyId(PublicKey)}
 * @param development a development key: accepted, but loading a bundle signed by it logs a warning
 * @param source      where it came from (a file path), for messages
 */
public record TrustedKey(PublicKey publicKey, String keyId, boolean development, String source) {
    public TrustedKey {
        Objects.requireNonNull(publicKey, "publicKey");
        if (!KeyFiles.isEd25519(publicKey)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + publicKey.getAlgorithm());
        }
        String expected = KeyFiles.keyId(publicKey);
        if (keyId == null) {
            keyId = expected;
        } else if (!keyId.equals(expected)) {
            throw new IllegalArgumentException("keyId " + keyId + " does not belong to this public key (" + expected + ")");
        }
        source = source == null ? "?" : source;
        // a key listed in DevelopmentKeys stays a development key even if its file lost the marker
        development = development || DevelopmentKeys.isKnownDevelopmentKey(keyId);
    }

    public TrustedKey(PublicKey publicKey, String source) {
        this(publicKey, null, false, source);
    }
}
