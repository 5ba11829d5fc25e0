package org.pnnedge.fleetsim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

/**
 * The operator's view of a fleet (an operator account on one node): every device's latest status, OTA steps and
 * telemetry from {@code pnn/+/status}, {@code pnn/+/ota/status} and {@code pnn/+/telemetry}; the end-to-end
 * telemetry latency (arrival − the message's {@code ts}) in a 1 ms histogram up to 60 s. Used by the simulator's
 * own measurement and by tests. When the broker closes its session (ejabberd does so to a subscriber that falls
 * behind: "Message queue is overloaded") it reconnects with back-off (1 s doubling to 30 s) and subscribes again (the
 * session is clean: nothing is queued meanwhile); the reconnects and the time without a session are counted
 * ({@link #gaps()}) so a low delivered share explains itself.
 */
public final class FleetObserver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MS = 60_000;

    private final Mqtt5AsyncClient client;
    private final Map<String, JsonNode> status = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> otaFinal = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> telemetryByDevice = new ConcurrentHashMap<>();
    private final AtomicLongArray latencyMs = new AtomicLongArray(MAX_MS + 1);
    private final AtomicLong telemetry = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final String clientId;
    private final Object gapLock = new Object();
    private long downSince; // nanoTime of the current disconnect, 0 while connected
    private int reconnects;
    private long missedNanos;
    private long longestNanos;
    private String lastCause = "";
    private volatile boolean closing;

    /**
     * The observer's disconnects so far.
     *
     * @param reconnects times the session was lost and set up again
     * @param missed     time without a session (the current gap included when it is down now)
     * @param longest    the longest single gap
     * @param down       whether it is without a session now
     * @param lastCause  why the broker or the network closed it the last time ("" before any disconnect)
     */
    public record Gaps(int reconnects, Duration missed, Duration longest, boolean down, String lastCause) {
        /** One line for the simulator's summary. */
        public String summary() {
            return String.format(java.util.Locale.ROOT, "observer reconnected %d times, missed window %.1f s in total "
                    + "(longest %.1f s)%s%s", reconnects, missed.toMillis() / 1000.0, longest.toMillis() / 1000.0,
                    down ? ", without a session now" : "", lastCause.isEmpty() ? "" : "; last cause: " + lastCause);
        }
    }

    /** Connects with the given operator account and subscribes; throws when the broker refuses within 30 s. */
    public FleetObserver(InetSocketAddress server, String user, String password) throws IOException {
        clientId = "pnn-observer-" + ProcessHandle.current().pid();
        client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverAddress(server)
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                // the client re-subscribes by itself when the new session is clean (resubscribeIfSessionExpired)
                .automaticReconnect().initialDelay(1, TimeUnit.SECONDS).maxDelay(30, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addDisconnectedListener(ctx -> {
                    if (closing) {
                        ctx.getReconnector().reconnect(false);
                    }
                    onDown(ctx.getCause());
                })
                .addConnectedListener(ctx -> onUp())
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
        try {
            client.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
            client.subscribeWith()
                    .addSubscription().topicFilter("pnn/+/status").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("pnn/+/ota/status").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("pnn/+/telemetry").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .send().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            close(); // else the automatic reconnect would go on trying
            throw new IOException("observer: cannot connect/subscribe as '" + user + "' at " + server + ": " + e.getMessage(), e);
        }
    }

    private void onDown(Throwable cause) {
        synchronized (gapLock) {
            if (downSince == 0) {
                downSince = System.nanoTime();
            }
            lastCause = cause instanceof Mqtt5DisconnectException d
                    // the broker's reason code and string, e.g. ejabberd's "Message queue is overloaded"
                    ? "DISCONNECT " + d.getMqttMessage().getReasonCode() + d.getMqttMessage().getReasonString()
                            .map(r -> " \"" + r + "\"").orElse("")
                    : cause == null ? "?" : String.valueOf(cause.getMessage());
        }
    }

    private void onUp() {
        synchronized (gapLock) {
            if (downSince != 0) {
                long gap = System.nanoTime() - downSince;
                reconnects++;
                missedNanos += gap;
                longestNanos = Math.max(longestNanos, gap);
                downSince = 0;
            }
        }
    }

    /** Reconnects and time without a session so far. */
    public Gaps gaps() {
        synchronized (gapLock) {
            long now = downSince == 0 ? 0 : System.nanoTime() - downSince;
            return new Gaps(reconnects, Duration.ofNanos(missedNanos + now),
                    Duration.ofNanos(Math.max(longestNanos, now)), downSince != 0, lastCause);
        }
    }

    /** The MQTT client id (one per process). */
    public String clientId() {
        return clientId;
    }

    public boolean connected() {
        return client.getState().isConnected();
    }

    private void onPublish(Mqtt5Publish p) {
        String topic = p.getTopic().toString();
        long now = System.currentTimeMillis();
        JsonNode body;
        try {
            body = JSON.readTree(p.getPayloadAsBytes());
        } catch (IOException e) {
            unreadable.incrementAndGet();
            return;
        }
        String device = topic.split("/", 3)[1];
        if (topic.endsWith("/telemetry")) {
            telemetry.incrementAndGet();
            telemetryByDevice.computeIfAbsent(device, d -> new AtomicLong()).incrementAndGet();
            try {
                long ms = now - Instant.parse(body.path("ts").asText()).toEpochMilli();
                latencyMs.incrementAndGet((int) Math.max(0, Math.min(MAX_MS, ms)));
            } catch (RuntimeException e) {
                unreadable.incrementAndGet();
            }
        } else if (topic.endsWith("/ota/status")) {
            if (body.path("final").asBoolean()) {
                otaFinal.put(device, body);
            }
        } else if (topic.endsWith("/status")) {
            status.put(device, body);
        }
    }

    /** The latest status per device ({@code state} online/offline, {@code reason}). */
    public Map<String, JsonNode> status() {
        return status;
    }

    /** The latest final OTA status per device (SWITCHED / REJECTED / ROLLED_BACK). */
    public Map<String, JsonNode> otaFinal() {
        return otaFinal;
    }

    /** Forgets the final OTA verdicts (before the next push). */
    public void clearOta() {
        otaFinal.clear();
    }

    public long telemetryReceived() {
        return telemetry.get();
    }

    public Map<String, AtomicLong> telemetryByDevice() {
        return telemetryByDevice;
    }

    /** Percentile {@code q} (0..1) of the end-to-end telemetry latency in ms; -1 before any message. */
    public long latencyPercentileMs(double q) {
        long total = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            total += latencyMs.get(i);
        }
        if (total == 0) {
            return -1;
        }
        long want = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i <= MAX_MS; i++) {
            seen += latencyMs.get(i);
            if (seen >= Math.max(1, want)) {
                return i;
            }
        }
        return MAX_MS;
    }

    /** Waits until {@code condition} holds or the timeout passes; returns whether it held. */
    public static boolean await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Publishes a bundle to each device's {@code pnn/<d>/ota/bundle}, QoS 1, with an update id; waits for PUBACKs. */
    public void pushBundle(List<String> devices, byte[] bundle, String updateId) throws Exception {
        List<java.util.concurrent.CompletableFuture<?>> acks = new java.util.ArrayList<>();
        for (String d : devices) {
            acks.add(client.publishWith().topic("pnn/" + d + "/ota/bundle").qos(MqttQos.AT_LEAST_ONCE).payload(bundle)
                    .userProperties().add("update-id", updateId).applyUserProperties().send());
        }
        java.util.concurrent.CompletableFuture.allOf(acks.toArray(java.util.concurrent.CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        closing = true;
        try {
            client.disconnect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing: nothing to keep
        }
    }
}
