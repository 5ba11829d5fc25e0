/**
 * Over-the-air model updates, independent of the transport: {@link org.pnnedge.runtime.ota.OtaUpdater} verifies,
 * stages, self-tests and switches bundles, {@link org.pnnedge.runtime.ota.BundleStore} keeps them on disk with
 * crash-safe atomic switches, rollback and the {@link org.pnnedge.runtime.ota.VersionFloor} (the lowest version an
 * update may have, which only rises), {@link org.pnnedge.runtime.ota.ProbeSelfTest} checks a candidate on the device.
 * Lifecycle, layout, crash guarantees and status format: {@code src/site/markdown/ota.md}.
 *
 * <p>Imports: the JDK, {@code org.pnnedge.bridge}, {@code org.pnnedge.models}, and {@code runtime.io} and
 * {@code runtime.device}; the service activates a bundle through {@link org.pnnedge.runtime.ota.Activation}, so
 * this package does not know it.
 */
package org.pnnedge.runtime.ota;
