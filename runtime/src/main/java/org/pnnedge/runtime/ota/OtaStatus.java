package org.pnnedge.runtime.ota;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One status report of an over-the-air update, emitted at every step. Published as JSON (see
 * {@link #toJson()} and {@code src/site/markdown/ota.md}) on {@code pnn/<deviceId>/ota/status}.
 *
 * @param updateId      the update's id: the sender's ({@link UpdateOptions#updateId()}) or one made up
 * @param step          the step reached; {@link Step#isFinal()} ones end the update
 * @param modelId       the candidate's model id, once known (after verification; {@code null} before or if it
 *                      never verified)
 * @param version       the candidate's version, once known
 * @param keyId         the key that signed the candidate, once verified
 * @param sha256        the candidate's payload SHA-256, once verified
 * @param reason        for {@link Step#REJECTED} / {@link Step#ROLLED_BACK}: a stable lower-case code, either a
 *                      {@link org.pnnedge.models.bundle.BundleException.Reason#code()} or one of the
 *                      {@code REASON_} constants here; otherwise {@code null}
 * @param message       one human-readable sentence on what happened
 * @param activeModelId the model serving after this step
 * @param activeVersion its version
 * @param deviceId      the device's id (topic segment), when the updater was given one
 * @param started       when the update started
 * @param time          when this step was reached
 */
public record OtaStatus(String updateId, Step step, String modelId, String version, String keyId, String sha256,
                        String reason, String message, String activeModelId, String activeVersion, String deviceId,
                        Instant started, Instant time) {
    /** The reference probes did not reproduce within tolerance on this device. */
    public static final String REASON_SELF_TEST_PROBES = "self-test-probes";
    /** The labelled canary set was classified below the required accuracy. */
    public static final String REASON_SELF_TEST_CANARY = "self-test-canary";
    /** The network's digital numbers are implausible (e.g. a readout gain of 1e308): it would answer nonsense. */
    public static final String REASON_SELF_TEST_DEGENERATE = "self-test-degenerate";
    /** The self-test could not run (device error, no spare slot, malformed network section, …). */
    public static final String REASON_SELF_TEST_ERROR = "self-test-error";
    /** The service could not switch to the new model; the previous bundle was restored. */
    public static final String REASON_ACTIVATION_FAILED = "activation-failed";
    /** Reading or writing the bundle store failed (disk full, I/O error). */
    public static final String REASON_STORAGE = "storage";
    /** The runtime stopped (crash, power cut) during the update; reported after the restart. */
    public static final String REASON_INTERRUPTED = "interrupted";
    /** The bundle is signed by a development key and this runtime refuses those. */
    public static final String REASON_DEVELOPMENT_KEY = "development-key";
    /**
     * The bundle's version is below the device's {@link VersionFloor} (the highest version it switched to and kept):
     * a replayed older bundle, e.g. after a rollback or a restored store.
     */
    public static final String REASON_BELOW_VERSION_FLOOR = "below-version-floor";
    /** The version floor file cannot be read, so no update is accepted until it is fixed (the message says how). */
    public static final String REASON_VERSION_FLOOR_UNREADABLE = "version-floor-unreadable";
    /** The bundle is exactly the one already active (a duplicate delivery, or a re-push). */
    public static final String REASON_ALREADY_ACTIVE = "already-active";
    /** An explicit rollback was requested. */
    public static final String REASON_ROLLBACK_REQUESTED = "rollback-requested";

    /** The steps of an update, in order; the last three end it. */
    public enum Step {
        RECEIVED, VERIFIED, STAGED, SELF_TESTED,
        /** Final: the new bundle is active and serving; the one before it is kept for rollback. */
        SWITCHED,
        /** Final: refused at verification; nothing was written, the active bundle keeps serving. */
        REJECTED,
        /** Final: the candidate got onto the disk (or served briefly) and was removed; the bundle before it serves. */
        ROLLED_BACK;

        public boolean isFinal() {
            return this == SWITCHED || this == REJECTED || this == ROLLED_BACK;
        }

        /** {@code in-progress}, {@code switched}, {@code rejected} or {@code rolled-back}. */
        public String outcome() {
            return isFinal() ? name().toLowerCase(Locale.ROOT).replace('_', '-') : "in-progress";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public OtaStatus {
        Objects.requireNonNull(updateId, "updateId");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(time, "time");
    }

    public boolean isFinal() {
        return step.isFinal();
    }

    public String outcome() {
        return step.outcome();
    }

    /** The status as one compact JSON object (null fields left out). */
    public String toJson() {
        return toJsonNode().toString();
    }

    /** The JSON object of {@link #toJson()}, e.g. for {@code MqttLink.publishOtaStatus}. */
    public ObjectNode toJsonNode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("update_id", updateId);
        o.put("step", step.name());
        o.put("outcome", outcome());
        o.put("final", isFinal());
        put(o, "model_id", modelId);
        put(o, "version", version);
        put(o, "key_id", keyId);
        put(o, "payload_sha256", sha256);
        put(o, "reason", reason);
        o.put("message", message);
        put(o, "active_model_id", activeModelId);
        put(o, "active_version", activeVersion);
        put(o, "device", deviceId);
        put(o, "started", started == null ? null : started.toString());
        o.put("ts", time.toString());
        return o;
    }

    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    private static void put(ObjectNode o, String k, String v) {
        if (v != null) {
            o.put(k, v);
        }
    }

    /** Parses {@link #toJson()} output (unknown fields are ignored, so newer senders stay readable). */
    public static OtaStatus fromJson(byte[] json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON OTA status: " + e.getMessage(), e);
        }
        if (o == null || !o.isObject() || !o.path("step").isTextual() || !o.path("update_id").isTextual()) {
            throw new IllegalArgumentException("not an OTA status object (needs \"update_id\" and \"step\")");
        }
        Step step;
        try {
            step = Step.valueOf(o.get("step").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown OTA step \"" + o.get("step").asText() + "\"", e);
        }
        String started = text(o, "started");
        String time = text(o, "ts");
        return new OtaStatus(o.get("update_id").asText(), step, text(o, "model_id"), text(o, "version"),
                text(o, "key_id"), text(o, "payload_sha256"), text(o, "reason"),
                Objects.requireNonNullElse(text(o, "message"), ""), text(o, "active_model_id"),
                text(o, "active_version"), text(o, "device"), started == null ? null : Instant.parse(started),
                time == null ? Instant.EPOCH : Instant.parse(time));
    }

    public static OtaStatus fromJson(String json) {
        return fromJson(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode o, String f) {
        JsonNode v = o.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public String toString() {
        return step + (reason == null ? "" : " [" + reason + "]") + " " + updateId + ": " + message;
    }
}
