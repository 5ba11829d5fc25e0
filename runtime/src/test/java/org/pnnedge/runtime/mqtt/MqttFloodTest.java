package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.runtime.LogTee;

/**
 * Issue 13's MQTT attacks on the link, against a real Mosquitto: oversized publishes (4 × 200 MB killed Paho's
 * receiver), a garbage flood on the bundle topic while a legitimate bundle arrives (it was acknowledged and then
 * dropped), and a Paho thread or one of the link's own threads that dies (the link never recovered).
 */
class MqttFloodTest {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    @TempDir
    Path tmp;
    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        cleanup.add(c);
        return c;
    }

    private MqttSettings.Builder settings(String device) {
        return MqttSettings.builder().brokerUri(BROKER.uri()).deviceId(device).outboxDir(tmp.resolve(device))
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500)).keepAlive(Duration.ofSeconds(5));
    }

    private PahoMqttLink started(MqttSettings s) throws Exception {
        PahoMqttLink link = track((PahoMqttLink) MqttLink.create(s));
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)), BROKER.log());
        return link;
    }

    @Test
    void publishesBeyondTheMaximumPacketSizeNeverReachTheDeviceAndTheLinkStaysUp() throws Exception {
        List<Integer> bundleSizes = new CopyOnWriteArrayList<>();
        AtomicInteger requests = new AtomicInteger();
        MqttLink link = MqttLink.create(settings("big-1").maxPacketBytes(64 * 1024).build());
        track(link);
        link.onOtaBundle(b -> bundleSizes.add(b.payload().length));
        link.onInferenceRequest(r -> {
            requests.incrementAndGet();
            return TestClient.JSON.createObjectNode().put("label", "a");
        });
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)));
        Topics t = link.topics();
        TestClient attacker = track(TestClient.connect(BROKER.uri()));
        byte[] big = new byte[2 * 1024 * 1024];
        new Random(1).nextBytes(big);
        for (String topic : List.of(t.inferRequest(), t.otaBundle(), t.inferRequest().replace("infer/request", "cmd/recalibrate"),
                t.otaBundle())) {
            attacker.publish(topic, big, 1, topic.equals(t.otaBundle()), new MqttProperties());
        }
        byte[] fits = new byte[32 * 1024];
        attacker.publish(t.otaBundle(), fits, 1, false, new MqttProperties());
        MqttLinkContract.waitFor(() -> bundleSizes.contains(fits.length), 10, "the bundle that fits arrives");
        // a legitimate request is still answered on the same connection
        TestClient requester = track(TestClient.connect(BROKER.uri()).subscribe("replies/big-1", 0));
        requester.request(t.inferRequest(), "{\"features\":[1]}", "replies/big-1");
        assertEquals("a", requester.next(10).json().path("label").asText());
        assertEquals(List.of(fits.length), bundleSizes, "no oversized bundle reached the handler");
        assertEquals(1, requests.get(), "no oversized request reached the handler");
        assertEquals(1, link.stats().connects(), "never disconnected");
        assertTrue(link.isConnected());
    }

    @Test
    void aGarbageFloodDelaysButNeverLosesALegitimateBundle() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        MqttLink link = MqttLink.create(settings("flood-1").build());
        track(link);
        link.onOtaBundle(b -> { // garbage is refused in milliseconds; a real update's self-test takes seconds
            String head = new String(b.payload(), 0, Math.min(5, b.payload().length), StandardCharsets.ISO_8859_1);
            handled.add(head);
            try {
                Thread.sleep(head.equals("SLOW-") ? 3000 : 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)));
        Topics t = link.topics();
        link.publishOtaStatus(TestClient.JSON.createObjectNode().put("state", "installed").put("version", "3"));
        TestClient watcher = track(TestClient.connect(BROKER.uri()).subscribe(t.otaStatus(), 1));
        MqttLinkContract.waitFor(() -> link.stats().outboxPending() == 0, 10, "state published");

        TestClient flooder = track(TestClient.connect(BROKER.uri()));
        Random r = new Random(2);
        int garbage = 300;
        flooder.publish(t.otaBundle(), "SLOW-bundle".getBytes(StandardCharsets.US_ASCII), 1, false,
                new MqttProperties());
        for (int i = 0; i < garbage; i++) {
            byte[] g = new byte[200];
            r.nextBytes(g);
            g[0] = 'x';
            flooder.publish(t.otaBundle(), g, 1, false, new MqttProperties());
            if (i == garbage / 2) {
                flooder.publish(t.otaBundle(), "LEGIT-bundle".getBytes(StandardCharsets.US_ASCII), 1, false,
                        new MqttProperties());
            }
        }
        MqttLinkContract.waitFor(() -> handled.contains("LEGIT"), 120, "the legitimate bundle is handled");
        assertTrue(link.stats().bundlesDeferred() > 0,
                "the flood overflowed the bundle queue (else this test proves nothing): " + link.stats());
        MqttLinkContract.waitFor(() -> handled.size() >= garbage + 2, 120, "every bundle handled in the end, none lost");

        // busy notices: not retained, at most one per interval; the retained state is untouched
        List<TestClient.Received> seen = watcher.drain(500);
        List<TestClient.Received> busy = seen.stream().filter(m -> m.json().path("state").asText().equals("busy"))
                .toList();
        assertFalse(busy.isEmpty(), "the flood was answered busy");
        assertTrue(busy.stream().noneMatch(TestClient.Received::retained), "busy is an event, not state");
        try (TestClient later = TestClient.connect(BROKER.uri()).subscribe(t.otaStatus(), 1)) {
            TestClient.Received retained = later.next(5);
            assertTrue(retained.retained());
            assertEquals("installed", retained.json().path("state").asText(), retained.json().toString());
        }
        assertEquals(garbage + 2, handled.size(), "each bundle handled once");
        assertTrue(link.isConnected());
    }

    @Test
    void aDeadPahoThreadIsNoticedAndTheClientRebuilt() throws Exception {
        PahoMqttLink link = started(settings("dead-1").connectTimeout(Duration.ofSeconds(2)).build());
        TestClient dashboard = track(TestClient.connect(BROKER.uri()).subscribe(link.topics().telemetry(), 1));
        link.failPahoThreadsForTest(true); // from now on this client's threads die as they start
        link.dropConnectionForTest();
        MqttLinkContract.waitFor(() -> link.stats().clientRebuilds() >= 1, 30, "the broken client replaced");
        link.failPahoThreadsForTest(false);
        assertTrue(link.awaitConnected(Duration.ofSeconds(30)), "connected again with a fresh client");
        link.publishTelemetry(TestClient.JSON.createObjectNode().put("n", 7));
        assertEquals(7, dashboard.next(link.topics().telemetry(), 10).json().path("n").asInt());
    }

    @Test
    void deadLinkThreadsAreRunAgainAndTheLinkRecovers() throws Exception {
        PahoMqttLink link = started(settings("dead-2").connectTimeout(Duration.ofSeconds(2)).build());
        TestClient dashboard = track(TestClient.connect(BROKER.uri()).subscribe(link.topics().telemetry(), 1));
        // both of our own loops die as an OutOfMemoryError would end them
        link.killLinkThreadsForTest(new OutOfMemoryError("test: link thread killed"));
        MqttLinkContract.waitFor(() -> link.stats().threadRestarts() >= 2, 30, "both link threads noticed");
        long connects = link.stats().connects();
        link.dropConnectionForTest(); // only a living connection supervisor reconnects
        MqttLinkContract.waitFor(() -> link.stats().connects() > connects && link.isConnected(), 30,
                "reconnected by the restarted supervisor");
        link.publishTelemetry(TestClient.JSON.createObjectNode().put("n", 8)); // only a living drainer sends it
        assertEquals(8, dashboard.next(link.topics().telemetry(), 10).json().path("n").asInt());
    }

    @Test
    void failingInferenceRequestsAreEachAnsweredButLoggedAtABoundedRate() throws Exception {
        MqttLink link = track(MqttLink.create(settings("failing-1").build()));
        link.onInferenceRequest(r -> {
            throw new IllegalStateException("device busy for longer than watchdog.timeout");
        });
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)), BROKER.log());
        TestClient requester = track(TestClient.connect(BROKER.uri()).subscribe("clients/9/replies", 0));
        int n = 30;
        try (LogTee tee = LogTee.start()) {
            for (int i = 0; i < n; i++) {
                requester.request(link.topics().inferRequest(), "{\"id\":" + i + ",\"features\":[1]}",
                        "clients/9/replies");
            }
            MqttLinkContract.waitFor(() -> link.stats().requestsHandled() == n, 30, n + " requests handled");
            assertEquals("internal", requester.next(10).json().path("error").path("kind").asText());
            long lines = tee.count("inference request failed");
            assertTrue(lines >= 1 && lines <= 2, lines + " log lines for " + n + " failed requests");
        }
    }

    /** A handler that dies of an Error (out of memory in one request): the requester is answered, not left waiting. */
    @Test
    void anErrorInAHandlerIsAnsweredToo() throws Exception {
        MqttLink link = track(MqttLink.create(settings("failing-3").build()));
        link.onInferenceRequest(r -> {
            throw new OutOfMemoryError("Java heap space (test)");
        });
        link.onCommand(c -> {
            throw new StackOverflowError("test");
        }, CommandAuthoriser.ALLOW_ALL);
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)), BROKER.log());
        TestClient requester = track(TestClient.connect(BROKER.uri()).subscribe("clients/9/errors", 0));
        for (String topic : new String[] {link.topics().inferRequest(), link.topics().command("classify")}) {
            requester.request(topic, "{\"id\":1,\"features\":[1]}", "clients/9/errors");
            assertEquals("internal", requester.next(10).json().path("error").path("kind").asText(), topic);
        }
    }

    @Test
    void failingCommandsAreEachAnsweredButLoggedAtABoundedRate() throws Exception {
        MqttLink link = track(MqttLink.create(settings("failing-2").build()));
        link.onCommand(c -> {
            throw new IllegalStateException("device busy for longer than watchdog.timeout");
        }, CommandAuthoriser.ALLOW_ALL);
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)), BROKER.log());
        TestClient requester = track(TestClient.connect(BROKER.uri()).subscribe("clients/9/answers", 0));
        int n = 12; // within the command queue, so none is answered busy instead
        try (LogTee tee = LogTee.start()) {
            for (int i = 0; i < n; i++) {
                requester.request(link.topics().command("classify"), "{\"features\":[1]}", "clients/9/answers");
            }
            for (int i = 0; i < n; i++) {
                assertEquals("internal", requester.next(10).json().path("error").path("kind").asText());
            }
            long lines = tee.count("command 'classify' failed");
            assertTrue(lines >= 1 && lines <= 2, lines + " log lines for " + n + " failed commands");
        }
    }
}
