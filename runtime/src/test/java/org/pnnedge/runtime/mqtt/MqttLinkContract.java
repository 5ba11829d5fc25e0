package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link's behaviour against a real broker; subclasses supply the broker (HiveMQ CE embedded, Mosquitto).
 */
abstract class MqttLinkContract {
    @TempDir
    Path tmp;
    private final Closer cleanup = new Closer();
    private String device;

    abstract TestBroker broker();

    MqttSettings.Builder settings(String deviceId) {
        return MqttSettings.builder()
                .brokerUri(broker().uri())
                .deviceId(deviceId)
                .outboxDir(tmp.resolve("outbox-" + deviceId))
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500))
                .connectTimeout(Duration.ofSeconds(3))
                .keepAlive(Duration.ofSeconds(5));
    }

    String device(TestInfo info) {
        String name = info.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "");
        device = name.substring(0, Math.min(24, name.length())) + "-"
                + UUID.randomUUID().toString().substring(0, 6);
        return device;
    }

    <T extends AutoCloseable> T track(T c) {
        return cleanup.add(c);
    }

    PahoMqttLink started(MqttSettings s) throws Exception {
        PahoMqttLink link = track((PahoMqttLink) MqttLink.create(s));
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)), "link did not connect to " + broker().name());
        return link;
    }

    TestClient client() throws Exception {
        return track(TestClient.connect(broker().uri()));
    }

    @AfterEach
    void closeAll() {
        cleanup.close();
    }

    static ObjectNode obj() {
        return TestClient.JSON.createObjectNode();
    }

    @Test
    void statusIsRetainedOnlineAndTheWillSaysOfflineWhenTheClientDies(TestInfo info) throws Exception {
        PahoMqttLink link = started(settings(device(info)).build());
        Topics t = link.topics();
        TestClient watcher = client().subscribe(t.status(), 1);
        TestClient.Received online = watcher.next(t.status(), 5);
        assertTrue(online.retained(), "status is retained");
        assertEquals("online", online.json().path("state").asText());
        assertEquals(device, online.json().path("device").asText());

        link.crashForTest(); // socket closed without DISCONNECT
        TestClient.Received offline = watcher.next(t.status(), 10);
        assertEquals("offline", offline.json().path("state").asText());
        assertEquals("connection lost", offline.json().path("reason").asText());

        TestClient late = client().subscribe(t.status(), 1); // the will is retained too
        TestClient.Received retained = late.next(t.status(), 5);
        assertTrue(retained.retained());
        assertEquals("offline", retained.json().path("state").asText());
    }

    @Test
    void gracefulCloseReplacesOnlineWithOffline(TestInfo info) throws Exception {
        MqttLink link = started(settings(device(info)).build());
        link.setStatusDetails(obj().put("model_id", "vowels").put("model_version", "3"));
        TestClient watcher = client().subscribe(link.topics().status(), 1);
        JsonNode online = watcher.next(link.topics().status(), 5).json();
        assertEquals("online", online.path("state").asText());
        assertEquals("vowels", online.path("model_id").asText(), "status details are merged: " + online);
        link.close(Duration.ofSeconds(5));
        JsonNode offline = watcher.next(link.topics().status(), 5).json();
        assertEquals("offline", offline.path("state").asText());
        assertEquals("shutdown", offline.path("reason").asText());
    }

    @Test
    void telemetryArrivesAtAnotherSubscriber(TestInfo info) throws Exception {
        MqttLink link = started(settings(device(info)).build());
        TestClient dashboard = client().subscribe(link.topics().prefix() + "/+/telemetry", 1);
        assertTrue(link.publishTelemetry(obj().put("inferences_per_s", 12.5)
                .set("latency_ms", obj().put("p50", 1.1).put("p95", 2.2).put("p99", 3.3))));
        TestClient.Received r = dashboard.next(link.topics().telemetry(), 10);
        JsonNode j = r.json();
        assertEquals(12.5, j.path("inferences_per_s").asDouble());
        assertEquals(3.3, j.path("latency_ms").path("p99").asDouble());
        assertEquals(device, j.path("device").asText());
        assertEquals(1, j.path("seq").asLong());
        assertEquals(0, j.path("outbox_dropped").asLong());
        assertTrue(j.has("ts"));
        assertEquals("application/json", r.properties().getContentType());
        assertFalse(r.retained());

        TestClient recal = client().subscribe(link.topics().recal(), 1);
        assertTrue(link.publishRecal(obj().put("kind", "drift")));
        assertEquals("drift", recal.next(link.topics().recal(), 10).json().path("kind").asText());
        TestClient ota = client().subscribe(link.topics().otaStatus(), 1);
        assertTrue(link.publishOtaStatus(obj().put("state", "installed")));
        TestClient.Received s = ota.next(link.topics().otaStatus(), 10);
        assertEquals("installed", s.json().path("state").asText());
        waitFor(() -> link.stats().outboxPending() == 0, 5, "outbox drained");
        assertEquals(3, link.stats().delivered());
    }

    @Test
    void inferenceRequestGetsAReplyOnTheResponseTopicWithTheCorrelationData(TestInfo info) throws Exception {
        MqttLink link = track(MqttLink.create(settings(device(info)).build()));
        link.onInferenceRequest(req -> {
            double sum = 0;
            for (JsonNode f : req.path("features")) {
                sum += f.asDouble();
            }
            if (req.path("features").isEmpty()) {
                throw new IllegalArgumentException("features missing");
            }
            return obj().put("sum", sum);
        });
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)));
        TestClient requester = client().subscribe("clients/42/replies", 0).subscribe(link.topics().inferResponse(), 0);

        MqttProperties p = new MqttProperties();
        p.setResponseTopic("clients/42/replies");
        p.setCorrelationData("req-1".getBytes(StandardCharsets.UTF_8));
        requester.publish(link.topics().inferRequest(), "{\"features\":[1,2,3.5]}".getBytes(StandardCharsets.UTF_8),
                1, false, p);
        TestClient.Received reply = requester.next(10);
        assertEquals("clients/42/replies", reply.topic());
        assertArrayEquals("req-1".getBytes(StandardCharsets.UTF_8), reply.properties().getCorrelationData());
        assertEquals(6.5, reply.json().path("sum").asDouble());

        // a malformed request gets an error reply, correlated too
        p.setCorrelationData("req-2".getBytes(StandardCharsets.UTF_8));
        requester.publish(link.topics().inferRequest(), "not json".getBytes(StandardCharsets.UTF_8), 1, false, p);
        reply = requester.next(10);
        assertArrayEquals("req-2".getBytes(StandardCharsets.UTF_8), reply.properties().getCorrelationData());
        assertEquals("bad_request", reply.json().path("error").path("kind").asText());

        // the handler's IllegalArgumentException is a bad request
        p.setCorrelationData("req-3".getBytes(StandardCharsets.UTF_8));
        requester.publish(link.topics().inferRequest(), "{\"features\":[]}".getBytes(StandardCharsets.UTF_8), 1, false, p);
        reply = requester.next(10);
        assertEquals("bad_request", reply.json().path("error").path("kind").asText());
        assertEquals("features missing", reply.json().path("error").path("message").asText());

        // no response topic: reply on <prefix>/<device>/infer/response, with the request's id
        requester.publish(link.topics().inferRequest(), "{\"id\":7,\"features\":[2]}".getBytes(StandardCharsets.UTF_8),
                1, false, new MqttProperties());
        reply = requester.next(10);
        assertEquals(link.topics().inferResponse(), reply.topic());
        assertEquals(7, reply.json().path("id").asInt());
        assertEquals(2.0, reply.json().path("sum").asDouble());
        waitFor(() -> link.stats().requestsHandled() == 4, 5, "4 requests counted");

        // a response topic among the device's own topics (here its recalibration command) gets no reply there
        String own = link.topics().prefix() + "/" + link.topics().deviceId() + "/cmd/recalibrate";
        TestClient watcher = client().subscribe(own, 0);
        p.setResponseTopic(own);
        p.setCorrelationData("req-5".getBytes(StandardCharsets.UTF_8));
        requester.publish(link.topics().inferRequest(), "{\"features\":[1]}".getBytes(StandardCharsets.UTF_8), 1,
                false, p);
        waitFor(() -> link.stats().requestsHandled() == 5, 5, "5 requests counted");
        // the next request with a proper topic is answered, so the refused one had its turn before it
        p.setResponseTopic("clients/42/replies");
        requester.publish(link.topics().inferRequest(), "{\"features\":[3]}".getBytes(StandardCharsets.UTF_8), 1,
                false, p);
        assertEquals(3.0, requester.next(10).json().path("sum").asDouble());
        assertTrue(watcher.drain(500).isEmpty(), "nothing was published on " + own);
    }

    @Test
    void fleetInferenceRequestsAreSharedAndBundlesAndCommandsReachTheirHandlers(TestInfo info) throws Exception {
        MqttLink link = track(MqttLink.create(settings(device(info)).fleetId("fleet-" + device).build()));
        BlockingQueue<OtaBundle> bundles = new ArrayBlockingQueue<>(10);
        BlockingQueue<Command> commands = new ArrayBlockingQueue<>(10);
        link.onOtaBundle(bundles::add);
        link.onCommand(c -> {
            commands.add(c);
            return obj().put("accepted", true);
        });
        link.onInferenceRequest(req -> obj().put("echo", req.path("x").asInt()));
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)));
        Topics t = link.topics();
        TestClient other = client().subscribe("ops/replies", 1);

        MqttProperties p = new MqttProperties();
        p.setResponseTopic("ops/replies");
        p.setCorrelationData(new byte[] {1, 2, 3});
        other.publish(t.fleetInferRequest().orElseThrow(), "{\"x\":5}".getBytes(StandardCharsets.UTF_8), 1, false, p);
        TestClient.Received reply = other.next(10);
        assertEquals(5, reply.json().path("echo").asInt());
        assertArrayEquals(new byte[] {1, 2, 3}, reply.properties().getCorrelationData());

        byte[] blob = new byte[100_000];
        new java.util.Random(1).nextBytes(blob);
        other.publish(t.otaBundle(), blob, 1, false, new MqttProperties());
        OtaBundle b = bundles.poll(10, TimeUnit.SECONDS);
        assertNotNull(b, "bundle delivered");
        assertFalse(b.fleet());
        assertArrayEquals(blob, b.payload());
        other.publish(t.fleetOtaBundle().orElseThrow(), new byte[] {9}, 1, false, new MqttProperties());
        b = bundles.poll(10, TimeUnit.SECONDS);
        assertNotNull(b, "fleet bundle delivered");
        assertTrue(b.fleet());

        MqttProperties cp = new MqttProperties();
        cp.setResponseTopic("ops/replies");
        cp.setCorrelationData(new byte[] {4});
        other.publish(t.command("recalibrate"), "{\"reason\":\"test\"}".getBytes(StandardCharsets.UTF_8), 1, false, cp);
        Command c = commands.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "command delivered");
        assertEquals("recalibrate", c.name());
        assertEquals("test", c.payload().path("reason").asText());
        reply = other.next(10);
        assertTrue(reply.json().path("accepted").asBoolean());
        assertArrayEquals(new byte[] {4}, reply.properties().getCorrelationData());
    }

    @Test
    void refusedCommandsAreAnsweredOnArrivalAndNeverTakeAQueuePlaceWhileAuthorisedOnesBeyondTheQueueAreBusy(
            TestInfo info) throws Exception {
        MqttLink link = track(MqttLink.create(settings(device(info)).build()));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        link.onCommand(c -> {
            running.countDown();
            if (!release.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the command thread");
            }
            ran.incrementAndGet();
            return obj().put("ran", c.name());
        }, (name, fleet) -> {
            if (!name.equals("forbidden")) {
                return null;
            }
            refused.incrementAndGet();
            return RequestError.of("unauthorized", "not for you", null);
        });
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)));
        Topics t = link.topics();
        TestClient ops = client().subscribe("ops/cmd-replies", 0);
        MqttProperties p = new MqttProperties();
        p.setResponseTopic("ops/cmd-replies");
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        ops.publish(t.command("work"), empty, 1, false, p);
        assertTrue(running.await(60, TimeUnit.SECONDS), "the command thread took the first command");
        // the thread is held: 16 wait in the queue, the 17th finds it full; the 20 refused ones take no place in it
        for (int i = 0; i < InboundDispatcher.COMMAND_QUEUE + 1; i++) {
            ops.publish(t.command("work"), empty, 1, false, p);
        }
        for (int i = 0; i < 20; i++) {
            ops.publish(t.command("forbidden"), empty, 1, false, p);
        }
        List<String> kinds = new ArrayList<>();
        try {
            for (int i = 0; i < 21; i++) {
                kinds.add(ops.next(60).json().path("error").path("kind").asText());
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; replies so far " + kinds + ", refused " + refused, e);
        }
        assertEquals(20, kinds.stream().filter("unauthorized"::equals).count(), "replies: " + kinds);
        assertEquals(1, kinds.stream().filter("busy"::equals).count(), "replies: " + kinds);
        assertEquals(20, refused.get(), "the authoriser saw each refused command once");
        release.countDown();
        List<String> results = new ArrayList<>();
        try {
            for (int i = 0; i < InboundDispatcher.COMMAND_QUEUE + 1; i++) {
                results.add(ops.next(60).json().path("ran").asText());
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; results so far " + results + ", ran " + ran, e);
        }
        assertTrue(results.stream().allMatch("work"::equals), "results: " + results);
        assertEquals(InboundDispatcher.COMMAND_QUEUE + 1, ran.get(), "the running command and the 16 queued ran");
    }

    @Test
    void telemetryPublishedDuringABrokerOutageArrivesAfterTheBrokerIsBack(TestInfo info) throws Exception {
        MqttLink link = started(settings(device(info)).build());
        String topic = link.topics().telemetry();
        TestClient dashboard = track(TestClient.persistent(broker().uri(), "dash-" + device)).subscribe(topic, 1);
        link.publishTelemetry(obj().put("n", 0));
        assertEquals(0, dashboard.next(topic, 10).json().path("n").asInt());
        // the dashboard can have n=0 before the link has the broker's PUBACK for it: until then it is pending
        waitFor(() -> link.stats().outboxPending() == 0, 10, "n=0 acknowledged");

        broker().stop();
        int n = 20;
        try {
            waitFor(() -> !link.isConnected(), 10, "link notices the outage");
            for (int i = 1; i <= n; i++) {
                assertTrue(link.publishTelemetry(obj().put("n", i)), "publishing never fails while the broker is down");
            }
            assertEquals(n, link.stats().outboxPending());
            Thread.sleep(1000);
        } finally {
            broker().start(); // also when the part above failed: the class's other tests need the broker
        }
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)), "link reconnects");
        List<Integer> got = new ArrayList<>();
        try {
            while (got.size() < n) {
                int k = dashboard.next(topic, 20).json().path("n").asInt();
                // QoS 1 is at least once: a broker stopped before the dashboard's PUBACK for n=0 was stored
                // delivers n=0 again to the persistent session (seen once under load); that is not the link's
                if (k == 0 && got.isEmpty()) {
                    continue;
                }
                got.add(k);
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; got " + got + "; stats " + link.stats() + "; dashboard connected "
                    + dashboard.isConnected() + "; " + broker(), e);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            expected.add(i);
        }
        assertEquals(expected, got, "all telemetry, in order");
        waitFor(() -> link.stats().outboxPending() == 0, 5, "outbox empty");
        assertEquals(0, link.stats().outboxDropped());
    }

    @Test
    void whenTheBoundIsHitTheOldestAreDroppedAndTheDropCountIsReported(TestInfo info) throws Exception {
        MqttLink link = track(MqttLink.create(settings(device(info)).outboxMaxMessages(3).build()));
        for (int i = 1; i <= 5; i++) { // not started: everything waits in the outbox
            link.publishTelemetry(obj().put("n", i));
        }
        assertEquals(3, link.stats().outboxPending());
        assertEquals(2, link.stats().outboxDropped());
        TestClient dashboard = client().subscribe(link.topics().telemetry(), 1);
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)));
        waitFor(() -> link.stats().outboxPending() == 0, 10, "backlog sent"); // else n=6 would push out n=3
        link.publishTelemetry(obj().put("n", 6));
        List<Integer> got = new ArrayList<>();
        long reported = 0;
        while (got.size() < 4) {
            JsonNode j = dashboard.next(link.topics().telemetry(), 10).json();
            got.add(j.path("n").asInt());
            reported += j.path("outbox_dropped").asLong();
        }
        assertEquals(List.of(3, 4, 5, 6), got, "the two oldest were dropped");
        assertEquals(2, reported, "every drop is reported in a later telemetry message");
    }

    /**
     * Issue 13: with outbox.max_messages=20, 26 telemetry messages were lost but the received telemetry counted 21
     * drops. The dashboard's view: messages missing from the seq series must equal the sum of outbox_dropped.
     */
    @Test
    void theReceivedDropCountsAddUpToTheMessagesLost(TestInfo info) throws Exception {
        MqttLink link = track(MqttLink.create(settings(device(info)).outboxMaxMessages(20).build()));
        int produced = 46;
        for (int i = 1; i <= produced; i++) { // offline: only the last 20 survive
            link.publishTelemetry(obj().put("n", i));
        }
        TestClient dashboard = client().subscribe(link.topics().telemetry(), 1);
        link.start();
        assertTrue(link.awaitConnected(Duration.ofSeconds(15)));
        waitFor(() -> link.stats().outboxPending() == 0, 15, "backlog sent");
        link.publishTelemetry(obj().put("n", produced + 1)); // reports what the survivors could not
        produced++;
        java.util.Set<Long> seqs = new java.util.TreeSet<>();
        long reported = 0;
        while (seqs.size() < 21) {
            JsonNode j = dashboard.next(link.topics().telemetry(), 10).json();
            if (seqs.add(j.path("seq").asLong())) {
                reported += j.path("outbox_dropped").asLong();
            }
        }
        long lost = produced - seqs.size();
        assertEquals(26, lost);
        assertEquals(lost, reported, "outbox_dropped summed over the received telemetry");
        assertEquals(lost, link.stats().outboxDropped());
    }

    @Test
    void theOutboxSurvivesARestartOfTheClient(TestInfo info) throws Exception {
        MqttSettings s = settings(device(info)).build();
        MqttLink first = MqttLink.create(s);
        for (int i = 1; i <= 3; i++) {
            first.publishTelemetry(obj().put("n", i));
        }
        first.publishOtaStatus(obj().put("state", "verifying"));
        first.close(Duration.ofSeconds(2)); // never connected: the messages stay on disk

        TestClient dashboard = client().subscribe(s.topics().telemetry(), 1).subscribe(s.topics().otaStatus(), 1);
        MqttLink second = started(s);
        List<String> got = new ArrayList<>();
        while (got.size() < 4) {
            TestClient.Received r = dashboard.next(10);
            got.add(r.topic().endsWith("telemetry") ? "t" + r.json().path("n").asInt() : r.json().path("state").asText());
        }
        assertEquals(List.of("t1", "t2", "t3", "verifying"), got);
        waitFor(() -> second.stats().outboxPending() == 0, 5, "outbox empty");
    }

    @Test
    void periodicTelemetryAndTheStatusCommand(TestInfo info) throws Exception {
        MqttLink link = started(settings(device(info)).telemetryInterval(Duration.ofMillis(200)).build());
        TestClient dashboard = client().subscribe(link.topics().telemetry(), 1);
        link.startTelemetry(() -> obj().put("inferences_per_s", 1.0));
        assertEquals(1, dashboard.next(link.topics().telemetry(), 5).json().path("seq").asLong());
        assertEquals(2, dashboard.next(link.topics().telemetry(), 5).json().path("seq").asLong());

        TestClient ops = client().subscribe("ops/status-replies", 1);
        MqttProperties p = new MqttProperties();
        p.setResponseTopic("ops/status-replies");
        ops.publish(link.topics().command("status"), new byte[0], 1, false, p);
        assertEquals("online", ops.next("ops/status-replies", 5).json().path("state").asText());
    }

    @Test
    void homeAssistantDiscoveryConfigsAreRetained(TestInfo info) throws Exception {
        MqttLink link = started(settings(device(info)).homeAssistant(true).build());
        TestClient ha = client().subscribe("homeassistant/+/" + device + "/+/config", 1);
        List<TestClient.Received> configs = ha.drain(1500);
        assertTrue(configs.size() >= 5, "discovery configs: " + configs.size());
        TestClient.Received first = configs.get(0);
        assertTrue(first.retained());
        JsonNode c = first.json();
        assertEquals(link.topics().status(), c.path("availability_topic").asText());
        assertEquals("pnn_" + device, c.path("device").path("identifiers").get(0).asText());
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(Condition c, double seconds, String what) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
