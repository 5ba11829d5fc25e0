/**
 * {@code pnn demo}: an embedded HiveMQ broker, an emulated device and the edge service in one process, driven
 * through MQTT like a fleet would drive it.
 *
 * <p>Imports: {@code runtime.edge}, {@code runtime.config}, {@code runtime.mqtt} (and the HiveMQ broker, on the
 * class path only for the demo); only {@code cli} imports it.
 */
package org.pnnedge.runtime.demo;
