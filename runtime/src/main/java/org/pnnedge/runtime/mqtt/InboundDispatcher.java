package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * Routes what arrives to the handlers, off Paho's callback thread so a slow handler never delays
 * acknowledgements: inference requests to {@link InferenceRequests}, bundles and commands to an <em>inbound</em>
 * thread here. Answers go through the {@link Responder}.
 */
final class InboundDispatcher {
    private final MqttAsyncClient client;
    private final MqttSettings settings;
    private final Topics topics;
    private final StatusPublisher status;
    private final Responder responder;
    private final InferenceRequests requests;
    private final ThreadPoolExecutor inboundExecutor;
    volatile BundleHandler bundleHandler;
    volatile CommandHandler commandHandler;

    InboundDispatcher(MqttAsyncClient client, MqttSettings settings, StatusPublisher status) {
        this.client = client;
        this.settings = settings;
        this.topics = settings.topics();
        this.status = status;
        this.responder = new Responder(client, topics);
        this.requests = new InferenceRequests(settings, responder);
        this.inboundExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64), r -> PahoSupport.daemon(r, "pnn-mqtt-inbound"));
    }

    void onInferenceRequest(RequestHandler handler) {
        requests.handler = handler;
    }

    long requestsHandled() {
        return requests.handled();
    }

    long requestsRejected() {
        return requests.rejected();
    }

    void shutdown() {
        requests.shutdown();
        inboundExecutor.shutdownNow();
    }

    /** Paho's callback: never throws (Paho would drop the connection). */
    void dispatch(String topic, MqttMessage message) {
        try {
            switch (topics.classify(topic)) {
                case INFER_REQUEST, FLEET_INFER_REQUEST -> requests.dispatch(message);
                case OTA_BUNDLE, FLEET_OTA_BUNDLE -> dispatchInbound(topic, () -> handleBundle(topic, message));
                case COMMAND, FLEET_COMMAND -> dispatchInbound(topic, () -> handleCommand(topic, message));
                default -> Logger.debug("MQTT: ignoring message on {}", topic);
            }
        } catch (RuntimeException e) {
            Logger.warn("MQTT: failed to dispatch a message on {}: {}", topic, e.toString());
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
                responder.reply(responseTopic, correlation, status.online(), true);
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
            result = Responder.error("no_handler", "no handler for command '" + name + "'", null);
            ok = false;
        } else {
            try {
                result = h.onCommand(new Command(name, topic, fleet, payload));
            } catch (Exception e) {
                Logger.warn("MQTT: command '{}' failed: {}", name, e.toString());
                result = Responder.error(e instanceof IllegalArgumentException ? "bad_request" : "internal",
                        String.valueOf(e), null);
                ok = false;
            }
        }
        if (responseTopic != null) {
            JsonNode body = result == null ? PahoSupport.JSON.createObjectNode().put("ok", true) : result;
            responder.reply(responseTopic, correlation, body, ok);
        }
    }
}
