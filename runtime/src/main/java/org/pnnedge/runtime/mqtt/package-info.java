/**
 * The device's MQTT 5 link, independent of what the service does with it. API: the
 * {@link org.pnnedge.runtime.mqtt.MqttLink} interface, {@link org.pnnedge.runtime.mqtt.MqttSettings} and the
 * handler interfaces and message records. Internals, one concern per class: {@code PahoMqttLink} assembles
 * {@code ConnectionSupervisor} (connect, reconnect with back-off), {@code OutboxDrainer} (the disk
 * {@code Outbox} in order, with a window of PUBACKs), {@code InboundDispatcher} (bundles and commands off Paho's
 * thread), {@code InferenceRequests} and {@code Responder} (request/response), {@code StatusPublisher} (retained
 * status, last will, Home Assistant discovery) and {@code Subscriptions}. The request rules shared with the fleet
 * dispatcher: {@link org.pnnedge.runtime.mqtt.RequestError} (the one error format), {@link
 * org.pnnedge.runtime.mqtt.TalkerId} (a measurement request's talker id). Topics:
 * {@link org.pnnedge.runtime.mqtt.Topics}; protocol: {@code src/site/markdown/mqtt.md}.
 *
 * <p>Imports: the JDK, Paho, Jackson, tinylog; no other runtime package.
 */
package org.pnnedge.runtime.mqtt;
