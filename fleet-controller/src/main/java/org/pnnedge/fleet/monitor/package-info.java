/**
 * Fleet monitoring: ingest workers that take what the devices publish (telemetry, status, OTA status,
 * recalibration reports) from the broker cluster into day-partitioned PostgreSQL tables, and the read side —
 * {@code pnn fleet status} and the controller's web page. Design and SQL: {@code src/site/markdown/fleet.md}
 * ("Fleet monitoring").
 *
 * <p>Imports: the JDK, the HiveMQ MQTT client, Jackson, tinylog, the runtime's {@code fleet} accounts, this
 * module's {@code db}, and {@code rollout}'s {@code SoakProbes} (the page shows the probe scores it stores).
 */
package org.pnnedge.fleet.monitor;
