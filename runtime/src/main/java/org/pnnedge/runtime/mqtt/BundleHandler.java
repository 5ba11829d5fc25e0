package org.pnnedge.runtime.mqtt;

/**
 * Receives model bundles published on {@code <prefix>/<deviceId>/ota/bundle} or the fleet topic
 * {@code <prefix>/fleet/<fleetId>/ota/bundle}. Called on the link's inbound thread, one bundle at a time. The
 * same bundle may arrive more than once (QoS 1, retained fleet bundles, two topics): handling must be
 * idempotent, e.g. by the bundle's model id and version.
 */
@FunctionalInterface
public interface BundleHandler {
    void onBundle(OtaBundle bundle) throws Exception;
}
