/**
 * Over-the-air model updates, independent of the transport: {@link org.pnnedge.runtime.ota.OtaUpdater} verifies,
 * stages, self-tests and switches bundles, {@link org.pnnedge.runtime.ota.BundleStore} keeps them on disk with
 * crash-safe atomic switches and rollback, {@link org.pnnedge.runtime.ota.ProbeSelfTest} checks a candidate on
 * the device. Lifecycle, layout, crash guarantees and status format: {@code src/site/markdown/ota.md}.
 */
package org.pnnedge.runtime.ota;
