/**
 * Staged rollouts ({@code pnn fleet rollout}): a signed bundle goes device by device ({@code pnn/<d>/ota/bundle},
 * QoS 1) in stages chosen by a seeded hash of the device ids (canaries first); each stage waits for every device's
 * verdict on {@code pnn/<d>/ota/status} and a soak period, and the rollout halts by itself when a stage's failures
 * exceed the threshold. The state lives in PostgreSQL ({@code db}); one controller per rollout (advisory lock).
 * Re-sends to devices without a verdict back off per device and are capped, and a stage's sends are rate-limited
 * ({@code ResendPolicy}), so a struggling cluster is not buried under bundles.
 * The controller verifies the bundle with the models' reader before sending anything: it orchestrates, it cannot
 * forge (devices verify again).
 *
 * <p>Imports: the JDK, Jackson, the HiveMQ MQTT client, {@code org.pnnedge.models.bundle} and {@code pnn} (a
 * bundle's input width), the runtime's {@code fleet} (accounts) and {@code ota} (status format) packages, and
 * {@code org.pnnedge.fleet.db}.
 */
package org.pnnedge.fleet.rollout;
