package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.tinylog.Logger;

/**
 * Puts telemetry, recalibration reports and OTA status into the disk outbox, and is the thread that publishes
 * the outbox in order while the link is ready, with up to {@link #WINDOW} messages in flight, deleting each
 * file on its PUBACK.
 */
final class OutboxDrainer implements Runnable {
    /** Outbox messages in flight at once: below every broker's receive maximum (HiveMQ 10, Mosquitto 20). */
    static final int WINDOW = 4;

    private final PahoClient client;
    private final MqttSettings settings;
    private final LinkState state;
    private final Outbox outbox;
    /** seq → nanoTime of publish. */
    private final Map<Long, Long> inflight = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    /** Held while a message leaves the outbox and counts as delivered, so stats never see one without the other. */
    private final Object acknowledging = new Object();
    /** Test hook: the loop dies of this once, as if it had run out of memory. */
    volatile Error dieForTest;

    OutboxDrainer(PahoClient client, MqttSettings settings, LinkState state, Outbox outbox) {
        this.client = client;
        this.settings = settings;
        this.state = state;
        this.outbox = outbox;
    }

    long delivered() {
        return delivered.get();
    }

    /** {@code read} with no acknowledgement half done (outbox size and delivered count agree). */
    <T> T consistently(Supplier<T> read) {
        synchronized (acknowledging) {
            return read.get();
        }
    }

    /** No publish is waiting for its PUBACK. */
    boolean idle() {
        return inflight.isEmpty();
    }

    /** The connection is gone: Paho fails or re-sends what was in flight; the files are still in the outbox. */
    void connectionLost() {
        inflight.clear();
    }

    /**
     * {@code node} with the envelope fields {@code device} and {@code ts} (when absent); a non-object is wrapped as
     * {@code {"data": …}}. Null when closing or there is nothing to send.
     */
    ObjectNode envelope(JsonNode node) {
        if (state.closing || node == null) {
            return null;
        }
        ObjectNode o;
        if (node instanceof ObjectNode on) {
            o = on.deepCopy();
        } else {
            o = PahoSupport.JSON.createObjectNode();
            o.set("data", node);
        }
        if (!o.has("device")) {
            o.put("device", settings.topics().deviceId());
        }
        if (!o.has("ts")) {
            o.put("ts", Instant.now().toString());
        }
        return o;
    }

    /** Queues a message on disk and wakes the drainer; false (logged) when the outbox cannot take it. */
    boolean enqueue(String topic, int qos, boolean retained, JsonNode payload) {
        try {
            outbox.add(topic, qos, retained, PahoSupport.bytes(payload));
            state.wake();
            return true;
        } catch (IOException | RuntimeException e) {
            Logger.warn("MQTT: could not queue a message for {}: {}", topic, e.toString());
            return false;
        }
    }

    /** Like {@link #enqueue}, for a message reporting the outbox's unreported drops ({@link Outbox#addReporting}). */
    boolean enqueueReporting(String topic, int qos, boolean retained, java.util.function.LongFunction<byte[]> payload) {
        try {
            outbox.addReporting(topic, qos, retained, payload);
            state.wake();
            return true;
        } catch (IOException | RuntimeException e) {
            Logger.warn("MQTT: could not queue a message for {}: {}", topic, e.toString());
            return false;
        }
    }

    @Override
    public void run() {
        long timeoutNanos = settings.outbox().publishTimeout().toNanos();
        while (!state.closing) {
            Error die = dieForTest;
            if (die != null) {
                dieForTest = null;
                throw die;
            }
            if (!state.ready) {
                state.waitSignal(500);
                continue;
            }
            long now = System.nanoTime();
            inflight.entrySet().removeIf(e -> now - e.getValue() > timeoutNanos); // retried (maybe duplicated)
            int free = WINDOW - inflight.size();
            if (free <= 0) {
                state.waitSignal(200);
                continue;
            }
            List<Outbox.Message> batch = outbox.peek(free, inflight.keySet());
            if (batch.isEmpty()) {
                state.waitSignal(500);
                continue;
            }
            publish(batch);
        }
    }

    private void publish(List<Outbox.Message> batch) {
        for (Outbox.Message m : batch) {
            if (!state.ready || state.closing) {
                break;
            }
            long seq = m.seq();
            inflight.put(seq, System.nanoTime());
            try {
                MqttMessage msg = new MqttMessage(m.payload(), m.qos(), m.retained(), PahoSupport.jsonProperties());
                client.get().publish(m.topic(), msg, null, acknowledgement(seq));
            } catch (MqttException | RuntimeException e) {
                inflight.remove(seq);
                Logger.debug("MQTT: outbox publish deferred: {}", e.toString());
                state.waitSignal(200);
                break;
            }
        }
    }

    private MqttActionListener acknowledgement(long seq) {
        return new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                synchronized (acknowledging) {
                    if (outbox.remove(seq)) {
                        delivered.incrementAndGet();
                    }
                }
                inflight.remove(seq);
                state.wake();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                Logger.debug("MQTT: outbox message {} not acknowledged: {}", seq, e.toString());
                inflight.remove(seq);
                state.wake();
            }
        };
    }
}
