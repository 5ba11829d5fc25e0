package org.pnnedge.fleet.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import org.tinylog.Logger;

/**
 * The MQTT side of an {@link IngestWorker}: its persistent sessions ("lanes", client id
 * {@code pnn-ingest-<n>-<k>-<lane>}, clean start off, session expiry 1 h, automatic reconnect to the next node with
 * back-off 1–30 s), every publish handed to one callback for manual acknowledgement, and the explicit per-device
 * subscriptions, each device on its lane ({@link DevicePartition#lane}).
 */
final class IngestLanes implements AutoCloseable {
    private static final String[] TOPICS = {"telemetry", "status", "ota/status", "recal"};
    private static final int FILTERS_PER_SUBSCRIBE = 100;
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final List<Mqtt5AsyncClient> lanes = new ArrayList<>();
    private final DevicePartition partition;
    private final List<InetSocketAddress> servers;
    private volatile boolean open = true;

    IngestLanes(DevicePartition partition, int sessions, List<InetSocketAddress> servers, String user, String password,
                Consumer<Mqtt5Publish> arrived) {
        this.partition = partition;
        this.servers = servers;
        MqttClientExecutorConfig exec = MqttClientExecutorConfig.builder().nettyThreads(2).build();
        for (int i = 0; i < sessions; i++) {
            int lane = i;
            AtomicInteger next = new AtomicInteger(i);
            Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5()
                    // stable across restarts: the id names the persistent session
                    .identifier("pnn-ingest-" + partition.workers() + "-" + partition.worker() + "-" + lane)
                    .serverAddress(servers.get(i % servers.size()))
                    .executorConfig(exec)
                    .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .automaticReconnect().initialDelay(1, TimeUnit.SECONDS).maxDelay(30, TimeUnit.SECONDS).applyAutomaticReconnect()
                    .addDisconnectedListener(ctx -> {
                        ctx.getReconnector().transportConfig().serverAddress(servers.get(next.incrementAndGet() % servers.size()))
                                .applyTransportConfig();
                        if (open) {
                            Logger.warn("ingest lane {}: connection lost ({}); reconnecting", lane, ctx.getCause().getMessage());
                        }
                    })
                    .addConnectedListener(ctx -> {
                        if (ctx instanceof Mqtt5ClientConnectedContext c5 && !c5.getConnAck().isSessionPresent()) {
                            Logger.info("ingest lane {}: new session (none kept by the broker)", lane);
                        }
                    })
                    .buildAsync();
            // ALL, not SUBSCRIBED: after a restart the broker sends the kept session's backlog right after CONNACK,
            // before this process has subscribed anything; SUBSCRIBED would let the client acknowledge and drop it
            c.publishes(MqttGlobalPublishFilter.ALL, arrived, true);
            lanes.add(c);
        }
    }

    /** Connects every lane (each announcing {@code receiveMaximum}); throws when the cluster refuses. */
    void connect(int receiveMaximum) throws IOException {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (Mqtt5AsyncClient c : lanes) {
            acks.add(c.connectWith().cleanStart(false).sessionExpiryInterval(3600).keepAlive(30)
                    .restrictions().receiveMaximum(Math.min(65_535, Math.max(1, receiveMaximum))).applyRestrictions().send());
        }
        await(acks, "connect to " + servers);
    }

    int connected() {
        return (int) lanes.stream().filter(c -> c.getState().isConnected()).count();
    }

    void subscribe(List<String> devices) throws IOException {
        List<List<Mqtt5Subscription>> perLane = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            perLane.add(new ArrayList<>());
        }
        for (String d : devices) {
            for (String t : TOPICS) {
                perLane.get(partition.lane(d, lanes.size())).add(Mqtt5Subscription.builder()
                        .topicFilter("pnn/" + d + "/" + t).qos(MqttQos.AT_LEAST_ONCE)
                        .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).build());
            }
        }
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            List<Mqtt5Subscription> subs = perLane.get(i);
            for (int from = 0; from < subs.size(); from += FILTERS_PER_SUBSCRIBE) {
                List<Mqtt5Subscription> chunk = subs.subList(from, Math.min(subs.size(), from + FILTERS_PER_SUBSCRIBE));
                acks.add(lanes.get(i).subscribeWith().addSubscriptions(chunk).send().thenAccept(ack -> check(ack, chunk)));
            }
        }
        await(acks, "subscribe " + devices.size() + " devices");
    }

    private static void check(Mqtt5SubAck ack, List<Mqtt5Subscription> subs) {
        for (int i = 0; i < ack.getReasonCodes().size(); i++) {
            if (ack.getReasonCodes().get(i).isError()) {
                throw new IllegalStateException("the broker refused the subscription " + subs.get(i).getTopicFilter()
                        + ": " + ack.getReasonCodes().get(i) + " (is the account an operator?)");
            }
        }
    }

    void unsubscribe(List<String> devices) throws IOException {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (String d : devices) {
            Mqtt5AsyncClient c = lanes.get(partition.lane(d, lanes.size()));
            for (String t : TOPICS) {
                acks.add(c.unsubscribeWith().topicFilter("pnn/" + d + "/" + t).send());
            }
        }
        await(acks, "unsubscribe " + devices.size() + " devices");
    }

    private static void await(List<CompletableFuture<?>> all, String what) throws IOException {
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + what, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot " + what + " within " + TIMEOUT);
        }
    }

    @Override
    public void close() {
        open = false;
        List<CompletableFuture<?>> bye = new ArrayList<>();
        for (Mqtt5AsyncClient c : lanes) {
            bye.add(c.disconnect().handle((x, e) -> null));
        }
        try {
            await(bye, "disconnect");
        } catch (IOException e) {
            Logger.warn("ingest: {}", e.getMessage());
        }
    }
}
