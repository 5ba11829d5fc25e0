package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.tinylog.Logger;

/**
 * Routes what arrives to the handlers, off Paho's callback thread so a slow handler never delays
 * acknowledgements: inference requests to a <em>request</em> thread (a bounded queue; beyond it the requester is
 * answered "busy"), bundles and commands to an <em>inbound</em> thread. Answers go to the MQTT 5 response topic
 * with the request's correlation data.
 */
final class InboundDispatcher {
    private final MqttAsyncClient client;
    private final MqttSettings settings;
    private final Topics topics;
    private final StatusPublisher status;
    private final ThreadPoolExecutor requestExecutor;
    private final ThreadPoolExecutor inboundExecutor;
    private final AtomicLong requestsHandled = new AtomicLong();
    private final AtomicLong requestsRejected = new AtomicLong();
    volatile RequestHandler requestHandler;
    volatile BundleHandler bundleHandler;
    volatile CommandHandler commandHandler;

    InboundDispatcher(MqttAsyncClient client, MqttSettings settings, StatusPublisher status) {
        this.client = client;
        this.settings = settings;
        this.topics = settings.topics();
        this.status = status;
        this.requestExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.maxPendingRequests()),
                r -> PahoSupport.daemon(r, "pnn-mqtt-request"));
        this.inboundExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64), r -> PahoSupport.daemon(r, "pnn-mqtt-inbound"));
    }

    long requestsHandled() {
        return requestsHandled.get();
    }

    long requestsRejected() {
        return requestsRejected.get();
    }

    void shutdown() {
        requestExecutor.shutdownNow();
        inboundExecutor.shutdownNow();
    }

    /** Paho's callback: never throws (Paho would drop the connection). */
    void dispatch(String topic, MqttMessage message) {
        try {
            switch (topics.classify(topic)) {
                case INFER_REQUEST, FLEET_INFER_REQUEST -> dispatchRequest(message);
                case OTA_BUNDLE, FLEET_OTA_BUNDLE -> dispatchInbound(topic, () -> handleBundle(topic, message));
                case COMMAND, FLEET_COMMAND -> dispatchInbound(topic, () -> handleCommand(topic, message));
                default -> Logger.debug("MQTT: ignoring message on {}", topic);
            }
        } catch (RuntimeException e) {
            Logger.warn("MQTT: failed to dispatch a message on {}: {}", topic, e.toString());
        }
    }

    private void dispatchRequest(MqttMessage message) {
        MqttProperties p = message.getProperties();
        String responseTopic = p == null || p.getResponseTopic() == null ? topics.inferResponse() : p.getResponseTopic();
        byte[] correlation = p == null ? null : p.getCorrelationData();
        byte[] payload = message.getPayload();
        try {
            requestExecutor.execute(() -> handleRequest(payload, responseTopic, correlation));
        } catch (RejectedExecutionException e) {
            requestsRejected.incrementAndGet();
            reply(responseTopic, correlation, error("busy", "too many pending requests ("
                    + settings.maxPendingRequests() + "); retry later", null), false);
        }
    }

    private void handleRequest(byte[] payload, String responseTopic, byte[] correlation) {
        requestsHandled.incrementAndGet();
        JsonNode request;
        try {
            request = PahoSupport.JSON.readTree(payload);
            if (request == null || request.isMissingNode()) {
                throw new IOException("empty payload");
            }
        } catch (IOException e) {
            reply(responseTopic, correlation, error("bad_request", "payload is not JSON: " + e.getMessage(), null),
                    false);
            return;
        }
        JsonNode id = request.get("id");
        RequestHandler h = requestHandler;
        if (h == null) {
            reply(responseTopic, correlation, error("no_handler", "inference is not available on this device", id),
                    false);
            return;
        }
        try {
            JsonNode out = h.handle(request);
            JsonNode body = out == null ? PahoSupport.JSON.createObjectNode() : out;
            if (id != null && body instanceof ObjectNode ob && !ob.has("id")) {
                ob.set("id", id);
            }
            reply(responseTopic, correlation, body, true);
        } catch (IllegalArgumentException e) {
            reply(responseTopic, correlation, error("bad_request", e.getMessage(), id), false);
        } catch (Exception e) {
            Logger.warn("MQTT: inference request failed: {}", e.toString());
            reply(responseTopic, correlation, error("internal", String.valueOf(e), id), false);
        }
    }

    private static ObjectNode error(String kind, String message, JsonNode id) {
        ObjectNode o = PahoSupport.JSON.createObjectNode();
        if (id != null) {
            o.set("id", id);
        }
        ObjectNode e = o.putObject("error");
        e.put("kind", kind);
        e.put("message", message == null ? kind : message);
        return o;
    }

    private void reply(String responseTopic, byte[] correlation, JsonNode body, boolean ok) {
        if (!client.isConnected()) {
            Logger.debug("MQTT: reply to {} dropped: not connected", responseTopic);
            return;
        }
        MqttProperties props = PahoSupport.jsonProperties();
        if (correlation != null) {
            props.setCorrelationData(correlation);
        }
        props.setUserProperties(List.of(new UserProperty("status", ok ? "ok" : "error")));
        try {
            client.publish(responseTopic, new MqttMessage(PahoSupport.bytes(body), 0, false, props));
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: reply to {} not sent: {}", responseTopic, e.toString());
        }
    }

    private void dispatchInbound(String topic, Runnable task) {
        try {
            inboundExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            Logger.warn("MQTT: inbound queue full; message on {} dropped", topic);
        }
    }

    private void handleBundle(String topic, MqttMessage message) {
        BundleHandler h = bundleHandler;
        if (h == null) {
            return;
        }
        Map<String, String> props = new LinkedHashMap<>();
        MqttProperties p = message.getProperties();
        if (p != null && p.getUserProperties() != null) {
            p.getUserProperties().forEach(u -> props.put(u.getKey(), u.getValue()));
        }
        OtaBundle bundle = new OtaBundle(topic, topics.classify(topic) == Topics.Inbound.FLEET_OTA_BUNDLE,
                message.getPayload(), message.isRetained(), props);
        try {
            h.onBundle(bundle);
        } catch (Exception e) {
            Logger.warn("MQTT: bundle handler failed for {}: {}", bundle, e.toString());
        }
    }

    private void handleCommand(String topic, MqttMessage message) {
        String name = Topics.lastLevel(topic);
        MqttProperties p = message.getProperties();
        String responseTopic = p == null ? null : p.getResponseTopic();
        byte[] correlation = p == null ? null : p.getCorrelationData();
        if (name.equals("status")) { // the link answers this itself: it works without a command handler
            status.publishNow();
            if (responseTopic != null) {
                reply(responseTopic, correlation, status.online(), true);
            }
            return;
        }
        JsonNode payload;
        try {
            payload = message.getPayload().length == 0 ? NullNode.getInstance()
                    : PahoSupport.JSON.readTree(message.getPayload());
        } catch (IOException e) {
            payload = NullNode.getInstance();
        }
        boolean fleet = topics.classify(topic) == Topics.Inbound.FLEET_COMMAND;
        CommandHandler h = commandHandler;
        JsonNode result;
        boolean ok = true;
        if (h == null) {
            Logger.info("MQTT: command '{}' ignored: no command handler", name);
            result = error("no_handler", "no handler for command '" + name + "'", null);
            ok = false;
        } else {
            try {
                result = h.onCommand(new Command(name, topic, fleet, payload));
            } catch (Exception e) {
                Logger.warn("MQTT: command '{}' failed: {}", name, e.toString());
                result = error(e instanceof IllegalArgumentException ? "bad_request" : "internal", String.valueOf(e),
                        null);
                ok = false;
            }
        }
        if (responseTopic != null) {
            reply(responseTopic, correlation, result == null ? PahoSupport.JSON.createObjectNode().put("ok", true)
                    : result, ok);
        }
    }
}
