package org.pnnedge.runtime.mqtt;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.tinylog.Logger;

/**
 * MQTT 5 answers: to the requester's response topic, with its correlation data and a {@code status} user
 * property ({@code ok} or {@code error}); QoS 0 and best effort, since the requester times out and retries.
 */
final class Responder {
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 60_000_000_000L;
    private final PahoClient client;
    private final Topics topics;
    private final AtomicLong refused = new AtomicLong();
    private volatile long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;

    Responder(PahoClient client, Topics topics) {
        this.client = client;
        this.topics = topics;
    }

    /** Replies refused because their response topic was under the device's own (or its fleet's) topics. */
    long refused() {
        return refused.get();
    }

    void reply(String responseTopic, byte[] correlation, JsonNode body, boolean ok) {
        if (!topics.acceptableResponseTopic(responseTopic)) {
            long n = refused.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS) { // at most one line a minute under a flood
                lastRefusalLog = now;
                Logger.warn("MQTT: a request asked for its reply on {}, one of this device's own topics; refused "
                        + "({} so far)", responseTopic, n);
            }
            return;
        }
        if (!client.get().isConnected()) {
            Logger.debug("MQTT: reply to {} dropped: not connected", responseTopic);
            return;
        }
        MqttProperties props = PahoSupport.jsonProperties();
        if (correlation != null) {
            props.setCorrelationData(correlation);
        }
        props.setUserProperties(List.of(new UserProperty("status", ok ? "ok" : "error")));
        try {
            client.get().publish(responseTopic, new MqttMessage(PahoSupport.bytes(body), 0, false, props));
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: reply to {} not sent: {}", responseTopic, e.toString());
        }
    }

    private final AtomicLong busy = new AtomicLong();
    private volatile long lastBusyLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;

    /** Logs a "busy" refusal of {@code what}, at most once a minute with the running count. */
    void logBusy(String what, String topic) {
        long n = busy.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastBusyLog >= REFUSAL_LOG_INTERVAL_NANOS) {
            lastBusyLog = now;
            Logger.warn("MQTT: {} on {} refused: queue full ({} refusals so far)", what, topic, n);
        }
    }

    /**
     * The error answer for a handler's exception: {@code bad_request} with its message for an
     * {@link IllegalArgumentException} (the request was wrong), {@code internal} otherwise (an {@code Error} too:
     * the requester is answered instead of waiting out its timeout for a reply that never comes).
     */
    static ObjectNode failure(Throwable e, JsonNode id) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return error(e instanceof IllegalArgumentException ? "bad_request" : "internal", m, id);
    }

    /** See {@link RequestError#of}. */
    static ObjectNode error(String kind, String message, JsonNode id) {
        return RequestError.of(kind, message, id);
    }
}
