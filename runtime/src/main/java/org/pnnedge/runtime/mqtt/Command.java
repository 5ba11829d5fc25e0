package org.pnnedge.runtime.mqtt;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A command received over MQTT.
 *
 * @param name    the last topic level, e.g. {@code recalibrate}
 * @param topic   the full topic
 * @param fleet   true when sent to the whole fleet
 * @param payload the JSON payload ({@link NullNode} when empty or not JSON)
 */
public record Command(String name, String topic, boolean fleet, JsonNode payload) {
    public Command {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        payload = payload == null ? NullNode.getInstance() : payload;
    }
}
