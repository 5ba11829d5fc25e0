package org.pnnedge.runtime.edge;

import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.runtime.mqtt.MqttLink;
import org.pnnedge.runtime.ota.OtaStatus;
import org.tinylog.Logger;

/**
 * Decides how an OTA status goes out over MQTT. The retained {@code ota/status} is the device's update <em>state</em>:
 * only what a trusted signature vouches for may change it (a status naming the signing key: verified and later steps)
 * and the outcome of an update recovered after a crash. Statuses of bundles that never verified (garbage, foreign or
 * tampered signatures) are events: non-retained, outside the outbox, and at most one final and one other per
 * {@link #EVENT_INTERVAL_NANOS} (the rest counted), so a flood of garbage can neither overwrite the state nor fill
 * the outbox and the log. A verified bundle that changes nothing (the active one again: a QoS 1 re-delivery, a
 * re-push, a rollout's re-send) is an event too, so the retained state stays the switch it repeats; it is not
 * rate-limited, since only a trusted signature gets that far.
 */
final class OtaStatusGate {
    static final long EVENT_INTERVAL_NANOS = 1_000_000_000L;

    private final MqttLink mqtt;
    private final AtomicLong suppressed = new AtomicLong();
    /** When the last in-progress [0] and final [1] event went out. */
    private final long[] lastEvent = {System.nanoTime() - EVENT_INTERVAL_NANOS,
            System.nanoTime() - EVENT_INTERVAL_NANOS};

    OtaStatusGate(MqttLink mqtt) {
        this.mqtt = mqtt;
    }

    /** A status from the OTA updater. */
    void publish(JsonNode status) {
        if (changesNothing(status)) {
            mqtt.publishOtaEvent(status);
            return;
        }
        if (isState(status)) {
            mqtt.publishOtaStatus(status);
            return;
        }
        // finals (the refusal a publisher waits for) and the rest have a budget each, so a RECEIVED just before
        // cannot use up the slot of its own REJECTED
        int kind = status.path("final").asBoolean() ? 1 : 0;
        long n;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - lastEvent[kind] < EVENT_INTERVAL_NANOS) {
                long s = suppressed.incrementAndGet();
                if (s % 1000 == 1) {
                    Logger.warn("OTA: statuses of unverified bundles are being rate-limited ({} not published so "
                            + "far)", s);
                }
                return;
            }
            lastEvent[kind] = now;
            n = suppressed.get();
        }
        ObjectNode event = status.deepCopy();
        if (n > 0) {
            event.put("unverified_not_reported", n);
        }
        mqtt.publishOtaEvent(event);
    }

    /** State: a step a trusted key vouches for, or a recovery's final outcome; never one that changes nothing. */
    static boolean isState(JsonNode status) {
        String outcome = status.path("outcome").asText("");
        return !changesNothing(status)
                && (status.hasNonNull("key_id") || outcome.equals("switched") || outcome.equals("rolled-back"));
    }

    /** The active bundle delivered again: the update state it would replace is the one it repeats. */
    static boolean changesNothing(JsonNode status) {
        return OtaStatus.REASON_ALREADY_ACTIVE.equals(status.path("reason").asText(""));
    }
}
