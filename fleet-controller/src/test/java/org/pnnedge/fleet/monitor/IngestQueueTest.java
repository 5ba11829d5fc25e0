package org.pnnedge.fleet.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.runtime.LogTee;
import org.pnnedge.runtime.fleet.FleetAccounts;

/**
 * The queue between the lanes and the writer, without a broker or a database (nothing connects): QoS 0 messages,
 * which no Receive Maximum and no one-in-flight rule holds back, can flood it. They must never take the room of a
 * QoS 1 message (one dropped stays unacknowledged and holds its lane's only in-flight slot on ejabberd: the lane
 * stalls), and what is dropped must not be logged once per message.
 */
class IngestQueueTest {
    private static final int QUEUE = 4;

    @Test
    void aQos0FloodNeverTakesTheRoomOfQos1MessagesAndIsNotLoggedPerMessage(@TempDir Path dir) throws Exception {
        Path accounts = dir.resolve("accounts.json");
        new FleetAccounts(List.of(new FleetAccounts.Account(FleetAccounts.OPERATOR, FleetAccounts.Role.OPERATOR, "",
                "secret"))).save(accounts);
        IngestWorker.Options o = new IngestWorker.Options(new DevicePartition(1, 0), 1,
                List.of(new InetSocketAddress("127.0.0.1", 1)), accounts, FleetAccounts.OPERATOR, Duration.ofDays(7),
                Duration.ofMinutes(1), QUEUE, 10);
        String log;
        try (IngestWorker w = new IngestWorker(o, null); LogTee tee = LogTee.start()) {
            for (int i = 0; i < 100; i++) { // a device publishing QoS 0 faster than the writer commits
                w.arrived(publish("pnn/rogue/telemetry", MqttQos.AT_MOST_ONCE));
            }
            for (int i = 0; i < QUEUE; i++) { // as many QoS 1 messages as the lanes' Receive Maximum lets in flight
                w.arrived(publish("pnn/good/telemetry", MqttQos.AT_LEAST_ONCE));
            }
            log = tee.text();
            assertEquals(QUEUE, w.queuedByQos()[1], "every QoS 1 message is queued");
            assertEquals(QUEUE, w.queuedByQos()[0], "QoS 0 messages fill their half of the queue only");
            assertEquals(100 + QUEUE, w.stats().received());
            assertEquals(100 - QUEUE, w.stats().dropped(), "QoS 0 messages beyond their half of the queue");
        }
        assertEquals(0, log.lines().filter(l -> l.contains("pnn/good/")).count(), "a QoS 1 message was dropped:\n"
                + log);
        long lines = log.lines().filter(l -> l.contains("ingest: queue full")).count();
        assertTrue(lines <= 1, lines + " log lines for the dropped QoS 0 messages");
    }

    private static Mqtt5Publish publish(String topic, MqttQos qos) {
        return Mqtt5Publish.builder().topic(topic).qos(qos).payload("{}".getBytes(StandardCharsets.UTF_8)).build();
    }
}
