package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.pnnedge.bridge.net.RateLimitedLog;

/**
 * Inference requests (MQTT 5 request/response): queued for one <em>request</em> thread that runs the handler;
 * beyond {@link MqttSettings#maxPendingRequests()} waiting, the requester is answered "busy" at once.
 */
final class InferenceRequests {
    private final Topics topics;
    private final int maxPending;
    private final Responder responder;
    private final ThreadPoolExecutor executor;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Per request: a failing device would otherwise log at the request rate (the requester gets each error). */
    private final RateLimitedLog failures = new RateLimitedLog(Duration.ofSeconds(10));
    volatile RequestHandler handler;

    InferenceRequests(MqttSettings settings, Responder responder) {
        this.topics = settings.topics();
        this.maxPending = settings.maxPendingRequests();
        this.responder = responder;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(maxPending),
                r -> PahoSupport.daemon(r, "pnn-mqtt-request"));
    }

    long handled() {
        return handled.get();
    }

    long rejected() {
        return rejected.get();
    }

    void shutdown() {
        executor.shutdownNow();
    }

    /** On Paho's callback thread: queue the request, or answer "busy". */
    void dispatch(MqttMessage message) {
        MqttProperties p = message.getProperties();
        String responseTopic = p == null || p.getResponseTopic() == null ? topics.inferResponse() : p.getResponseTopic();
        byte[] correlation = p == null ? null : p.getCorrelationData();
        byte[] payload = message.getPayload();
        try {
            executor.execute(() -> handle(payload, responseTopic, correlation));
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            responder.logBusy("inference request", responseTopic);
            responder.reply(responseTopic, correlation, Responder.error("busy", "too many pending requests ("
                    + maxPending + "); retry later", null), false);
        }
    }

    private void handle(byte[] payload, String responseTopic, byte[] correlation) {
        handled.incrementAndGet();
        JsonNode request;
        try {
            request = PahoSupport.JSON.readTree(payload);
            if (request == null || request.isMissingNode()) {
                throw new IOException("empty payload");
            }
        } catch (IOException e) {
            responder.reply(responseTopic, correlation, Responder.error("bad_request", "payload is not JSON: "
                    + e.getMessage(), null), false);
            return;
        }
        JsonNode id = request.get("id");
        RequestHandler h = handler;
        if (h == null) {
            responder.reply(responseTopic, correlation, Responder.error("no_handler",
                    "inference is not available on this device", id), false);
            return;
        }
        try {
            JsonNode out = h.handle(request);
            JsonNode body = out == null ? PahoSupport.JSON.createObjectNode() : out;
            if (id != null && body instanceof ObjectNode ob && !ob.has("id")) {
                ob.set("id", id); // so a requester can match answers without correlation data
            }
            responder.reply(responseTopic, correlation, body, !body.has("error"));
        } catch (Exception | Error e) { // an Error (e.g. out of memory) too: answer it, the pool keeps its thread
            if (!(e instanceof IllegalArgumentException)) {
                failures.warn("MQTT: inference request failed: " + e);
            }
            responder.reply(responseTopic, correlation, Responder.failure(e, id), false);
        }
    }
}
