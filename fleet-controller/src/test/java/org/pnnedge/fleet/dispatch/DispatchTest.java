package org.pnnedge.fleet.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pnnedge.fleet.cli.FleetMain;
import org.pnnedge.fleet.db.PgBinaries;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.fleet.FleetCluster;

/**
 * Fleet inference through the dispatcher on real parts (skipped, with a message, without ejabberd or PostgreSQL):
 * a throwaway 3-node cluster, a private PostgreSQL, three real runtime services ({@code pnn run} in child processes,
 * one per node) and an operator sending fleet requests. No device online → {@code no_device}; three devices share
 * the requests; a dead loop thread is replaced; a device that does not answer → {@code timeout} naming it, then it is
 * left out; a device killed → the others answer; the active dispatcher closed, then killed → the standby takes over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatchTest {
    private static final List<String> DEVICES = List.of("dev-1", "dev-2", "dev-3");
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static DispatchRig rig;
    private static Dispatcher first;
    private static DispatchRig.Requester requester;
    private static final List<String> said = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(FleetCluster.unavailable().isEmpty(),
                "dispatch test skipped: " + FleetCluster.unavailable().orElse(""));
        Assumptions.assumeTrue(PgBinaries.find().isPresent(), "dispatch test skipped: " + PgBinaries.missing());
        rig = new DispatchRig("d", DEVICES, List.of("hung"));
        requester = rig.new Requester(3, "dashboard/replies");
    }

    @AfterAll
    static void down() throws Exception {
        if (first != null) {
            first.close();
        }
        if (requester != null) {
            requester.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    @Order(1)
    void badInputIsNamedWithExitCode2() {
        String out = cli(2, "--fleet", "nobody");
        assertTrue(out.contains("empty-fleet: fleet 'nobody' has no device accounts"), out);
        out = cli(2, "--fleet", "Lab/x");
        assertTrue(out.contains("bad-option: --fleet 'Lab/x' is not a fleet id"), out);
        out = cli(2, "--fleet", DispatchRig.FLEET, "--timeout", "PT0S");
        assertTrue(out.contains("--timeout must be a positive duration"), out);
        out = cli(2, "--fleet", DispatchRig.FLEET, "--user", "dev-1");
        assertTrue(out.contains("'dev-1' is not an operator account"), out);
    }

    @Test
    @Order(2)
    void withNoDeviceOnlineTheRequesterGetsANamedError() throws Exception {
        first = new Dispatcher(rig.options(TIMEOUT), rig.db, line -> {
            said.add(line);
            System.out.println("  in-process: " + line);
        });
        first.start();
        assertTrue(DispatchRig.await(WAIT, first::active), "the only dispatcher takes the lock: " + said);
        DispatchRig.Answer a = requester.ask("nobody-home", 30);
        assertEquals("no_device", a.errorKind(), a.toString());
        assertEquals("nobody-home", a.body().path("id").asText(), a.toString());
        assertTrue(a.body().path("error").path("message").asText().contains("no device of fleet inf is online"),
                a.toString());
        assertEquals("error", a.status());
    }

    @Test
    @Order(3)
    void threeRuntimesShareTheFleetsRequests() throws Exception {
        for (int i = 0; i < DEVICES.size(); i++) {
            rig.startDevice(DEVICES.get(i), i + 1);
        }
        assertTrue(DispatchRig.await(WAIT, () -> first.stats().online().size() == 3),
                "all three runtimes seen online: " + first.stats() + "\n" + logs());
        Map<String, Integer> by = new TreeMap<>();
        List<CompletableFuture<Mqtt5Publish>> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(requester.fleet("r" + i));
            if (batch.size() == 6) { // six in flight at a time
                count(batch, by);
            }
        }
        count(batch, by);
        System.out.println("60 requests answered by " + by + "; " + first.stats());
        assertEquals(60, by.values().stream().mapToInt(Integer::intValue).sum());
        for (String d : DEVICES) {
            assertTrue(by.getOrDefault(d, 0) >= 10, "each runtime answers its share: " + by);
        }
    }

    @Test
    @Order(4)
    void aTalkersWordsAllReachTheRuntimeThatKeepsIt() throws Exception {
        // a talker says one word after another; other requests keep the runtimes busy meanwhile, so load alone
        // would spread the talker's words
        List<CompletableFuture<Mqtt5Publish>> others = new ArrayList<>();
        Set<String> by = new TreeSet<>();
        int learned = 0;
        for (int i = 0; i < 9; i++) {
            for (int k = 0; k <= i % 2; k++) { // 1 or 2 before each word: round robin alone would move the talker
                others.add(requester.fleet("o" + i + "-" + k));
            }
            CompletableFuture<Mqtt5Publish> word = requester.talker("w" + i, "kiosk-9");
            others.add(requester.fleet("p" + i));
            DispatchRig.Answer a = DispatchRig.Answer.of(word.get(60, TimeUnit.SECONDS));
            assertNull(a.errorKind(), a.toString());
            by.add(a.device());
            assertEquals("kiosk-9", a.body().path("talker").path("id").asText(), a.toString());
            learned = Math.max(learned, a.body().path("talker").path("vowels").asInt());
        }
        Map<String, Integer> spread = new TreeMap<>();
        count(others, spread);
        System.out.println("kiosk-9's 9 words answered by " + by + " (its estimate over " + learned
                + " vowels), the others by " + spread + "; " + first.stats());
        assertEquals(1, by.size(), "one runtime keeps the talker: " + by);
        assertTrue(learned >= 2, "the runtime's estimate grew over the talker's words: " + learned);
        assertTrue(spread.size() >= 2, "requests without a talker still spread: " + spread);
        assertEquals(1, first.stats().talkers(), first.stats().toString());
    }

    @Test
    @Order(5)
    void aDeadLoopThreadIsReplaced() throws Exception {
        first.crashOnNextEvent = true;
        requester.fleet("lost-with-the-thread"); // the event that kills the loop: its requester times out
        assertTrue(DispatchRig.await(WAIT, () -> first.stats().restarts() == 1), "replaced: " + first.stats());
        for (int i = 0; i < 6; i++) {
            DispatchRig.Answer a = requester.ask("after-restart-" + i, 30);
            assertNull(a.errorKind(), a.toString());
        }
    }

    @Test
    @Order(6)
    void aDeviceThatDoesNotAnswerTimesOutByNameAndIsLeftOut() throws Exception {
        // a device account that says it is online and takes requests but never answers
        Mqtt5BlockingClient hung = MqttClient.builder().useMqttVersion5().identifier("pnn-hung")
                .serverAddress(rig.nodes.get(1)).simpleAuth().username("hung")
                .password(rig.password("hung").getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        hung.connect();
        try {
            hung.subscribeWith().topicFilter("pnn/hung/infer/request").qos(MqttQos.AT_MOST_ONCE).send();
            hung.publishWith().topic("pnn/hung/status").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8)).send();
            assertTrue(DispatchRig.await(WAIT, () -> first.stats().online().contains("hung")), "" + first.stats());
            List<CompletableFuture<Mqtt5Publish>> asked = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                asked.add(requester.fleet("h" + i));
            }
            List<DispatchRig.Answer> answers = new ArrayList<>();
            for (CompletableFuture<Mqtt5Publish> f : asked) {
                answers.add(DispatchRig.Answer.of(f.get(30, TimeUnit.SECONDS)));
            }
            List<DispatchRig.Answer> timedOut = answers.stream().filter(a -> "timeout".equals(a.errorKind())).toList();
            assertFalse(timedOut.isEmpty(), "the hung device got requests and they timed out: " + answers);
            for (DispatchRig.Answer a : timedOut) {
                assertEquals("device hung did not answer within PT3S", a.body().path("error").path("message").asText());
            }
            assertTrue(answers.stream().allMatch(a -> a.errorKind() == null || "timeout".equals(a.errorKind())),
                    answers.toString());
            // suspect now: it gets nothing more until heard from again
            for (int i = 0; i < 9; i++) {
                DispatchRig.Answer a = requester.ask("after-hung-" + i, 30);
                assertNull(a.errorKind(), a.toString());
                assertTrue(DEVICES.contains(a.device()), a.toString());
            }
        } finally {
            hung.disconnect();
        }
    }

    @Test
    @Order(7)
    void whenADeviceIsKilledTheOthersAnswer() throws Exception {
        rig.killDevice("dev-2");
        assertTrue(DispatchRig.await(WAIT, () -> !first.stats().online().contains("dev-2")),
                "the will of dev-2 reached the dispatcher: " + first.stats());
        Map<String, Integer> by = new TreeMap<>();
        List<CompletableFuture<Mqtt5Publish>> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(requester.fleet("k" + i));
        }
        count(batch, by);
        System.out.println("after the kill of dev-2: " + by + "; " + first.stats());
        assertEquals(Map.of("dev-1", 15, "dev-3", 15).keySet(), by.keySet());
        assertEquals(30, by.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    @Order(8)
    void theStandbyTakesOverWhenTheActiveDispatcherIsClosedThenWhenItIsKilled() throws Exception {
        // a standby in its own process, through the command line
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "-Dpnn.home=" + Checkout.requireRoot(),
                FleetMain.class.getName(), "dispatch", "--fleet", DispatchRig.FLEET, "--state-dir",
                rig.layout.stateDir().toString(), "--db-port", "" + rig.db.layout().port(), "--servers", rig.servers(),
                "--timeout", "PT3S", "--lock-poll", "PT0.5S", "--report", "PT2S").redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        DispatchRig.pump(child, lines, l -> System.out.println("  child: " + l));
        Dispatcher second = null;
        try {
            assertTrue(DispatchRig.await(WAIT, () -> lines.stream().anyMatch(l -> l.contains("standby (the lock is held by "
                    + "pnn-dispatch inf pid " + ProcessHandle.current().pid()))), "child is standby: " + lines);
            long t0 = System.nanoTime();
            first.close(); // releases the lock with its connection
            first = null;
            assertTrue(DispatchRig.await(WAIT, () -> lines.stream().anyMatch(l -> l.endsWith(": active (holds the fleet's "
                    + "dispatcher lock)"))), "the child took over: " + lines);
            DispatchRig.Answer a = firstGood("after-close");
            System.out.printf("standby took over after close; first answer %.1f s after the close: %s%n",
                    (System.nanoTime() - t0) / 1e9, a);

            second = new Dispatcher(rig.options(TIMEOUT), rig.db, line -> System.out.println("  in-process: " + line));
            second.start();
            Dispatcher s = second;
            assertTrue(DispatchRig.await(WAIT, () -> s.stats().online().size() == 2), "warm standby: " + s.stats());
            assertFalse(s.active());
            t0 = System.nanoTime();
            child.destroyForcibly(); // SIGKILL: the server frees the lock when the connection drops
            child.waitFor(30, TimeUnit.SECONDS);
            assertTrue(DispatchRig.await(WAIT, s::active), "the in-process standby took over: " + s.stats());
            a = firstGood("after-kill");
            System.out.printf("standby took over after kill -9; first answer %.1f s after the kill: %s%n",
                    (System.nanoTime() - t0) / 1e9, a);
            // the counters are refreshed every 100 ms: wait for them to show the answer that came through s
            assertTrue(DispatchRig.await(WAIT, () -> s.stats().answered() >= 1), s.stats().toString());

            // no devices left: a named error again, now with the devices known but gone
            rig.killDevice("dev-1");
            rig.killDevice("dev-3");
            assertTrue(DispatchRig.await(WAIT, () -> s.stats().online().isEmpty()), s.stats().toString());
            DispatchRig.Answer none = requester.ask("all-gone", 30);
            assertEquals("no_device", none.errorKind(), none.toString());
        } finally {
            child.destroyForcibly();
            if (second != null) {
                second.close();
            }
        }
    }

    /** Asks until an answer without error comes (a request sent during the hand-over may go unanswered). */
    private static DispatchRig.Answer firstGood(String id) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        List<String> seen = new ArrayList<>();
        for (int i = 0; System.nanoTime() < end; i++) {
            try {
                DispatchRig.Answer a = requester.ask(id + "-" + i, 5);
                if (a.errorKind() == null) {
                    return a;
                }
                seen.add(a.toString());
            } catch (java.util.concurrent.TimeoutException e) {
                seen.add("no answer within 5 s");
            }
        }
        throw new AssertionError("no good answer within " + WAIT + ": " + seen);
    }

    private static void count(List<CompletableFuture<Mqtt5Publish>> batch, Map<String, Integer> by) throws Exception {
        for (CompletableFuture<Mqtt5Publish> f : batch) {
            DispatchRig.Answer a = DispatchRig.Answer.of(f.get(30, TimeUnit.SECONDS));
            assertNull(a.errorKind(), a.toString());
            assertTrue(a.body().has("label") && a.body().has("probabilities"), a.toString());
            by.merge(a.device(), 1, Integer::sum);
        }
        batch.clear();
    }

    private static String logs() {
        StringBuilder b = new StringBuilder();
        for (String d : DEVICES) {
            b.append("--- ").append(d).append(":\n").append(rig.deviceLog(d)).append('\n');
        }
        return b.toString();
    }

    private static String cli(int expected, String... args) {
        StringWriter err = new StringWriter();
        var cl = FleetMain.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        List<String> all = new ArrayList<>(List.of("dispatch", "--state-dir", rig.layout.stateDir().toString(),
                "--db-port", "" + rig.db.layout().port(), "--servers", rig.servers()));
        all.addAll(List.of(args));
        int code = cl.execute(all.toArray(String[]::new));
        assertEquals(expected, code, err.toString());
        return err.toString();
    }
}
