package org.pnnedge.models.bundle;

/**
 * What a bundle says about itself, read WITHOUT checking the signature ({@link Bundles#inspect}). The format,
 * schema and payload hash have been checked, so the content is intact, but nothing says who made it:
 * never act on it, load with {@link Bundles#load} for that.
 *
 * @param keyId              key id the signature names, or {@code null} for an unsigned bundle
 * @param signatureAlgorithm {@code Ed25519}, or {@code null} for an unsigned bundle
 */
public record BundleInspection(BundleManifest manifest, String payloadSha256, String keyId, String signatureAlgorithm) {
    public boolean signed() {
        return keyId != null;
    }
}
