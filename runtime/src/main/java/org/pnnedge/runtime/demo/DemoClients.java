package org.pnnedge.runtime.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.pnnedge.runtime.mqtt.MessageCallback;

/** The demo's own MQTT clients: what a fleet backend would be, watching the device and asking it things. */
final class DemoClients {
    private DemoClients() {
    }

    /** A separate MQTT client that watches what the device publishes and sends it commands and bundles. */
    static final class Observer implements AutoCloseable {
        final MqttClient client;
        final AtomicInteger telemetry = new AtomicInteger();
        final BlockingQueue<JsonNode> recal = new LinkedBlockingQueue<>();
        final BlockingQueue<JsonNode> otaStatus = new LinkedBlockingQueue<>();

        Observer(String broker, String base) throws MqttException {
            client = new MqttClient(broker, "demo-observer-" + UUID.randomUUID(), new MemoryPersistence());
            client.setCallback(new MessageCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    try {
                        JsonNode j = VowelDemo.MAPPER.readTree(message.getPayload());
                        if (topic.endsWith("/telemetry")) {
                            telemetry.incrementAndGet();
                        } else if (topic.endsWith("/recal")) {
                            recal.add(j);
                        } else if (topic.endsWith("/ota/status")) {
                            otaStatus.add(j);
                        }
                    } catch (IOException e) {
                        // not JSON: ignore
                    }
                }
            });
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setConnectionTimeout(10);
            client.connect(o);
            client.subscribe(new String[] {base + "/telemetry", base + "/recal", base + "/ota/status"},
                    new int[] {1, 1, 1});
        }

        void publish(String topic, String json) throws MqttException {
            client.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        void publishBytes(String topic, byte[] payload) throws MqttException {
            client.publish(topic, payload, 1, false);
        }

        /** Waits for a final OTA status (SWITCHED, REJECTED, ROLLED_BACK). */
        JsonNode finalOtaStatus() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(VowelDemo.WAIT_S);
            while (System.nanoTime() < deadline) {
                JsonNode s = otaStatus.poll(1, TimeUnit.SECONDS);
                if (s != null && s.path("final").asBoolean()) {
                    return s;
                }
            }
            throw new IllegalStateException("no final OTA status within " + VowelDemo.WAIT_S + " s");
        }

        @Override
        public void close() throws MqttException {
            client.disconnect(2000);
            client.close();
        }
    }

    /** An MQTT 5 client asking for inferences: response topic + correlation data, one request at a time. */
    static final class Requester implements AutoCloseable {
        final MqttClient client;
        final String requestTopic;
        final String responseTopic = "demo/responses/" + UUID.randomUUID();
        final BlockingQueue<MqttMessage> answers = new LinkedBlockingQueue<>();

        Requester(String broker, String requestTopic) throws MqttException {
            this.requestTopic = requestTopic;
            client = new MqttClient(broker, "demo-requester-" + UUID.randomUUID(), new MemoryPersistence());
            client.setCallback(new MessageCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    answers.add(message);
                }
            });
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setConnectionTimeout(10);
            client.connect(o);
            client.subscribe(responseTopic, 0);
        }

        JsonNode classify(double[] features) throws Exception {
            ObjectNode req = VowelDemo.MAPPER.createObjectNode();
            ArrayNode f = req.putArray("features");
            for (double v : features) {
                f.add(v);
            }
            byte[] correlation = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            MqttMessage m = new MqttMessage(VowelDemo.MAPPER.writeValueAsBytes(req));
            m.setQos(0);
            MqttProperties p = new MqttProperties();
            p.setResponseTopic(responseTopic);
            p.setCorrelationData(correlation);
            m.setProperties(p);
            client.publish(requestTopic, m);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                MqttMessage a = answers.poll(1, TimeUnit.SECONDS);
                if (a != null && a.getProperties() != null
                        && Arrays.equals(correlation, a.getProperties().getCorrelationData())) {
                    return VowelDemo.MAPPER.readTree(a.getPayload());
                }
            }
            throw new IllegalStateException("no answer to an inference request within 10 s");
        }

        @Override
        public void close() throws MqttException {
            client.disconnect(2000);
            client.close();
        }
    }
}
