package org.pnnedge.runtime.fleet;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.pnnedge.runtime.mqtt.MessageCallback;

/** A plain Paho MQTT 5 client with a user name, connected to one node of the test cluster. */
final class ClusterClient extends MessageCallback implements AutoCloseable {
    record Received(String topic, MqttMessage message) {
        String text() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }
    }

    final MqttAsyncClient client;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    ClusterClient(String uri, String clientId) throws MqttException {
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(this);
    }

    /** Connects as {@code user}; {@code options} carries clean start, session expiry, will. */
    static ClusterClient connect(String uri, String clientId, String user, String password,
                                 MqttConnectionOptions options) throws MqttException {
        ClusterClient c = new ClusterClient(uri, clientId);
        options.setUserName(user);
        options.setPassword(password == null ? null : password.getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(10);
        c.client.connect(options).waitForCompletion(15_000);
        return c;
    }

    static ClusterClient connect(String uri, String clientId, String user, String password) throws MqttException {
        return connect(uri, clientId, user, password, new MqttConnectionOptions());
    }

    /** The SUBACK reason code (0..2 granted, >= 0x80 refused). */
    int subscribe(String filter, int qos) throws MqttException {
        try {
            IMqttToken t = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
            t.waitForCompletion(10_000);
            return t.getReasonCodes()[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /** Publishes at QoS 1 and returns the PUBACK reason code (0 = accepted, >= 0x80 refused). */
    int publish(String topic, byte[] payload, MqttProperties props) throws MqttException {
        try {
            MqttMessage m = new MqttMessage(payload, 1, false, props);
            IMqttToken t = client.publish(topic, m);
            t.waitForCompletion(10_000);
            int[] codes = t.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    int publish(String topic, String payload) throws MqttException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), new MqttProperties());
    }

    /** The next message, or null after {@code seconds}. */
    Received poll(double seconds) throws InterruptedException {
        return received.poll((long) (seconds * 1000), TimeUnit.MILLISECONDS);
    }

    /** The next message on {@code topic} within {@code seconds} (others are skipped), or an AssertionError. */
    Received next(String topic, double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            Received r = poll((end - System.nanoTime()) / 1e9);
            if (r != null && r.topic().equals(topic)) {
                return r;
            }
        }
        throw new AssertionError("nothing on " + topic + " within " + seconds + " s");
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, message));
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(5_000);
        }
        client.close();
    }
}
