/**
 * The fleet simulator ({@code pnn fleet simulate}): lightweight device agents that speak the runtime's MQTT contract
 * (retained status and will, QoS 1 telemetry, per-device OTA bundles on a persistent session, OTA status from the
 * runtime's own {@code OtaUpdater}, inference requests answered with the bundle's network on its twin) over the
 * multiplexing HiveMQ MQTT client, a self-test on a cheap emulated unit, and an operator-side observer that
 * measures delivery and latency. A test tool: its module is not part of the device distribution. Design and figures: {@code src/site/markdown/fleet.md}.
 *
 * <p>Imports: the JDK, Jackson, picocli, the HiveMQ MQTT client, {@code org.pnnedge.models.bundle},
 * {@code org.pnnedge.models.data} (only {@code Checkout}, for the shipped bundle and keys), {@code org.pnnedge.models.pnn}
 * and {@code twin} (inference on the bundle's twin), {@code models.nn.Loss} (its softmax),
 * {@code org.pnnedge.bridge} (device description), the runtime's
 * {@code ota} and {@code fleet} packages, {@code mqtt.Topics}/{@code RequestError}/{@code Backoff} (the reconnect back-off)/{@code FailoverOrder} (which node next) and {@code service.Answer} (the
 * request/response contract). PackageCycleTest checks it.
 */
package org.pnnedge.fleetsim;
