package org.pnnedge.fleet.rollout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;

import org.pnnedge.fleet.rollout.RolloutException.Kind;
import org.pnnedge.runtime.ota.OtaStatus;
import org.pnnedge.runtime.ota.UpdateOptions;

/**
 * The controller's MQTT side, with an operator account of the cluster: sends a bundle to {@code pnn/<d>/ota/bundle}
 * (QoS 1, MQTT 5 user property {@code update-id}, and {@code allow-downgrade} for a rollback), and turns
 * {@code pnn/+/ota/status} and {@code pnn/+/status} into {@link Event}s on a bounded queue; sends the soak's
 * probe requests ({@link #request}) and matches their replies by correlation data. After a dropped
 * connection it reconnects to the next node (subscriptions renewed by the client); what it missed meanwhile is
 * made up by re-sending to devices without a verdict (the controller's job). The status topics are subscribed
 * with QoS 0: ejabberd's {@code mod_mqtt} keeps at most one unacknowledged QoS 1 message per session and queues the
 * rest ({@code max_queue}, then it closes the session), so at QoS 1 this one session took the OTA statuses of a
 * 7,500-device stage at one per round trip; at QoS 0 they are written as they come (fleet.md, "Verdicts at QoS 0").
 * A status lost with a dropped connection is recovered by the re-send, which the device answers again.
 */
public final class OtaChannel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Events waiting for the controller; beyond this they are dropped and counted (re-sends recover them). */
    static final int QUEUE_BOUND = 100_000;

    /** Something a device published. */
    public sealed interface Event permits Verdict, Presence {
    }

    /** An OTA status on {@code pnn/<topicDevice>/ota/status}. */
    public record Verdict(String topicDevice, OtaStatus status) implements Event {
    }

    /** The device's status topic: online or offline (will or shutdown). */
    public record Presence(String device, boolean online) implements Event {
    }

    private final Mqtt5AsyncClient client;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(QUEUE_BOUND);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    /** Where devices reply to this controller's probes: {@code pnn/<d>/infer/response/<replyTag>} (mqtt.md). */
    private final String replyTag;
    /** Probe requests waiting for their reply, by correlation data; the caller bounds how many are in flight. */
    private final java.util.Map<String, CompletableFuture<JsonNode>> pending = new java.util.concurrent.ConcurrentHashMap<>();

    /** Connects as {@code user} to the first reachable of {@code servers} within {@code timeout} and subscribes. */
    public OtaChannel(List<InetSocketAddress> servers, String user, String password, String clientId, Duration timeout)
            throws RolloutException {
        client = MqttClient.builder().useMqttVersion5().identifier(clientId).serverAddress(servers.get(0))
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .automaticReconnect().initialDelay(500, TimeUnit.MILLISECONDS).maxDelay(10, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addDisconnectedListener(ctx -> ctx.getReconnector().transportConfig()
                        .serverAddress(servers.get(next.incrementAndGet() % servers.size())).applyTransportConfig())
                .buildAsync();
        replyTag = clientId.replaceAll("[^A-Za-z0-9_.-]", "_");
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onPublish);
        long end = System.nanoTime() + timeout.toNanos();
        try {
            client.connectWith().cleanStart(true).keepAlive(30).send()
                    .get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            client.subscribeWith()
                    // QoS 0 (see the class comment): ejabberd would hand this one session a single QoS 1 message
                    // at a time, too slow for the statuses of thousands of devices
                    .addSubscription().topicFilter("pnn/+/ota/status").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                    .addSubscription().topicFilter("pnn/+/status").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                    .addSubscription().topicFilter("pnn/+/infer/response/" + replyTag).qos(MqttQos.AT_MOST_ONCE)
                    .applySubscription()
                    .send().get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            client.disconnect();
            throw new RolloutException(Kind.FAILED, "cannot connect to the cluster as '" + user + "' at " + servers
                    + " within " + timeout + ": " + e);
        }
    }

    private void onPublish(Mqtt5Publish p) {
        String[] t = p.getTopic().toString().split("/");
        Event e;
        if (t.length == 5 && t[2].equals("infer") && t[3].equals("response")) {
            onReply(t[1], p);
            return;
        }
        try {
            if (t.length == 4 && t[2].equals("ota") && t[3].equals("status")) {
                e = new Verdict(t[1], OtaStatus.fromJson(p.getPayloadAsBytes()));
            } else if (t.length == 3 && t[2].equals("status")) {
                JsonNode s = JSON.readTree(p.getPayloadAsBytes());
                e = new Presence(t[1], "online".equals(s.path("state").asText()));
            } else {
                return;
            }
        } catch (Exception ex) {
            unreadable.incrementAndGet();
            return;
        }
        if (!events.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    private void onReply(String device, Mqtt5Publish p) {
        String key = p.getCorrelationData().map(b -> device + "/" + StandardCharsets.UTF_8.decode(b.duplicate()))
                .orElse(null);
        CompletableFuture<JsonNode> f = key == null ? null : pending.remove(key);
        if (f == null) {
            return; // late (timed out already) or not ours
        }
        try {
            f.complete(JSON.readTree(p.getPayloadAsBytes()));
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
    }

    /**
     * Publishes an inference request (QoS 0, the runtime's contract: response topic + correlation data) to
     * {@code pnn/<device>/infer/request}; the future completes with the device's reply, or exceptionally after
     * {@code timeout}. {@code correlation} must be unique among this channel's requests in flight to the device.
     */
    CompletableFuture<JsonNode> request(String device, String correlation, JsonNode body, Duration timeout) {
        String key = device + "/" + correlation;
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(key, f);
        f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((x, e) -> pending.remove(key, f));
        client.publishWith().topic("pnn/" + device + "/infer/request").qos(MqttQos.AT_MOST_ONCE)
                .responseTopic("pnn/" + device + "/infer/response/" + replyTag)
                .correlationData(correlation.getBytes(StandardCharsets.UTF_8))
                .payload(body.toString().getBytes(StandardCharsets.UTF_8)).send()
                .whenComplete((r, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    }
                });
        return f;
    }

    /** The next event, waiting at most {@code wait}; null when none came. */
    Event poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Sends {@code bundle} to each device and waits (at most {@code timeout}) for the PUBACKs; returns the devices
     * whose PUBACK came back without error (the others are re-sent later).
     */
    List<String> send(List<String> devices, byte[] bundle, String updateId, boolean allowDowngrade, Duration timeout)
            throws InterruptedException {
        List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
        for (String d : devices) {
            var props = client.publishWith().topic("pnn/" + d + "/ota/bundle").qos(MqttQos.AT_LEAST_ONCE).payload(bundle)
                    .userProperties().add(UpdateOptions.PROPERTY_UPDATE_ID, updateId);
            if (allowDowngrade) {
                props.add(UpdateOptions.PROPERTY_ALLOW_DOWNGRADE, "true");
            }
            acks.add(props.applyUserProperties().send());
        }
        long end = System.nanoTime() + timeout.toNanos();
        List<String> ok = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            try {
                Mqtt5PublishResult r = acks.get(i).get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r.getError().isEmpty()) {
                    ok.add(devices.get(i));
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // not acknowledged: counted as not sent, re-sent at the next round
            }
        }
        return ok;
    }

    public boolean connected() {
        return client.getState().isConnected();
    }

    /** Events dropped because the queue was full, and messages that were not JSON statuses. */
    public long dropped() {
        return dropped.get();
    }

    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing: nothing to keep
        }
    }
}
