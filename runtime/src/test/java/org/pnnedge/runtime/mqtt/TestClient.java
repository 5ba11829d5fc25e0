package org.pnnedge.runtime.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A plain Paho MQTT 5 client for the tests: the "other side" (dashboard, requester, OTA server). */
final class TestClient extends MessageCallback implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    record Received(String topic, byte[] payload, boolean retained, MqttProperties properties) {
        JsonNode json() {
            try {
                return JSON.readTree(payload);
            } catch (Exception e) {
                throw new AssertionError("not JSON on " + topic + ": " + new String(payload, StandardCharsets.UTF_8), e);
            }
        }
    }

    private final MqttAsyncClient client;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    /** A clean, non-persistent session. */
    static TestClient connect(String uri) throws MqttException {
        return new TestClient(uri, "test-" + UUID.randomUUID(), true, 0);
    }

    /** A clean session logged in as {@code user}. */
    static TestClient login(String uri, String user, String password) throws MqttException {
        return new TestClient(uri, "test-" + UUID.randomUUID(), true, 0, user, password);
    }

    /** A persistent session (queued QoS 1 messages while the broker or client is away), auto-reconnecting. */
    static TestClient persistent(String uri, String clientId) throws MqttException {
        return new TestClient(uri, clientId, false, 300);
    }

    private TestClient(String uri, String clientId, boolean cleanStart, long sessionExpiry) throws MqttException {
        this(uri, clientId, cleanStart, sessionExpiry, null, null);
    }

    /** A client connected with the options given (TLS, for one), as {@code clientId}. */
    TestClient(String uri, String clientId, MqttConnectionOptions o) throws MqttException {
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(this);
        client.connect(o).waitForCompletion(10_000);
    }

    private TestClient(String uri, String clientId, boolean cleanStart, long sessionExpiry, String user,
                       String password) throws MqttException {
        this(uri, clientId, options(cleanStart, sessionExpiry, user, password));
    }

    private static MqttConnectionOptions options(boolean cleanStart, long sessionExpiry, String user, String password) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(cleanStart);
        o.setSessionExpiryInterval(sessionExpiry);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 2);
        o.setConnectionTimeout(5);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
            o.setAutomaticReconnect(false); // a refused login must fail, not retry
        }
        return o;
    }

    TestClient subscribe(String filter, int qos) throws MqttException {
        IMqttToken t = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
        t.waitForCompletion(10_000);
        return this;
    }

    void publish(String topic, byte[] payload, int qos, boolean retained, MqttProperties props) throws MqttException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                client.publish(topic, new MqttMessage(payload, qos, retained, props)).waitForCompletion(10_000);
                return;
            } catch (MqttException e) {
                // a flood outruns Paho's bookkeeping of completed publishes for a moment: wait, then again
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A request at QoS 0 whose answer goes to {@code replyTo} (MQTT 5 response topic). */
    void request(String topic, String json, String replyTo) throws MqttException {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic(replyTo);
        publish(topic, json.getBytes(StandardCharsets.UTF_8), 0, false, p);
    }

    void publish(String topic, String payload) throws MqttException {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false, new MqttProperties());
    }

    /** The next message, or an AssertionError after {@code seconds}. */
    Received next(double seconds) throws InterruptedException {
        Received r = received.poll((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no message within " + seconds + " s");
        }
        return r;
    }

    /** The next message on {@code topic}, skipping others. */
    Received next(String topic, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            long left = deadline - System.nanoTime();
            Received r = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (r == null) {
                throw new AssertionError("no message on " + topic + " within " + seconds + " s");
            }
            if (r.topic().equals(topic)) {
                return r;
            }
        }
    }

    /** Everything that arrives within {@code millis}. */
    List<Received> drain(long millis) throws InterruptedException {
        List<Received> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        Received r;
        while ((r = received.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, message.getPayload(), message.isRetained(), message.getProperties()));
    }






    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(500).waitForCompletion(2000);
            }
        } catch (MqttException e) {
            // test cleanup
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // test cleanup
        }
    }
}
