package org.pnnedge.runtime.mqtt;

import java.util.Map;
import java.util.Objects;

/**
 * A model bundle as received over MQTT: the raw bytes (the OTA module verifies the signature).
 *
 * @param topic          the topic it arrived on
 * @param fleet          true when it came on the fleet topic
 * @param payload        the bundle bytes
 * @param retained       true when the broker delivered it as a retained message
 * @param userProperties MQTT 5 user properties of the message (e.g. a publisher's {@code sha256})
 */
public record OtaBundle(String topic, boolean fleet, byte[] payload, boolean retained,
                        Map<String, String> userProperties) {
    public OtaBundle {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        userProperties = Map.copyOf(userProperties);
    }

    @Override
    public String toString() {
        return "OtaBundle[" + topic + ", " + payload.length + " bytes" + (retained ? ", retained" : "") + "]";
    }
}
