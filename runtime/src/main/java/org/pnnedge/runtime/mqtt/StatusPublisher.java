package org.pnnedge.runtime.mqtt;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.tinylog.Logger;

/**
 * The retained status topic: "online" with the service's details on every connect and when they change,
 * "offline" as last will and on shutdown; and Home Assistant discovery.
 */
final class StatusPublisher {
    private final PahoClient client;
    private final MqttSettings settings;
    private final Topics topics;
    private final LinkState state;
    private final AtomicReference<JsonNode> details = new AtomicReference<>(NullNode.getInstance());
    private volatile Instant connectedSince = Instant.EPOCH;

    StatusPublisher(PahoClient client, MqttSettings settings, LinkState state) {
        this.client = client;
        this.settings = settings;
        this.topics = settings.topics();
        this.state = state;
    }

    /** Merged into every online status (fields the link sets itself win). */
    void setDetails(JsonNode d) {
        details.set(d == null ? NullNode.getInstance() : d.deepCopy());
        if (state.ready) {
            publishNow();
        }
    }

    /** Connected: online status, then discovery when enabled. */
    void connected() {
        connectedSince = Instant.now();
        publishNow();
        if (settings.homeAssistant().enabled()) {
            publishDiscovery();
        }
    }

    /** A non-retained event on {@code topic} (not through the outbox): leaves the retained state alone. */
    boolean publishEvent(String topic, ObjectNode event, int qos) {
        if (!event.has("device")) {
            event.put("device", topics.deviceId());
        }
        try {
            client.get().publish(topic, PahoSupport.message(event, qos, false), null, PahoSupport.logFailure(topic));
            return true;
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: event on {} not published: {}", topic, e.toString());
            return false;
        }
    }

    void publishNow() {
        try {
            client.get().publish(topics.status(), PahoSupport.message(online(), 1, true), null,
                    PahoSupport.logFailure("status"));
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: status not published: {}", e.toString());
        }
    }

    private void publishDiscovery() {
        String prefix = settings.homeAssistant().discoveryPrefix();
        for (Map.Entry<String, ObjectNode> e : HomeAssistant.configs(PahoSupport.JSON, topics, prefix).entrySet()) {
            try {
                client.get().publish(e.getKey(), PahoSupport.message(e.getValue(), 1, true)).waitForCompletion(5000);
            } catch (MqttException | RuntimeException ex) {
                Logger.warn("MQTT: Home Assistant discovery {} not published: {}", e.getKey(), ex.toString());
                return;
            }
        }
    }

    ObjectNode online() {
        ObjectNode s = PahoSupport.JSON.createObjectNode();
        s.put("state", "online");
        s.put("device", topics.deviceId());
        topics.fleetId().ifPresent(f -> s.put("fleet", f));
        s.put("client_id", settings.clientId());
        s.put("since", connectedSince.toString());
        s.put("ts", Instant.now().toString());
        if (details.get() instanceof ObjectNode d) {
            d.properties().forEach(e -> {
                if (!s.has(e.getKey())) {
                    s.set(e.getKey(), e.getValue());
                }
            });
        }
        return s;
    }

    /** The offline status: as last will (no time: it is sent later, by the broker) or on shutdown. */
    ObjectNode offline(String reason, boolean withTime) {
        ObjectNode s = PahoSupport.JSON.createObjectNode();
        s.put("state", "offline");
        s.put("device", topics.deviceId());
        s.put("reason", reason);
        if (withTime) {
            s.put("ts", Instant.now().toString());
        }
        return s;
    }
}
