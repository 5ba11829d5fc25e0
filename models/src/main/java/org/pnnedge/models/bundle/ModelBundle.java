package org.pnnedge.models.bundle;

import java.util.Objects;

import org.pnnedge.bridge.DeviceInfo;

/**
 * A bundle whose hash and signature have been verified against a trusted key.
 *
 * @param keyId          the trusted key that signed it
 * @param payloadSha256  SHA-256 of the payload bytes, lower-case hex (identifies the exact content)
 * @param developmentKey signed by a development key (see {@link DevelopmentKeys})
 */
public record ModelBundle(BundleManifest manifest, String keyId, String payloadSha256, boolean developmentKey) {
    public ModelBundle {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(payloadSha256, "payloadSha256");
    }

    /** {@link BundleException.Reason#WRONG_PHYSICS} or {@code INCOMPATIBLE_DEVICE} unless the device fits. */
    public void requireCompatible(DeviceInfo device) throws BundleException {
        manifest.device().requireSatisfiedBy(device);
    }

    /**
     * {@link BundleException.Reason#DOWNGRADE} unless this bundle's version has higher semver precedence than
     * {@code installed} (equal precedence is refused too: reinstalling the same version is no update).
     */
    public void requireNewerThan(SemVer installed) throws BundleException {
        if (installed != null && !manifest.version().isNewerThan(installed)) {
            throw new BundleException(BundleException.Reason.DOWNGRADE, manifest.modelId() + " " + manifest.version()
                    + " is not newer than the installed " + installed);
        }
    }
}
