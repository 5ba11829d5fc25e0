package org.pnnedge.fleet.dispatch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import org.pnnedge.fleet.dispatch.DispatchEvent.Request;
import org.pnnedge.runtime.mqtt.TalkerId;

/**
 * The dispatcher's MQTT side: one client of an operator account (clean session, reconnect to the next node with
 * back-off; the client renews the subscriptions). Follows each device's {@code status} (retained values not wanted:
 * they are node-local on ejabberd), {@code telemetry} and {@code infer/response/dispatch}; takes fleet requests
 * only while the dispatcher is active. Everything is QoS 0 (ejabberd sends one unacknowledged QoS 1 message per
 * session at a time, which would serialise the requests), except the status probe.
 */
final class DispatchChannel implements AutoCloseable {
    static final String PREFIX = "pnn";
    /** The last level of the reply topic devices answer the dispatcher on, under their own prefix. */
    static final String REPLY_LEVEL = "dispatch";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FILTERS_PER_SUBSCRIBE = 100;

    private final Mqtt5AsyncClient client;
    private final String fleet;
    private final String requestTopic;
    private final String defaultResponse;
    private final byte[] instance;
    private final Consumer<DispatchEvent> events;
    private final RateLog log;
    private final List<InetSocketAddress> servers;
    private final AtomicInteger node = new AtomicInteger();
    private volatile boolean requests;
    private volatile boolean open = true;

    DispatchChannel(List<InetSocketAddress> servers, String user, String password, String clientId, String fleet,
                    byte[] instance, Consumer<DispatchEvent> events, RateLog log) {
        this.servers = servers;
        this.fleet = fleet;
        this.requestTopic = PREFIX + "/fleet/" + fleet + "/infer/request";
        this.defaultResponse = PREFIX + "/fleet/" + fleet + "/infer/response";
        this.instance = instance.clone();
        this.events = events;
        this.log = log;
        client = MqttClient.builder().useMqttVersion5().identifier(clientId).serverAddress(servers.get(0))
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .automaticReconnect().initialDelay(500, TimeUnit.MILLISECONDS).maxDelay(10, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addDisconnectedListener(ctx -> {
                    ctx.getReconnector().transportConfig()
                            .serverAddress(servers.get(node.incrementAndGet() % servers.size())).applyTransportConfig();
                    if (open) {
                        log.warn("disconnected", "dispatch {}: connection lost ({}); reconnecting to the next node",
                                fleet, ctx.getCause().getMessage());
                    }
                })
                .addConnectedListener(ctx -> probe()) // devices that came up while we were away say so now
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::arrived);
    }

    void connect(Duration timeout) throws IOException {
        await(client.connectWith().cleanStart(true).keepAlive(20).send(), timeout, "connect to " + servers);
    }

    /** Subscribes the devices' status, telemetry and dispatcher replies. */
    void follow(Collection<String> devices, Duration timeout) throws IOException {
        List<Mqtt5Subscription> subs = new ArrayList<>();
        for (String d : devices) {
            String base = PREFIX + "/" + d + "/";
            // retained statuses are node-local on ejabberd and may be stale: only live ones count
            subs.add(sub(base + "status", Mqtt5RetainHandling.DO_NOT_SEND));
            subs.add(sub(base + "telemetry", Mqtt5RetainHandling.DO_NOT_SEND));
            subs.add(sub(base + "infer/response/" + REPLY_LEVEL, Mqtt5RetainHandling.DO_NOT_SEND));
        }
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int from = 0; from < subs.size(); from += FILTERS_PER_SUBSCRIBE) {
            List<Mqtt5Subscription> chunk = subs.subList(from, Math.min(subs.size(), from + FILTERS_PER_SUBSCRIBE));
            acks.add(client.subscribeWith().addSubscriptions(chunk).send().thenAccept(ack -> {
                for (int i = 0; i < ack.getReasonCodes().size(); i++) {
                    if (ack.getReasonCodes().get(i).isError()) {
                        throw new IllegalStateException("the broker refused " + chunk.get(i).getTopicFilter() + ": "
                                + ack.getReasonCodes().get(i) + " (is the account an operator?)");
                    }
                }
            }));
        }
        await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)), timeout,
                "subscribe the topics of " + devices.size() + " devices");
    }

    /** Takes ({@code on}) or stops taking the fleet's requests; the active dispatcher alone takes them. */
    void requests(boolean on, Duration timeout) throws IOException {
        requests = on;
        if (on) {
            await(client.subscribeWith().topicFilter(requestTopic).qos(MqttQos.AT_MOST_ONCE).send(), timeout,
                    "subscribe " + requestTopic);
        } else {
            await(client.unsubscribeWith().topicFilter(requestTopic).send(), timeout, "unsubscribe " + requestTopic);
        }
    }

    /** Asks every device of the fleet to republish its status now (the runtime's built-in {@code status} command). */
    void probe() {
        client.publishWith().topic(PREFIX + "/fleet/" + fleet + "/cmd/status").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{}".getBytes(StandardCharsets.UTF_8)).send();
    }

    boolean connected() {
        return client.getState().isConnected();
    }

    void forward(String device, long seq, Request r) {
        Mqtt5PublishBuilder.Complete b = Mqtt5Publish.builder().topic(PREFIX + "/" + device + "/infer/request")
                .qos(MqttQos.AT_MOST_ONCE).payload(r.payload())
                .responseTopic(PREFIX + "/" + device + "/infer/response/" + REPLY_LEVEL)
                .correlationData(ByteBuffer.allocate(16).put(instance).putLong(seq).array());
        if (r.contentType() != null) {
            b.contentType(r.contentType());
        }
        client.publish(b.build());
    }

    void answer(Request r, String device, byte[] payload, String status) {
        Mqtt5PublishBuilder.Complete b = Mqtt5Publish.builder().topic(r.responseTopic()).qos(MqttQos.AT_MOST_ONCE)
                .payload(payload).contentType("application/json");
        if (r.correlation() != null) {
            b.correlationData(r.correlation());
        }
        var props = b.userProperties().add("status", status == null ? "ok" : status);
        if (device != null) {
            props.add("device", device);
        }
        client.publish(props.applyUserProperties().build());
    }

    /**
     * The request's {@code talker}, or null (none, not a string, or a payload that is not JSON: the device names
     * that error). The service refuses ids over {@link TalkerId#MAX_LENGTH} characters; longer ones are not
     * remembered here either.
     */
    static String talker(byte[] payload) {
        try {
            JsonNode t = JSON.readTree(payload).path("talker");
            return t.isTextual() && t.asText().length() <= TalkerId.MAX_LENGTH ? t.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void arrived(Mqtt5Publish p) {
        String topic = p.getTopic().toString();
        long now = System.nanoTime();
        if (topic.equals(requestTopic)) {
            if (!requests) {
                return; // a request still in flight after we went standby: the active dispatcher has it too
            }
            String rt = p.getResponseTopic().map(Object::toString).orElse(defaultResponse);
            if (!acceptableResponseTopic(rt)) {
                log.warn("response-topic", "dispatch {}: a request asked for its answer on {}, a device or fleet "
                        + "topic other than an infer/response topic; not forwarded", fleet, rt);
                return;
            }
            byte[] payload = p.getPayloadAsBytes();
            events.accept(new Request(payload, rt, p.getCorrelationData().map(DispatchChannel::bytes)
                    .orElse(null), p.getContentType().map(Object::toString).orElse(null), now, talker(payload)));
            return;
        }
        String[] t = topic.split("/");
        if (t.length < 3 || !t[0].equals(PREFIX)) {
            return;
        }
        String device = t[1];
        if (t.length == 3 && t[2].equals("telemetry")) {
            events.accept(new DispatchEvent.Heard(device));
        } else if (t.length == 3 && t[2].equals("status")) {
            try {
                JsonNode s = JSON.readTree(p.getPayloadAsBytes());
                if ("online".equals(s.path("state").asText())) {
                    events.accept(new DispatchEvent.Heard(device));
                } else {
                    events.accept(new DispatchEvent.Gone(device, s.path("reason").asText("offline")));
                }
            } catch (IOException e) {
                log.warn("bad-status", "dispatch {}: unreadable status of {}: {}", fleet, device, e.getMessage());
            }
        } else if (t.length == 5 && t[4].equals(REPLY_LEVEL)) {
            byte[] c = p.getCorrelationData().map(DispatchChannel::bytes).orElse(null);
            if (c == null || c.length != 16 || !ByteBuffer.wrap(c, 0, 8).equals(ByteBuffer.wrap(instance))) {
                return; // for an earlier dispatcher (or none): nobody waits for it here
            }
            String status = p.getUserProperties().asList().stream().filter(u -> u.getName().toString().equals("status"))
                    .map(u -> u.getValue().toString()).findFirst().orElse("ok");
            events.accept(new DispatchEvent.Reply(device, ByteBuffer.wrap(c, 8, 8).getLong(), p.getPayloadAsBytes(),
                    status));
        }
    }

    /**
     * The dispatcher publishes with an operator's rights, so a requester may not have answers sent to device or
     * fleet topics (a command, a bundle, a status), except the {@code infer/response} topics meant for answers.
     */
    static boolean acceptableResponseTopic(String topic) {
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            return false;
        }
        if (!topic.startsWith(PREFIX + "/")) {
            return true;
        }
        String[] t = topic.split("/");
        int at = t.length > 1 && t[1].equals("fleet") ? 3 : 2;
        return t.length >= at + 2 && t[at].equals("infer") && t[at + 1].equals("response");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static Mqtt5Subscription sub(String filter, Mqtt5RetainHandling retain) {
        return Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.AT_MOST_ONCE).retainHandling(retain).build();
    }

    private static void await(CompletableFuture<?> f, Duration timeout, String what) throws IOException {
        try {
            f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            throw new IOException("cannot " + what + (c instanceof TimeoutException ? " within " + timeout
                    : ": " + c.getMessage()), c);
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway: the broker drops the session when the socket goes
        }
    }
}
