package org.pnnedge.fleet.monitor;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One device message as the ingest stores it, parsed from its topic ({@code pnn/<d>/telemetry|status|recal|
 * ota/status}) and JSON body. Telemetry fields are read in both shapes in use: the runtime's ({@code model} +
 * {@code model_version}, {@code latency_p95_us}, {@code last_recalibration.drift.uncorrected.rmsRelative}) and the
 * fleet simulator's ({@code model.id/version}, {@code latency_ms.p95}, {@code drift.score},
 * {@code drift.accuracy_estimate}).
 */
public sealed interface Ingested {
    ObjectMapper JSON = new ObjectMapper();

    String device();

    /** The time the row is partitioned by. */
    Instant partitionTime();

    String body();

    /** {@code pnn/<d>/telemetry}. */
    record Telemetry(String device, Instant ts, long seq, Instant received, String model, String modelVersion,
                     Double drift, Double accuracy, Long errorsTotal, Long inferences, Double inferencesPerS,
                     Double latencyP95Ms, Long outboxDropped, String body) implements Ingested {
        @Override
        public Instant partitionTime() {
            return ts;
        }
    }

    /** {@code pnn/<d>/ota/status}. */
    record Ota(String device, Instant ts, String step, Instant received, String updateId, boolean isFinal,
               String reason, String version, String activeModel, String activeVersion, String body) implements Ingested {
        @Override
        public Instant partitionTime() {
            return ts;
        }
    }

    /** {@code pnn/<d>/recal}. */
    record Recal(String device, Instant ts, Instant received, String trigger, String result, Double accuracyBefore,
                 Double accuracyAfter, String body) implements Ingested {
        @Override
        public Instant partitionTime() {
            return ts;
        }
    }

    /** {@code pnn/<d>/status} (retained: sent on subscribe rather than seen live). */
    record Status(String device, Instant received, String state, String reason, String model, String modelVersion,
                  boolean retained, String body) implements Ingested {
        @Override
        public Instant partitionTime() {
            return received;
        }
    }

    /**
     * Parses one message; throws {@link IllegalArgumentException} naming what is wrong (not JSON, a missing
     * {@code ts} or {@code seq}, a topic that is not a device topic).
     */
    static Ingested parse(String topic, byte[] payload, Instant received, boolean retained) {
        String[] t = topic.split("/", 3);
        if (t.length < 3 || !t[0].equals("pnn") || t[1].isEmpty()) {
            throw new IllegalArgumentException("not a device topic: " + topic);
        }
        String device = t[1];
        JsonNode j;
        try {
            j = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException(topic + ": not JSON (" + e.getMessage() + ")");
        }
        if (j == null || !j.isObject()) {
            throw new IllegalArgumentException(topic + ": not a JSON object");
        }
        String body = j.toString();
        return switch (t[2]) {
            case "telemetry" -> {
                JsonNode model = j.path("model");
                JsonNode drift = j.path("drift");
                Double driftValue = num(j.at("/last_recalibration/drift/uncorrected/rmsRelative"));
                if (driftValue == null) {
                    driftValue = num(drift.path("score"));
                }
                Double p95 = num(j.path("latency_ms").path("p95"));
                Double p95us = num(j.path("latency_p95_us"));
                if (p95 == null && p95us != null) {
                    p95 = p95us / 1000.0;
                }
                if (!j.path("seq").canConvertToLong()) {
                    throw new IllegalArgumentException(topic + ": telemetry without a numeric seq");
                }
                yield new Telemetry(device, time(topic, j), j.path("seq").asLong(), received,
                        model.isObject() ? text(model.path("id")) : text(model),
                        model.isObject() ? text(model.path("version")) : text(j.path("model_version")),
                        driftValue, num(drift.path("accuracy_estimate")), lng(j.path("errors_total")),
                        lng(j.path("inferences")), num(j.path("inferences_per_s")), p95, lng(j.path("outbox_dropped")),
                        body);
            }
            case "ota/status" -> new Ota(device, time(topic, j), requireText(topic, j, "step"), received,
                    text(j.path("update_id")), j.path("final").asBoolean(false), text(j.path("reason")),
                    text(j.path("version")), text(j.path("active_model_id")), text(j.path("active_version")), body);
            case "recal" -> new Recal(device, time(topic, j), received, text(j.path("trigger")), text(j.path("result")),
                    num(j.path("before").path("accuracy")), num(j.path("after").path("accuracy")), body);
            case "status" -> new Status(device, received, requireText(topic, j, "state"), text(j.path("reason")),
                    text(j.path("model_id")), text(j.path("model_version")), retained, body);
            default -> throw new IllegalArgumentException("not an ingested topic: " + topic);
        };
    }

    private static Instant time(String topic, JsonNode j) {
        String ts = j.path("ts").asText("");
        try {
            return Instant.parse(ts);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(topic + ": \"ts\" is not an ISO-8601 instant: '" + ts + "'");
        }
    }

    private static String requireText(String topic, JsonNode j, String field) {
        String v = text(j.path(field));
        if (v == null) {
            throw new IllegalArgumentException(topic + ": no \"" + field + "\"");
        }
        return v;
    }

    private static String text(JsonNode n) {
        return n.isValueNode() && !n.isNull() && !n.asText().isEmpty() ? n.asText() : null;
    }

    private static Double num(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    private static Long lng(JsonNode n) {
        return n.isIntegralNumber() ? n.asLong() : null;
    }
}
