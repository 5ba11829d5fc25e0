package org.pnnedge.runtime.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Home Assistant MQTT discovery: retained config messages that make the device appear with sensors fed by
 * the telemetry topic (the "Heard vowel" sensor by the heard topic), availability from the status topic and a
 * "Recalibrate" button.
 */
final class HomeAssistant {
    private HomeAssistant() {
    }

    /** topic → config payload, in publishing order. */
    static Map<String, ObjectNode> configs(ObjectMapper json, Topics topics, String discoveryPrefix) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        sensor(json, topics, discoveryPrefix, out, "inferences_per_s", "Inferences per second",
                number("value_json.inferences_per_s", "%s"), "inf/s", "measurement", null);
        sensor(json, topics, discoveryPrefix, out, "latency_p50", "Latency p50",
                number("value_json.latency_p50_us", "(%s / 1000) | round(2)"), "ms", "measurement", "duration");
        sensor(json, topics, discoveryPrefix, out, "latency_p95", "Latency p95",
                number("value_json.latency_p95_us", "(%s / 1000) | round(2)"), "ms", "measurement", "duration");
        sensor(json, topics, discoveryPrefix, out, "latency_p99", "Latency p99",
                number("value_json.latency_p99_us", "(%s / 1000) | round(2)"), "ms", "measurement", "duration");
        sensor(json, topics, discoveryPrefix, out, "errors_total", "Errors",
                number("value_json.errors_total", "%s"), null, "total_increasing", null);
        sensor(json, topics, discoveryPrefix, out, "drift", "Drift",
                number("value_json.last_recalibration.drift.uncorrected.rmsRelative", "%s"), null,
                "measurement", null);
        sensor(json, topics, discoveryPrefix, out, "model", "Active model",
                "{{ value_json.model }} {{ value_json.model_version }}",
                null, null, null);
        // lands in Home Assistant's energy dashboard: a running total in kWh that only grows (a restart resets it,
        // which total_increasing treats as a new meter cycle)
        sensor(json, topics, discoveryPrefix, out, "energy_total", "Energy",
                number("value_json.energy.total_kwh", "%s"), "kWh", "total_increasing", "energy");
        sensor(json, topics, discoveryPrefix, out, "energy_per_inference", "Energy per inference",
                number("value_json.energy.per_inference_mean_j", "%s"), "J", "measurement", null);
        sensor(json, topics, discoveryPrefix, out, "outbox_pending", "Outbox pending",
                number("value_json.outbox_pending", "%s"), "messages", "measurement", null);
        // the last vowel heard (pnn listen --publish): its own topic, every field of the event as an attribute
        ObjectNode heard = base(json, topics, "heard", "Heard vowel");
        heard.put("state_topic", topics.heard());
        heard.put("value_template", "{{ value_json.label }}");
        heard.put("json_attributes_topic", topics.heard());
        out.put(topics.homeAssistantConfig(discoveryPrefix, "sensor", "heard"), heard);

        ObjectNode button = base(json, topics, "recalibrate", "Recalibrate");
        button.put("command_topic", topics.command("recalibrate"));
        button.put("payload_press", "{\"source\":\"home_assistant\"}");
        out.put(topics.homeAssistantConfig(discoveryPrefix, "button", "recalibrate"), button);
        return out;
    }

    /**
     * A numeric sensor's template: {@code expr} (where {@code %s} stands for the field) when the field is a number,
     * else {@code none}, which Home Assistant shows as unknown. A figure that does not exist yet is {@code null}
     * (before the first inference) or absent (the first telemetry's rate); {@code null / 1000} is a template error.
     */
    static String number(String field, String expr) {
        // every object on the way must be there (last_recalibration is absent before the first one): an attribute
        // of an undefined value is a template error too
        StringBuilder guard = new StringBuilder();
        String[] parts = field.split("\\.");
        String path = parts[0];
        for (int i = 1; i < parts.length - 1; i++) {
            path += "." + parts[i];
            guard.append(path).append(" is mapping and ");
        }
        return "{{ " + expr.formatted(field) + " if " + guard + field + " is number else none }}";
    }

    private static void sensor(ObjectMapper json, Topics topics, String prefix, Map<String, ObjectNode> out,
                               String object, String name, String template, String unit, String stateClass,
                               String deviceClass) {
        ObjectNode c = base(json, topics, object, name);
        c.put("state_topic", topics.telemetry());
        c.put("value_template", template);
        if (unit != null) {
            c.put("unit_of_measurement", unit);
        }
        if (stateClass != null) {
            c.put("state_class", stateClass);
        }
        if (deviceClass != null) {
            c.put("device_class", deviceClass);
        }
        out.put(topics.homeAssistantConfig(prefix, "sensor", object), c);
    }

    private static ObjectNode base(ObjectMapper json, Topics topics, String object, String name) {
        String dev = topics.deviceId();
        ObjectNode c = json.createObjectNode();
        c.put("name", name);
        c.put("unique_id", "pnn_" + dev + "_" + object);
        c.put("object_id", "pnn_" + dev + "_" + object);
        c.put("availability_topic", topics.status());
        c.put("availability_template", "{{ value_json.state }}");
        c.put("payload_available", "online");
        c.put("payload_not_available", "offline");
        ObjectNode d = c.putObject("device");
        d.putArray("identifiers").add("pnn_" + dev);
        d.put("name", "PNN " + dev);
        d.put("manufacturer", "PNN Edge");
        d.put("model", "Physical neural network edge runtime");
        return c;
    }
}
