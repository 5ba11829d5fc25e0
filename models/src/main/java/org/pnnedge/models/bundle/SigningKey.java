package org.pnnedge.models.bundle;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/**
 * An Ed25519 private key with its public half and key id, ready to sign bundles.
 *
 * @param development true for a development key: bundles it signs must not be trusted in production
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey, String keyId, boolean development) {
    public SigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        if (!KeyFiles.isEd25519(privateKey) || !KeyFiles.isEd25519(publicKey)) {
            throw new IllegalArgumentException("not an Ed25519 key pair: " + privateKey.getAlgorithm() + "/"
                    + publicKey.getAlgorithm());
        }
        String expected = KeyFiles.keyId(publicKey);
        if (keyId == null) {
            keyId = expected;
        } else if (!keyId.equals(expected)) {
            throw new IllegalArgumentException("keyId " + keyId + " does not belong to this public key (" + expected + ")");
        }
    }

    public SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this(privateKey, publicKey, null, false);
    }

    /** The public half, for {@link TrustedKeys}. */
    public TrustedKey trusted() {
        return new TrustedKey(publicKey, keyId, development, "generated");
    }

    // never print key material
    @Override
    public String toString() {
        return "SigningKey[keyId=" + keyId + (development ? ", development" : "") + "]";
    }
}
