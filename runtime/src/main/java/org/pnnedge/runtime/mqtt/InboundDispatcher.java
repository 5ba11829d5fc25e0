package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.pnnedge.bridge.net.RateLimitedLog;
import org.tinylog.Logger;

/**
 * Routes what arrives to the handlers, off Paho's callback thread so a slow handler never delays
 * acknowledgements: inference requests to {@link InferenceRequests}, bundles to their own {@link BundleLane},
 * commands to a <em>command</em> thread here (so a long recalibration delays neither bundles nor the {@code status}
 * command, which is answered at once) once their {@link CommandAuthoriser} admitted them, which it decides on
 * arrival. Acknowledgements are manual: a QoS 1 message is acknowledged once it has a place in a queue (or is
 * answered), never before. Answers go through the {@link Responder}.
 */
final class InboundDispatcher {
    private final PahoClient client;
    private final MqttSettings settings;
    private final Topics topics;
    private final StatusPublisher status;
    private final Responder responder;
    private final InferenceRequests requests;
    private final ThreadPoolExecutor commandExecutor;
    private final BundleLane bundles;
    /** Per command: a failing device would otherwise log at the command rate (the sender gets each error). */
    private final RateLimitedLog commandFailures = new RateLimitedLog(Duration.ofSeconds(10));
    volatile BundleHandler bundleHandler;
    volatile CommandHandler commandHandler;
    volatile CommandAuthoriser commandAuthoriser = CommandAuthoriser.ALLOW_ALL;

    InboundDispatcher(PahoClient client, MqttSettings settings, StatusPublisher status, Runnable reconnect) {
        this.client = client;
        this.settings = settings;
        this.topics = settings.topics();
        this.status = status;
        this.responder = new Responder(client, topics);
        this.requests = new InferenceRequests(settings, responder);
        this.commandExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(COMMAND_QUEUE), r -> PahoSupport.daemon(r, "pnn-mqtt-command"));
        this.bundles = new BundleLane(item -> handleBundle(item.topic(), item.message()),
                busy -> status.publishEvent(topics.otaStatus(), busy, 0), reconnect);
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
        commandExecutor.shutdownNow();
        bundles.shutdown();
    }

    /** Bundles left unacknowledged because their queue was full. */
    long bundlesDeferred() {
        return bundles.deferred();
    }

    /** Commands queued for the command thread before new ones are answered "busy". */
    static final int COMMAND_QUEUE = 16;

    /** Acknowledges {@code message} on the client it arrived on (a rebuilt client never saw it). */
    private Runnable ack(MqttMessage message) {
        var c = client.get();
        return () -> {
            if (message.getQos() == 0 || c != client.get()) {
                return;
            }
            try {
                c.messageArrivedComplete(message.getId(), message.getQos());
            } catch (org.eclipse.paho.mqttv5.common.MqttException | RuntimeException e) {
                Logger.debug("MQTT: acknowledgement not sent: {}", e.toString());
            }
        };
    }

    /** Paho's callback: never throws (Paho would drop the connection). */
    void dispatch(String topic, MqttMessage message) {
        try {
            Runnable ack = ack(message);
            switch (topics.classify(topic)) {
                case INFER_REQUEST, FLEET_INFER_REQUEST -> {
                    requests.dispatch(message); // queued, or answered "busy"
                    ack.run();
                }
                case OTA_BUNDLE, FLEET_OTA_BUNDLE -> bundles.offer(new BundleLane.Item(topic, message, ack));
                case COMMAND, FLEET_COMMAND -> {
                    dispatchCommand(topic, message);
                    ack.run();
                }
                default -> {
                    Logger.debug("MQTT: ignoring message on {}", topic);
                    ack.run();
                }
            }
        } catch (RuntimeException e) {
            Logger.warn("MQTT: failed to dispatch a message on {}: {}", topic, e.toString());
        }
    }

    private void dispatchCommand(String topic, MqttMessage message) {
        String name = Topics.lastLevel(topic);
        if (name.equals("status")) { // answered at once, never behind a running command
            handleCommand(topic, message);
            return;
        }
        // authorised on arrival, before the queue: a refusal is the same however full the queue is, and a refused
        // command never takes a place an authorised one could use
        JsonNode refusal;
        try {
            refusal = commandAuthoriser.refusal(name, topics.classify(topic) == Topics.Inbound.FLEET_COMMAND);
        } catch (RuntimeException e) { // fail closed: a broken authoriser admits nothing
            Logger.warn("MQTT: the command authoriser failed for '{}': {}", name, e.toString());
            refusal = Responder.error("internal", "cannot authorise command '" + name + "'", null);
        }
        if (refusal != null) {
            replyIfAsked(message, refusal);
            return;
        }
        try {
            commandExecutor.execute(() -> handleCommand(topic, message));
        } catch (RejectedExecutionException e) {
            replyIfAsked(message, Responder.error("busy", "too many commands waiting (" + COMMAND_QUEUE
                    + "); retry later", null));
            responder.logBusy("command", topic);
        }
    }

    /** An error answer to the command's response topic, if it names one. */
    private void replyIfAsked(MqttMessage message, JsonNode error) {
        MqttProperties p = message.getProperties();
        if (p != null && p.getResponseTopic() != null) {
            responder.reply(p.getResponseTopic(), p.getCorrelationData(), error, false);
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
            payload = null;
        }
        boolean fleet = topics.classify(topic) == Topics.Inbound.FLEET_COMMAND;
        CommandHandler h = commandHandler;
        JsonNode result;
        boolean ok = true;
        if (payload == null) {
            result = Responder.error("bad_request", "command payload is not JSON", null);
            ok = false;
        } else if (h == null) {
            Logger.info("MQTT: command '{}' ignored: no command handler", name);
            result = Responder.error("no_handler", "no handler for command '" + name + "'", null);
            ok = false;
        } else {
            try {
                result = h.onCommand(new Command(name, topic, fleet, payload));
                ok = result == null || !result.has("error");
            } catch (Exception | Error e) { // an Error too: the sender is answered, not left to time out
                commandFailures.warn("MQTT: command '" + name + "' failed: " + e);
                result = Responder.failure(e, null);
                ok = false;
            }
        }
        if (responseTopic != null) {
            JsonNode body = result == null ? PahoSupport.JSON.createObjectNode().put("ok", true) : result;
            responder.reply(responseTopic, correlation, body, ok);
        }
    }
}
