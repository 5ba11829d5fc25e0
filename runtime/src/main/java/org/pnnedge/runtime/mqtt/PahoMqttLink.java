package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.tinylog.Logger;

/**
 * {@link MqttLink} on the Eclipse Paho MQTT 5 asynchronous client.
 *
 * <p>Threads: a <em>supervisor</em> connects and reconnects with exponential back-off (Paho's own automatic
 * reconnect is off because it does not retry when the very first connection fails, e.g. a Pi that boots
 * before its network); a <em>drainer</em> publishes the outbox in order with up to {@link #WINDOW}
 * messages in flight and deletes each file on its PUBACK; a <em>request</em> thread runs the inference
 * handler; an <em>inbound</em> thread runs bundle and command handlers; a timer produces telemetry. Paho's
 * callback thread only routes messages to those threads, so a slow handler never delays acknowledgements.
 */
final class PahoMqttLink implements MqttLink, MqttCallback {
    /** Outbox messages in flight at once: below every broker's receive maximum (HiveMQ 10, Mosquitto 20). */
    static final int WINDOW = 4;
    static final String CONTENT_TYPE = "application/json";

    private final MqttSettings settings;
    private final Topics topics;
    private final ObjectMapper json = new ObjectMapper();
    private final Outbox outbox;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;

    private final Object signal = new Object();
    private volatile boolean started;
    private volatile boolean closing;
    private volatile boolean closed;
    /** Connected, subscribed and announced: the drainer may publish. */
    private volatile boolean ready;
    private volatile Instant connectedSince = Instant.EPOCH;

    private final Thread supervisor;
    private final Thread drainer;
    private final ThreadPoolExecutor requestExecutor;
    private final ThreadPoolExecutor inboundExecutor;
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> telemetryTask;

    private volatile RequestHandler requestHandler;
    private volatile BundleHandler bundleHandler;
    private volatile CommandHandler commandHandler;
    private final AtomicReference<JsonNode> statusDetails = new AtomicReference<>(NullNode.getInstance());

    /** seq → nanoTime of publish. */
    private final Map<Long, Long> inflight = new ConcurrentHashMap<>();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong requestsHandled = new AtomicLong();
    private final AtomicLong requestsRejected = new AtomicLong();
    private final AtomicLong telemetrySeq = new AtomicLong();
    private String lastConnectError = "";

    PahoMqttLink(MqttSettings settings) throws IOException {
        this.settings = settings;
        this.topics = settings.topics();
        this.outbox = Outbox.open(settings.outboxDir(), settings.outboxMaxMessages(), settings.outboxMaxBytes());
        try {
            // In-memory Paho state: durability is the outbox's job (Paho's file persistence would litter the cwd).
            this.client = new MqttAsyncClient(settings.brokerUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            outbox.close();
            throw new IllegalArgumentException("cannot create MQTT client for " + settings.brokerUri() + ": " + e, e);
        }
        client.setCallback(this);
        this.options = connectionOptions();

        this.supervisor = daemon(this::superviseLoop, "pnn-mqtt-connect");
        this.drainer = daemon(this::drainLoop, "pnn-mqtt-outbox");
        this.requestExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.maxPendingRequests()), r -> daemon(r, "pnn-mqtt-request"));
        this.inboundExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64), r -> daemon(r, "pnn-mqtt-inbound"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "pnn-mqtt-telemetry"));
    }

    private MqttConnectionOptions connectionOptions() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        o.setConnectionTimeout((int) Math.max(1, (settings.connectTimeout().toMillis() + 999) / 1000));
        o.setAutomaticReconnect(false); // the supervisor reconnects (see class comment)
        settings.username().ifPresent(o::setUserName);
        settings.password().ifPresent(p -> o.setPassword(p.getBytes(StandardCharsets.UTF_8)));
        MqttMessage will = new MqttMessage(bytes(offlineStatus("connection lost", false)), 1, true, null);
        o.setWill(topics.status(), will);
        MqttProperties willProps = new MqttProperties();
        willProps.setContentType(CONTENT_TYPE);
        willProps.setPayloadFormat(true);
        o.setWillMessageProperties(willProps);
        if (settings.tls().isPresent()) {
            MqttSettings.Tls tls = settings.tls().get();
            try {
                o.setSocketFactory(TlsSupport.socketFactory(tls));
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException("TLS setup failed: " + e.getMessage(), e);
            }
            o.setHttpsHostnameVerificationEnabled(tls.verifyHostname());
        }
        return o;
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
        if (started || closing) {
            return;
        }
        started = true;
        Logger.info("MQTT link {} → {} over {}, outbox {} ({} pending)", settings.clientId(), settings.brokerUri(),
                TlsSupport.describe(settings.tls()), settings.outboxDir(), outbox.size());
        supervisor.start();
        drainer.start();
    }

    @Override
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (!ready && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
        }
        return ready;
    }

    @Override
    public boolean isConnected() {
        return ready && client.isConnected();
    }

    @Override
    public void close(Duration timeout) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        wake();
        timer.shutdownNow();
        // let publishes already in flight finish (their files are deleted on PUBACK); the rest stays on disk
        while (!inflight.isEmpty() && ready && System.nanoTime() < deadline - timeout.toNanos() / 2) {
            sleepQuietly(10);
        }
        join(supervisor, deadline);
        if (client.isConnected()) {
            try {
                MqttMessage bye = message(offlineStatus("shutdown", true), 1, true);
                client.publish(topics.status(), bye).waitForCompletion(Math.max(1, Math.min(2000, millisLeft(deadline))));
            } catch (MqttException | RuntimeException e) {
                Logger.debug("MQTT: offline status not sent: {}", e.toString());
            }
            try {
                client.disconnect(Math.max(0, Math.min(1000, millisLeft(deadline))))
                        .waitForCompletion(Math.max(1, millisLeft(deadline)));
            } catch (MqttException | RuntimeException e) {
                Logger.debug("MQTT: disconnect: {}", e.toString());
            }
        }
        ready = false;
        shutdown(deadline);
        Logger.info("MQTT link {} closed ({} message(s) left in the outbox)", settings.clientId(), outbox.size());
        outbox.close();
    }

    /** Test hook: dies like a crashed process (socket closed without DISCONNECT, so the broker sends the will). */
    void crashForTest() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        wake();
        timer.shutdownNow();
        join(supervisor, deadline);
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: forced disconnect: {}", e.toString());
        }
        ready = false;
        shutdown(deadline);
        outbox.close();
    }

    private void shutdown(long deadline) {
        wake();
        join(drainer, deadline);
        requestExecutor.shutdownNow();
        inboundExecutor.shutdownNow();
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: close: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------- connection supervisor

    private void superviseLoop() {
        long delay = settings.reconnectMinDelay().toMillis();
        long attempts = 0;
        while (!closing) {
            if (ready && client.isConnected()) {
                waitSignal(1000);
                continue;
            }
            if (ready) { // lost without the callback (should not happen): reset
                ready = false;
            }
            attempts++;
            try {
                IMqttToken token = client.connect(options);
                token.waitForCompletion(settings.connectTimeout().toMillis() + 2000);
                if (closing) {
                    break;
                }
                onConnected(token.getSessionPresent(), attempts);
                delay = settings.reconnectMinDelay().toMillis();
                attempts = 0;
                lastConnectError = "";
            } catch (MqttException | RuntimeException e) {
                if (closing) {
                    break;
                }
                String why = describe(e);
                if (!why.equals(lastConnectError) || attempts % 20 == 0) {
                    Logger.warn("MQTT: cannot connect to {} ({}); retrying with back-off up to {} ms, telemetry waits in the outbox",
                            settings.brokerUri(), why, settings.reconnectMaxDelay().toMillis());
                } else {
                    Logger.debug("MQTT: connect attempt {} failed: {}", attempts, why);
                }
                lastConnectError = why;
                waitSignal(delay);
                delay = Math.min(delay * 2, settings.reconnectMaxDelay().toMillis());
            }
        }
    }

    private void onConnected(boolean sessionPresent, long attempts) throws MqttException {
        connects.incrementAndGet();
        connectedSince = Instant.now();
        Logger.info("MQTT: connected to {} as {} (session present: {}, attempt {})", settings.brokerUri(),
                settings.clientId(), sessionPresent, attempts);
        subscribeAll();
        publishStatusNow();
        if (settings.homeAssistant()) {
            publishDiscovery();
        }
        ready = true;
        wake();
    }

    private void subscribeAll() throws MqttException {
        List<MqttSubscription> subs = new ArrayList<>();
        subs.add(sub(topics.commandFilter(), 1, 0));
        topics.fleetCommandFilter().ifPresent(f -> subs.add(sub(f, 1, 0)));
        if (requestHandler != null) {
            subs.addAll(requestSubscriptions());
        }
        if (bundleHandler != null) {
            subs.addAll(bundleSubscriptions());
        }
        subscribe(subs, true);
    }

    private List<MqttSubscription> requestSubscriptions() {
        List<MqttSubscription> subs = new ArrayList<>();
        subs.add(sub(topics.inferRequest(), 0, 0));
        topics.fleetInferRequestShared().ifPresent(f -> subs.add(sub(f, 0, 0)));
        return subs;
    }

    private List<MqttSubscription> bundleSubscriptions() {
        // retain handling 1: a retained bundle is sent when the subscription is new, not on every reconnect
        List<MqttSubscription> subs = new ArrayList<>();
        subs.add(sub(topics.otaBundle(), 1, 1));
        topics.fleetOtaBundle().ifPresent(f -> subs.add(sub(f, 1, 1)));
        return subs;
    }

    private static MqttSubscription sub(String filter, int qos, int retainHandling) {
        MqttSubscription s = new MqttSubscription(filter, qos);
        s.setRetainHandling(retainHandling);
        return s;
    }

    private void subscribe(List<MqttSubscription> subs, boolean wait) throws MqttException {
        IMqttToken t = client.subscribe(subs.toArray(new MqttSubscription[0]));
        if (!wait) {
            return;
        }
        t.waitForCompletion(settings.connectTimeout().toMillis());
        int[] codes = t.getReasonCodes();
        for (int i = 0; codes != null && i < codes.length && i < subs.size(); i++) {
            if (codes[i] >= 0x80) {
                Logger.warn("MQTT: broker refused subscription {} (reason code 0x{})", subs.get(i).getTopic(),
                        Integer.toHexString(codes[i]));
            }
        }
    }

    private void subscribeLater(List<MqttSubscription> subs) {
        if (!ready) {
            return; // subscribed on (re)connect
        }
        try {
            subscribe(subs, false);
        } catch (MqttException | RuntimeException e) {
            Logger.warn("MQTT: subscribe failed ({}); retried on reconnect", e.toString());
        }
    }

    private void publishStatusNow() {
        try {
            client.publish(topics.status(), message(onlineStatus(), 1, true), null, logFailure("status"));
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: status not published: {}", e.toString());
        }
    }

    private void publishDiscovery() {
        String prefix = settings.discoveryPrefix();
        for (Map.Entry<String, ObjectNode> e : HomeAssistant.configs(json, topics, prefix).entrySet()) {
            try {
                client.publish(e.getKey(), message(e.getValue(), 1, true)).waitForCompletion(5000);
            } catch (MqttException | RuntimeException ex) {
                Logger.warn("MQTT: Home Assistant discovery {} not published: {}", e.getKey(), ex.toString());
                return;
            }
        }
    }

    private ObjectNode onlineStatus() {
        ObjectNode s = json.createObjectNode();
        s.put("state", "online");
        s.put("device", topics.deviceId());
        topics.fleetId().ifPresent(f -> s.put("fleet", f));
        s.put("client_id", settings.clientId());
        s.put("since", connectedSince.toString());
        s.put("ts", Instant.now().toString());
        JsonNode details = statusDetails.get();
        if (details instanceof ObjectNode d) {
            d.properties().forEach(e -> {
                if (!s.has(e.getKey())) {
                    s.set(e.getKey(), e.getValue());
                }
            });
        }
        return s;
    }

    private ObjectNode offlineStatus(String reason, boolean withTime) {
        ObjectNode s = json.createObjectNode();
        s.put("state", "offline");
        s.put("device", topics.deviceId());
        s.put("reason", reason);
        if (withTime) {
            s.put("ts", Instant.now().toString());
        }
        return s;
    }

    // ---------------------------------------------------------------- outbox

    @Override
    public boolean publishTelemetry(JsonNode telemetry) {
        ObjectNode o = envelope(telemetry);
        if (o == null) {
            return false;
        }
        o.put("seq", telemetrySeq.incrementAndGet());
        o.put("outbox_dropped", outbox.takeUnreportedDrops());
        o.put("outbox_pending", outbox.size());
        return enqueue(topics.telemetry(), 1, false, o);
    }

    @Override
    public boolean publishRecal(JsonNode report) {
        ObjectNode o = envelope(report);
        return o != null && enqueue(topics.recal(), 1, false, o);
    }

    @Override
    public boolean publishOtaStatus(JsonNode status) {
        ObjectNode o = envelope(status);
        return o != null && enqueue(topics.otaStatus(), 1, true, o);
    }

    private ObjectNode envelope(JsonNode node) {
        if (closing || node == null) {
            return null;
        }
        ObjectNode o;
        if (node instanceof ObjectNode on) {
            o = on.deepCopy();
        } else {
            o = json.createObjectNode();
            o.set("data", node);
        }
        if (!o.has("device")) {
            o.put("device", topics.deviceId());
        }
        if (!o.has("ts")) {
            o.put("ts", Instant.now().toString());
        }
        return o;
    }

    private boolean enqueue(String topic, int qos, boolean retained, JsonNode payload) {
        try {
            outbox.add(topic, qos, retained, bytes(payload));
            wake();
            return true;
        } catch (IOException | RuntimeException e) {
            Logger.warn("MQTT: could not queue a message for {}: {}", topic, e.toString());
            return false;
        }
    }

    private void drainLoop() {
        long timeoutNanos = settings.publishTimeout().toNanos();
        while (!closing) {
            if (!ready) {
                waitSignal(500);
                continue;
            }
            long now = System.nanoTime();
            inflight.entrySet().removeIf(e -> now - e.getValue() > timeoutNanos); // retried (maybe duplicated)
            int free = WINDOW - inflight.size();
            if (free <= 0) {
                waitSignal(200);
                continue;
            }
            List<Outbox.Message> batch = outbox.peek(free, inflight.keySet());
            if (batch.isEmpty()) {
                waitSignal(500);
                continue;
            }
            for (Outbox.Message m : batch) {
                if (!ready || closing) {
                    break;
                }
                long seq = m.seq();
                inflight.put(seq, System.nanoTime());
                try {
                    MqttMessage msg = new MqttMessage(m.payload(), m.qos(), m.retained(), jsonProperties());
                    client.publish(m.topic(), msg, null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            if (outbox.remove(seq)) {
                                delivered.incrementAndGet();
                            }
                            inflight.remove(seq);
                            wake();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            Logger.debug("MQTT: outbox message {} not acknowledged: {}", seq, e.toString());
                            inflight.remove(seq);
                            wake();
                        }
                    });
                } catch (MqttException | RuntimeException e) {
                    inflight.remove(seq);
                    Logger.debug("MQTT: outbox publish deferred: {}", e.toString());
                    waitSignal(200);
                    break;
                }
            }
        }
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        try { // never throw here: Paho would drop the connection
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
            reply(responseTopic, correlation, error("busy", "too many pending requests (" + settings.maxPendingRequests()
                    + "); retry later", null), false);
        }
    }

    private void handleRequest(byte[] payload, String responseTopic, byte[] correlation) {
        requestsHandled.incrementAndGet();
        JsonNode request;
        try {
            request = json.readTree(payload);
            if (request == null || request.isMissingNode()) {
                throw new IOException("empty payload");
            }
        } catch (IOException e) {
            reply(responseTopic, correlation, error("bad_request", "payload is not JSON: " + e.getMessage(), null), false);
            return;
        }
        JsonNode id = request.get("id");
        RequestHandler h = requestHandler;
        if (h == null) {
            reply(responseTopic, correlation, error("no_handler", "inference is not available on this device", id), false);
            return;
        }
        try {
            JsonNode out = h.handle(request);
            JsonNode body = out == null ? json.createObjectNode() : out;
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

    private ObjectNode error(String kind, String message, JsonNode id) {
        ObjectNode o = json.createObjectNode();
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
        MqttProperties props = jsonProperties();
        if (correlation != null) {
            props.setCorrelationData(correlation);
        }
        props.setUserProperties(List.of(new UserProperty("status", ok ? "ok" : "error")));
        try {
            client.publish(responseTopic, new MqttMessage(bytes(body), 0, false, props));
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
        boolean fleet = topics.classify(topic) == Topics.Inbound.FLEET_COMMAND;
        MqttProperties p = message.getProperties();
        String responseTopic = p == null ? null : p.getResponseTopic();
        byte[] correlation = p == null ? null : p.getCorrelationData();
        JsonNode payload;
        try {
            payload = message.getPayload().length == 0 ? NullNode.getInstance() : json.readTree(message.getPayload());
        } catch (IOException e) {
            payload = NullNode.getInstance();
        }
        if (name.equals("status")) {
            publishStatusNow();
            if (responseTopic != null) {
                reply(responseTopic, correlation, onlineStatus(), true);
            }
            return;
        }
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
                result = error(e instanceof IllegalArgumentException ? "bad_request" : "internal", String.valueOf(e), null);
                ok = false;
            }
        }
        if (responseTopic != null) {
            reply(responseTopic, correlation, result == null ? json.createObjectNode().put("ok", true) : result, ok);
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        boolean was = ready;
        ready = false;
        inflight.clear(); // Paho fails or re-sends them; the files are still in the outbox
        if (was && !closing) {
            Logger.warn("MQTT: connection to {} lost ({}); reconnecting", settings.brokerUri(),
                    response == null ? "?" : response.getException() != null ? describe(response.getException())
                            : "reason " + response.getReturnCode() + " " + response.getReasonString());
        }
        wake();
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        Logger.warn("MQTT: protocol error: {}", describe(exception));
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

    // ---------------------------------------------------------------- handlers, telemetry, stats

    @Override
    public void setStatusDetails(JsonNode details) {
        statusDetails.set(details == null ? NullNode.getInstance() : details.deepCopy());
        if (ready) {
            publishStatusNow();
        }
    }

    @Override
    public synchronized void startTelemetry(Supplier<? extends JsonNode> source) {
        if (closing) {
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
        boolean first = requestHandler == null;
        requestHandler = handler;
        if (first && handler != null) {
            subscribeLater(requestSubscriptions());
        }
    }

    @Override
    public void onOtaBundle(BundleHandler handler) {
        boolean first = bundleHandler == null;
        bundleHandler = handler;
        if (first && handler != null) {
            subscribeLater(bundleSubscriptions());
        }
    }

    @Override
    public void onCommand(CommandHandler handler) {
        commandHandler = handler;
    }

    @Override
    public LinkStats stats() {
        return new LinkStats(isConnected(), connects.get(), outbox.size(), outbox.bytes(), outbox.droppedTotal(),
                delivered.get(), requestsHandled.get(), requestsRejected.get());
    }

    Outbox outbox() {
        return outbox;
    }

    // ---------------------------------------------------------------- helpers

    private MqttMessage message(JsonNode body, int qos, boolean retained) {
        return new MqttMessage(bytes(body), qos, retained, jsonProperties());
    }

    private static MqttProperties jsonProperties() {
        MqttProperties p = new MqttProperties();
        p.setContentType(CONTENT_TYPE);
        p.setPayloadFormat(true);
        return p;
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a JsonNode always serialises
        }
    }

    private static MqttActionListener logFailure(String what) {
        return new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                Logger.debug("MQTT: {} not delivered: {}", what, e.toString());
            }
        };
    }

    private static String describe(Throwable e) {
        String s = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof MqttException me) {
            s += " [" + me.getReasonCode() + "]";
        }
        if (e.getCause() != null && e.getCause() != e) {
            s += ": " + e.getCause();
        }
        return s;
    }

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void waitSignal(long millis) {
        synchronized (signal) {
            try {
                signal.wait(Math.max(1, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closing = true;
            }
        }
    }

    private static long millisLeft(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    private static void join(Thread t, long deadline) {
        if (t == Thread.currentThread() || t.getState() == Thread.State.NEW) {
            return;
        }
        try {
            t.join(Math.max(1, millisLeft(deadline)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
