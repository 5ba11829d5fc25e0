package org.pnnedge.fleetsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.Test;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.pnnedge.runtime.fleet.TestCluster;

/**
 * The observer survives the broker closing its session (skipped without ejabberd): on a throwaway ejabberd cluster
 * another client takes its session over (same client id: ejabberd closes the observer's connection, as it does with
 * "Message queue is overloaded"); the observer reconnects, subscribes again, sees telemetry published afterwards,
 * and counts the gap.
 */
class FleetObserverTest {
    @Test
    void reconnectsResubscribesAndCountsTheGap() throws Exception {
        TestCluster.assumeAvailable("fleet observer test");
        try (TestCluster tc = TestCluster.create("pnn-fleetobs-test-", "pnno")) {
            tc.cluster().addAccounts(List.of("od-1"), FleetAccounts.Role.DEVICE, "obs");
            tc.up(Duration.ofSeconds(90));
            InetSocketAddress node1 = new InetSocketAddress("127.0.0.1", tc.layout().mqttPort(1));
            FleetAccounts.Account op = tc.cluster().accounts().find(FleetAccounts.OPERATOR).orElseThrow();
            FleetAccounts.Account dev = tc.cluster().accounts().find("od-1").orElseThrow();
            try (FleetObserver obs = new FleetObserver(node1, op.name(), op.password())) {
                assertEquals(0, obs.gaps().reconnects());
                assertTrue(FleetObserver.await(Duration.ofSeconds(60), () -> publishSeen(node1, dev, obs)),
                        "before: " + obs.telemetryReceived() + " seen, " + obs.gaps());
                long before = obs.telemetryReceived();

                Mqtt5BlockingClient taker = MqttClient.builder().useMqttVersion5().identifier(obs.clientId())
                        .serverAddress(node1).simpleAuth().username(op.name())
                        .password(op.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
                taker.connect();
                assertTrue(FleetObserver.await(Duration.ofSeconds(30), () -> obs.gaps().down()),
                        "the broker did not close the observer's session: " + obs.gaps() + ", connected "
                                + obs.connected());
                try {
                    taker.disconnect();
                } catch (RuntimeException e) {
                    // the observer took the session back first: fine
                }
                assertTrue(FleetObserver.await(Duration.ofSeconds(90),
                                () -> obs.gaps().reconnects() == 1 && obs.connected()),
                        "no reconnect: " + obs.gaps() + ", connected " + obs.connected());
                // subscribed again: the new session is clean, so telemetry only arrives on a new subscription
                assertTrue(FleetObserver.await(Duration.ofSeconds(60), () -> publishSeen(node1, dev, obs)
                                && obs.telemetryReceived() > before),
                        "nothing seen after the reconnect: " + obs.telemetryReceived() + " in all, " + obs.gaps());

                FleetObserver.Gaps g = obs.gaps();
                assertFalse(g.down(), g.toString());
                assertEquals(1, g.reconnects(), g.toString());
                assertTrue(g.missed().toMillis() > 0 && g.longest().equals(g.missed()), g.toString());
                assertTrue(g.summary().startsWith("observer reconnected 1 times, missed window "), g.summary());
                System.out.println(g.summary());
            }
        }
    }

    /** Publishes one telemetry message as the device and waits up to 5 s for the observer to count it. */
    private static boolean publishSeen(InetSocketAddress node, FleetAccounts.Account dev, FleetObserver obs) {
        long had = obs.telemetryReceived();
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(dev.name()).serverAddress(node)
                .simpleAuth().username(dev.name()).password(dev.password().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();
        try {
            c.connect();
            c.publishWith().topic("pnn/" + dev.name() + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"ts\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8)).send();
            c.disconnect();
            return FleetObserver.await(Duration.ofSeconds(5), () -> obs.telemetryReceived() > had);
        } catch (RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
