package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * {@link MqttLink} on the Eclipse Paho MQTT 5 asynchronous client: assembles the parts and runs their life cycle.
 *
 * <p>Threads: the {@link ConnectionSupervisor} connects and reconnects; the {@link OutboxDrainer} publishes the
 * outbox; the {@link InboundDispatcher}'s request and inbound threads run the handlers; a timer produces
 * telemetry. Paho's callback thread only routes messages to those threads, so a slow handler never delays
 * acknowledgements. {@link StatusPublisher} keeps the retained status, {@link Subscriptions} the subscriptions.
 */
final class PahoMqttLink implements MqttLink, MqttCallback {
    private final MqttSettings settings;
    private final Topics topics;
    private final Outbox outbox;
    private final PahoClient client;
    private final LinkState state = new LinkState();
    private final StatusPublisher status;
    private final Subscriptions subscriptions;
    private final InboundDispatcher inbound;
    private final ConnectionSupervisor connection;
    private final OutboxDrainer drain;
    private final Thread supervisor;
    private final Thread drainer;
    private final ScheduledExecutorService timer;
    private final AtomicLong telemetrySeq = new AtomicLong();
    private ScheduledFuture<?> telemetryTask;
    private volatile boolean started;
    private volatile boolean closed;

    PahoMqttLink(MqttSettings settings) throws IOException {
        this.settings = settings;
        this.topics = settings.topics();
        MqttSettings.Outbox o = settings.outbox();
        this.outbox = Outbox.open(o.dir(), o.maxMessages(), o.maxBytes());
        try {
            this.client = new PahoClient(settings, this);
        } catch (MqttException e) {
            outbox.close();
            throw new IllegalArgumentException("cannot create MQTT client for " + settings.brokerUri() + ": " + e, e);
        }
        this.status = new StatusPublisher(client, settings, state);
        this.subscriptions = new Subscriptions(client, settings, state);
        this.inbound = new InboundDispatcher(client, settings, status, this::reconnectForRedelivery);
        this.connection = new ConnectionSupervisor(client, settings, state, subscriptions, status);
        this.drain = new OutboxDrainer(client, settings, state, outbox);
        connection.drainOnLoss = drain::connectionLost;
        // our own threads are watched like Paho's: one that dies is run again (LinkState.restarting)
        this.supervisor = PahoSupport.daemon(state.restarting("connection supervisor", connection),
                "pnn-mqtt-connect");
        this.drainer = PahoSupport.daemon(state.restarting("outbox drainer", drain), "pnn-mqtt-outbox");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> PahoSupport.daemon(r, "pnn-mqtt-telemetry"));
    }

    // ---------------------------------------------------------------- life cycle

    @Override
    public MqttSettings settings() {
        return settings;
    }

    @Override
    public Topics topics() {
        return topics;
    }

    @Override
    public synchronized void start() {
        if (started || state.closing) {
            return;
        }
        started = true;
        Logger.info("MQTT link {} → {} over {}, outbox {} ({} pending)", settings.clientId(), settings.brokerUri(),
                TlsSupport.describe(settings.tls()), settings.outbox().dir(), outbox.size());
        supervisor.start();
        drainer.start();
    }

    @Override
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return state.awaitReady(timeout);
    }

    @Override
    public boolean isConnected() {
        return state.ready && client.get().isConnected();
    }

    /** Marks the link closed; false when it already was. */
    private synchronized boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        state.closing = true;
        return true;
    }

    @Override
    public void close(Duration timeout) {
        if (!markClosed()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        state.wake();
        timer.shutdownNow();
        // let publishes already in flight finish (their files are deleted on PUBACK); the rest stays on disk
        while (!drain.idle() && state.ready && System.nanoTime() < deadline - timeout.toNanos() / 2) {
            PahoSupport.sleepQuietly(10);
        }
        PahoSupport.join(supervisor, deadline);
        if (client.get().isConnected()) {
            sayGoodbye(deadline);
        }
        state.ready = false;
        shutdown(deadline);
        Logger.info("MQTT link {} closed ({} message(s) left in the outbox)", settings.clientId(), outbox.size());
        outbox.close();
    }

    /** The offline status, then DISCONNECT (so the broker does not send the will). */
    private void sayGoodbye(long deadline) {
        try {
            MqttMessage bye = PahoSupport.message(status.offline("shutdown", true), 1, true);
            client.get().publish(topics.status(), bye)
                    .waitForCompletion(Math.max(1, Math.min(2000, PahoSupport.millisLeft(deadline))));
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: offline status not sent: {}", e.toString());
        }
        try {
            client.get().disconnect(Math.max(0, Math.min(1000, PahoSupport.millisLeft(deadline))))
                    .waitForCompletion(Math.max(1, PahoSupport.millisLeft(deadline)));
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: disconnect: {}", e.toString());
        }
    }

    /**
     * Drops the connection (DISCONNECT, no will) so the supervisor reconnects and the broker resends the QoS 1
     * messages this device left unacknowledged (bundles deferred by a full queue).
     */
    private void reconnectForRedelivery() {
        if (state.closing) {
            return;
        }
        try {
            client.get().disconnect(1000).waitForCompletion(3000);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: disconnect for redelivery: {}", e.toString());
        }
        state.wake();
    }

    /** Test hook: every Paho thread dies as it starts while {@code on}, as if the receiver had run out of memory. */
    void failPahoThreadsForTest(boolean on) {
        client.failThreadsForTest = on;
    }

    /** Test hook: the connection supervisor and the outbox drainer each die of {@code e} once, at their next turn. */
    void killLinkThreadsForTest(Error e) {
        connection.dieForTest = e;
        drain.dieForTest = e;
    }

    /** Test hook: the connection drops as if the network failed (no DISCONNECT; the broker sends the will). */
    void dropConnectionForTest() {
        try {
            client.get().disconnectForcibly(0, 100, false);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: forced disconnect: {}", e.toString());
        }
        state.wake();
    }

    /** Test hook: dies like a crashed process (socket closed without DISCONNECT, so the broker sends the will). */
    void crashForTest() {
        if (!markClosed()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        state.wake();
        timer.shutdownNow();
        PahoSupport.join(supervisor, deadline);
        try {
            client.get().disconnectForcibly(0, 1000, false);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: forced disconnect: {}", e.toString());
        }
        state.ready = false;
        shutdown(deadline);
        outbox.close();
    }

    private void shutdown(long deadline) {
        state.wake();
        PahoSupport.join(drainer, deadline);
        inbound.shutdown();
        try {
            client.get().close(true);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: close: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------- Paho callbacks

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        inbound.dispatch(topic, message);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        boolean was = state.ready;
        state.ready = false;
        drain.connectionLost();
        if (was && !state.closing) {
            Logger.warn("MQTT: connection to {} lost ({}); reconnecting", settings.brokerUri(),
                    response == null ? "?" : response.getException() != null
                            ? PahoSupport.describe(response.getException())
                            : "reason " + response.getReturnCode() + " " + response.getReasonString());
        }
        state.wake();
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        Logger.warn("MQTT: protocol error: {}", PahoSupport.describe(exception));
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // per-message listeners do the bookkeeping
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // handled by the supervisor after the connect token completes
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }

    // ---------------------------------------------------------------- publishing, handlers, stats

    @Override
    public boolean publishTelemetry(JsonNode telemetry) {
        ObjectNode o = drain.envelope(telemetry);
        if (o == null) {
            return false;
        }
        o.put("seq", telemetrySeq.incrementAndGet());
        o.put("outbox_pending", outbox.size());
        // the outbox fills in outbox_dropped, and takes the count back if this message is dropped in turn
        return drain.enqueueReporting(topics.telemetry(), 1, false, n -> PahoSupport.bytes(o.put("outbox_dropped", n)));
    }

    @Override
    public boolean publishRecal(JsonNode report) {
        ObjectNode o = drain.envelope(report);
        return o != null && drain.enqueue(topics.recal(), 1, false, o);
    }

    @Override
    public boolean publishOtaStatus(JsonNode otaStatus) {
        ObjectNode o = drain.envelope(otaStatus);
        return o != null && drain.enqueue(topics.otaStatus(), 1, true, o);
    }

    @Override
    public void publishOtaEvent(JsonNode event) {
        ObjectNode o = drain.envelope(event);
        if (o != null) {
            status.publishEvent(topics.otaStatus(), o, 1);
        }
    }

    @Override
    public boolean publishHeard(JsonNode event) {
        ObjectNode o = drain.envelope(event);
        return o != null && isConnected() && status.publishEvent(topics.heard(), o, 0);
    }

    @Override
    public void setStatusDetails(JsonNode details) {
        status.setDetails(details);
    }

    @Override
    public synchronized void startTelemetry(Supplier<? extends JsonNode> source) {
        if (state.closing) {
            return;
        }
        if (telemetryTask != null) {
            telemetryTask.cancel(false);
        }
        long period = settings.telemetryInterval().toMillis();
        telemetryTask = timer.scheduleAtFixedRate(() -> {
            try {
                JsonNode n = source.get();
                if (n != null) {
                    publishTelemetry(n);
                }
            } catch (Throwable t) {
                Logger.warn("MQTT: telemetry source failed: {}", t.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onInferenceRequest(RequestHandler handler) {
        inbound.onInferenceRequest(handler);
        if (handler != null) {
            subscriptions.addRequests();
        }
    }

    @Override
    public void onOtaBundle(BundleHandler handler) {
        inbound.bundleHandler = handler;
        if (handler != null) {
            subscriptions.addBundles();
        }
    }

    @Override
    public void onCommand(CommandHandler handler, CommandAuthoriser authoriser) {
        inbound.commandAuthoriser = Objects.requireNonNull(authoriser, "authoriser");
        inbound.commandHandler = handler;
    }

    @Override
    public LinkStats stats() {
        return drain.consistently(() -> new LinkStats(isConnected(), connection.connects(), outbox.size(),
                outbox.bytes(), outbox.droppedTotal(), drain.delivered(), inbound.requestsHandled(),
                inbound.requestsRejected(), client.rebuilds(), inbound.bundlesDeferred(), state.restarts()));
    }

    Outbox outbox() {
        return outbox;
    }
}
