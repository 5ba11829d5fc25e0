/**
 * Fleet inference without shared subscriptions: a dispatcher per fleet takes requests from
 * {@code pnn/fleet/<f>/infer/request}, forwards each to one online device's {@code pnn/<d>/infer/request} (least
 * outstanding, then round robin), and answers the requester with the device's reply or a named error
 * ({@code no_device}, {@code timeout}, {@code busy}, {@code device_lost}). Two dispatchers per fleet: the one holding
 * a PostgreSQL advisory lock is active, the other a warm standby. Design: {@code src/site/markdown/fleet.md}
 * ("Fleet inference: the dispatcher").
 *
 * <p>Imports: the JDK, the HiveMQ MQTT client, Jackson, tinylog, the runtime's {@code fleet} accounts and
 * {@code mqtt} error format and talker id rule, and this module's {@code db}.
 */
package org.pnnedge.fleet.dispatch;
