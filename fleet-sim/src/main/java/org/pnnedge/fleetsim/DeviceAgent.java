package org.pnnedge.fleetsim;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;

import org.pnnedge.runtime.mqtt.Backoff;
import org.pnnedge.runtime.mqtt.FailoverOrder;
import org.pnnedge.runtime.mqtt.Topics;
import org.pnnedge.runtime.ota.OtaStatus;
import org.pnnedge.runtime.ota.OtaUpdater;
import org.pnnedge.runtime.ota.UpdateOptions;

/**
 * One simulated device on a shared, multiplexed HiveMQ client executor: the runtime's MQTT contract
 * ({@code src/site/markdown/mqtt.md}) — a persistent session (clean start off), the retained {@code offline} will,
 * the retained {@code online} status on every connect, QoS 1 telemetry in the runtime's JSON shape, and OTA
 * bundles on {@code pnn/<d>/ota/bundle} and {@code pnn/fleet/<f>/ota/bundle} handed to the runtime's own
 * {@link OtaUpdater} (real signature check, {@link EmulatedUnitSelfTest}), whose every status goes to the retained
 * {@code pnn/<d>/ota/status}; inference requests on {@code pnn/<d>/infer/request} answered like the runtime
 * ({@link InferenceResponder}). After a dropped connection the client reconnects to the next node of its own order
 * ({@link #order}: its home node, then the others in the runtime's {@link FailoverOrder}) after a jittered back-off
 * ({@link Backoff}: a random wait in the first window, the window doubling on each failure, like the runtime).
 */
final class DeviceAgent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "pnn";
    /** Telemetry messages awaiting their PUBACK per device; beyond it a period is skipped (and counted), not queued. */
    private static final int MAX_TELEMETRY_IN_FLIGHT = 16;

    /** How the agent reaches the cluster and where its OTA work runs. */
    record Wiring(List<InetSocketAddress> servers, MqttClientExecutorConfig executor, ExecutorService otaWorkers,
                  java.util.function.Function<DeviceAgent, OtaUpdater> updaters, InferenceResponder inference,
                  Backoff reconnect) {
    }

    private final String id;
    private final String fleet;
    private final int index;
    private final boolean bad;
    private final Wiring wiring;
    private final Mqtt5AsyncClient client;
    private final AtomicLong seq = new AtomicLong();
    /** Home node first, then the fail-over nodes in this device's order; walked one step per reconnect. */
    private final List<InetSocketAddress> servers;
    private final AtomicInteger nextServer = new AtomicInteger();
    private final AtomicLong otaDropped = new AtomicLong();
    private final AtomicInteger telemetryInFlight = new AtomicInteger();
    private final AtomicLong telemetrySkipped = new AtomicLong();
    private volatile OtaUpdater updater;
    private volatile Instant since = Instant.now();
    private volatile String modelId = "";
    private volatile String modelVersion = "";
    private final Topics topics;

    DeviceAgent(String id, String password, String fleet, int index, boolean bad, Wiring wiring) {
        this.id = id;
        this.fleet = fleet;
        this.index = index;
        this.bad = bad;
        this.wiring = wiring;
        this.servers = order(id, index, wiring.servers());
        this.topics = new Topics(PREFIX, id, java.util.Optional.of(fleet));
        InetSocketAddress first = servers.get(0);
        ObjectNode will = JSON.createObjectNode().put("state", "offline").put("device", id).put("reason", "connection lost");
        this.client = MqttClient.builder().useMqttVersion5()
                .identifier("pnn-" + id)
                .serverAddress(first)
                .executorConfig(wiring.executor())
                .simpleAuth().username(id).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .willPublish().topic(topic("status")).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(bytes(will)).contentType("application/json")
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).applyWillPublish()
                .addDisconnectedListener(ctx -> {
                    if (ctx.getSource() == MqttDisconnectSource.USER) {
                        return; // stop(): no reconnect
                    }
                    // jittered back-off (Backoff, like the runtime), to the next node of this device's order on
                    // every reconnect, like the runtime's mqtt.servers (FailoverOrder)
                    List<InetSocketAddress> s = servers;
                    MqttClientReconnector r = ctx.getReconnector();
                    r.reconnect(true)
                            .delay(wiring.reconnect().delay(r.getAttempts(), ThreadLocalRandom.current()).toMillis(),
                                    TimeUnit.MILLISECONDS)
                            .transportConfig().serverAddress(s.get(nextServer.incrementAndGet() % s.size()))
                            .applyTransportConfig();
                })
                .addConnectedListener(ctx -> {
                    since = Instant.now();
                    publishStatus();
                })
                .buildAsync();
        // registered before connecting: bundles queued in the persistent session arrive right after CONNACK
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
    }

    /**
     * The nodes an agent walks: its home node {@code servers[index mod n]} (devices spread over the nodes by index),
     * then the other nodes in cyclic order after it, rotated by the id as the runtime rotates its
     * {@code mqtt.servers} ({@link FailoverOrder}), so a dead node's devices spread over all the survivors.
     */
    static <T> List<T> order(String id, int index, List<T> servers) {
        int n = servers.size();
        int home = index % n;
        List<T> others = new ArrayList<>(n - 1);
        for (int k = 1; k < n; k++) {
            others.add(servers.get((home + k) % n));
        }
        List<T> out = new ArrayList<>(n);
        out.add(servers.get(home));
        out.addAll(FailoverOrder.of(id, others));
        return List.copyOf(out);
    }

    String id() {
        return id;
    }

    int index() {
        return index;
    }

    boolean bad() {
        return bad;
    }

    String fleet() {
        return fleet;
    }

    /** Connects (persistent session, 1 h expiry) and subscribes to the device's and the fleet's bundle topics. */
    CompletableFuture<Void> start() {
        return client.connectWith().cleanStart(false).sessionExpiryInterval(3600).keepAlive(60).send()
                .thenCompose(ack -> client.subscribeWith()
                        .addSubscription().topicFilter(topic("ota/bundle")).qos(MqttQos.AT_LEAST_ONCE)
                        .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).applySubscription()
                        .addSubscription().topicFilter(PREFIX + "/fleet/" + fleet + "/ota/bundle").qos(MqttQos.AT_LEAST_ONCE)
                        .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).applySubscription()
                        // inference requests at QoS 0, like the runtime (an RPC with the requester's own timeout)
                        .addSubscription().topicFilter(topics.inferRequest()).qos(MqttQos.AT_MOST_ONCE).applySubscription()
                        .send())
                .thenApply(subAck -> null);
    }

    boolean connected() {
        return client.getState().isConnected();
    }

    /** One telemetry message in the runtime's shape (mqtt.md), QoS 1; false when not connected. */
    boolean publishTelemetry(java.util.SplittableRandom r) {
        if (!client.getState().isConnected()) {
            return false;
        }
        if (telemetryInFlight.get() >= MAX_TELEMETRY_IN_FLIGHT) {
            telemetrySkipped.incrementAndGet();
            return false;
        }
        ObjectNode t = JSON.createObjectNode();
        t.put("inferences_per_s", Math.round(r.nextDouble(30, 50) * 10) / 10.0);
        double p50 = r.nextDouble(10, 13);
        t.putObject("latency_ms").put("p50", round(p50)).put("p95", round(p50 * 1.2)).put("p99", round(p50 * 1.6));
        t.putObject("errors");
        t.put("errors_total", 0);
        t.putObject("sensors").put("temperature_c", round(r.nextDouble(35, 38))).put("laser_power_mw", round(r.nextDouble(99, 102)))
                .put("supply_v", round(r.nextDouble(3.25, 3.32)));
        t.putObject("model").put("id", modelId).put("version", modelVersion);
        t.putObject("drift").put("score", round(r.nextDouble(0, 0.05))).put("accuracy_estimate", round(r.nextDouble(0.93, 0.96)));
        t.put("device", id).put("ts", Instant.now().toString()).put("seq", seq.incrementAndGet())
                .put("outbox_dropped", 0).put("outbox_pending", 0);
        telemetryInFlight.incrementAndGet();
        publishJson(topic("telemetry"), t, false).whenComplete((x, e) -> telemetryInFlight.decrementAndGet());
        return true;
    }

    /** Telemetry periods skipped because {@link #MAX_TELEMETRY_IN_FLIGHT} messages were unacknowledged. */
    long telemetrySkipped() {
        return telemetrySkipped.get();
    }

    /** Sends the retained "offline" (reason shutdown) and disconnects, as a graceful runtime close does. */
    CompletableFuture<Void> stop() {
        ObjectNode s = JSON.createObjectNode().put("state", "offline").put("device", id).put("reason", "shutdown")
                .put("ts", Instant.now().toString());
        if (!client.getState().isConnected()) {
            return CompletableFuture.completedFuture(null);
        }
        return publishJson(topic("status"), s, true).handle((x, e) -> null)
                .thenCompose(x -> client.disconnect()).handle((x, e) -> null);
    }

    void activeModel(String model, String version) {
        this.modelId = model;
        this.modelVersion = version;
    }

    private void publishStatus() {
        ObjectNode s = JSON.createObjectNode().put("state", "online").put("device", id).put("fleet", fleet)
                .put("client_id", "pnn-" + id).put("since", since.toString()).put("ts", Instant.now().toString())
                .put("model_id", modelId).put("model_version", modelVersion);
        publishJson(topic("status"), s, true);
    }

    private void onPublish(Mqtt5Publish p) {
        if (p.getTopic().toString().equals(topics.inferRequest())) {
            wiring.inference().dispatch(this, p);
            return;
        }
        if (!p.getTopic().toString().endsWith("/ota/bundle")) {
            return;
        }
        byte[] payload = p.getPayloadAsBytes();
        Map<String, String> props = new HashMap<>();
        for (Mqtt5UserProperty u : p.getUserProperties().asList()) {
            props.put(u.getName().toString(), u.getValue().toString());
        }
        String source = p.getTopic().toString();
        try {
            // never on the Netty thread: verification and the store's fsyncs run on the bounded OTA pool
            wiring.otaWorkers().execute(() -> updater().apply(payload, UpdateOptions.fromUserProperties(props, source)));
        } catch (RejectedExecutionException e) {
            otaDropped.incrementAndGet();
        }
    }

    long otaDropped() {
        return otaDropped.get();
    }

    private OtaUpdater updater() {
        OtaUpdater u = updater;
        if (u == null) {
            synchronized (this) {
                if (updater == null) {
                    updater = wiring.updaters().apply(this);
                }
                u = updater;
            }
        }
        return u;
    }

    /** The OTA updater's listener: every step, as the runtime's link publishes it (retained, QoS 1). */
    void publishOtaStatus(OtaStatus s) {
        if (s.isFinal() && s.activeModelId() != null) {
            activeModel(s.activeModelId(), s.activeVersion());
        }
        publishJson(topic("ota/status"), s.toJsonNode(), true);
    }

    Topics topics() {
        return topics;
    }

    String modelId() {
        return modelId;
    }

    String modelVersion() {
        return modelVersion;
    }

    /** An inference reply (QoS 0, not retained) with the request's correlation data and a {@code status} property. */
    void reply(String topic, byte[] correlation, ObjectNode body, boolean ok) {
        if (!client.getState().isConnected()) {
            return; // the requester times out and retries, as with the runtime
        }
        var b = client.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(bytes(body))
                .contentType("application/json").payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .userProperties().add("status", ok ? "ok" : "error").applyUserProperties();
        if (correlation != null) {
            b.correlationData(correlation);
        }
        b.send();
    }

    private CompletableFuture<?> publishJson(String topic, ObjectNode body, boolean retain) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(bytes(body))
                .contentType("application/json").payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).send();
    }

    private String topic(String rest) {
        return PREFIX + "/" + id + "/" + rest;
    }

    private static byte[] bytes(ObjectNode o) {
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
