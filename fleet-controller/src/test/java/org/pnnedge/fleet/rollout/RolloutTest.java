package org.pnnedge.fleet.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pnnedge.fleet.TestFleet;
import org.pnnedge.fleet.cli.FleetMain;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.rollout.RolloutException.Kind;
import org.pnnedge.fleetsim.FleetObserver;
import org.pnnedge.fleetsim.FleetSimulator;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.ClusterStatus;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.pnnedge.runtime.fleet.FleetCluster;

/**
 * Staged rollouts on real parts (skipped, with a message, without ejabberd or PostgreSQL): a throwaway 3-node
 * cluster, a private PostgreSQL and 200 simulated devices in this JVM (1 % bad units: their self-test fails and
 * they roll back). Bad input first, then a rollout that halts where the bad units cross the threshold (and rolls
 * the stage back), one whose controller is killed and resumed, and last one with a broker node killed mid-stage.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 200;
    private static final double BAD_SHARE = 0.01;
    private static final long SIM_SEED = 11;
    private static final Duration T = Duration.ofSeconds(120);
    private static TestFleet fleet;
    private static Path state;
    private static FleetCluster cluster;
    private static ClusterLayout layout;
    private static FleetDatabase db;
    private static FleetSimulator sim;
    private static FleetObserver observer;
    private static Rollouts rollouts;
    private static TrustedKeys trusted;
    private static Path shipped;
    private static SigningKey key;
    private static BundleManifest base;
    private static List<String> ids;
    private static Set<String> bad;
    private static List<InetSocketAddress> nodes;
    private static final List<String> progress = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void up() throws Exception {
        fleet = TestFleet.up("pnnr", N, T); // the database beside accounts.json, where the CLI looks
        state = fleet.state;
        layout = fleet.layout;
        cluster = fleet.cluster;
        db = fleet.db;
        key = fleet.key;
        trusted = fleet.trusted;
        shipped = fleet.shipped;
        base = fleet.base;
        nodes = fleet.nodes();
        sim = new FleetSimulator(new FleetSimulator.Options(N, "sim", "sim-", BAD_SHARE, SIM_SEED, 0, nodes,
                layout.accountsFile(), state.resolve("agents"), trusted, Files.readAllBytes(shipped), 2, 500));
        ids = sim.deviceIds();
        BitSet b = FleetSimulator.badUnits(N, BAD_SHARE, SIM_SEED);
        bad = b.stream().mapToObj(ids::get).collect(Collectors.toSet());
        assertEquals(2, bad.size());
        assertEquals(N, sim.connect(Duration.ofSeconds(120)), "simulated devices connected");
        String password = cluster.accounts().find(FleetAccounts.OPERATOR).orElseThrow().password();
        observer = new FleetObserver(nodes.get(0), FleetAccounts.OPERATOR, password);
        rollouts = new Rollouts(db, layout.accountsFile(), nodes, line -> {
            progress.add(line);
            System.out.println("  controller: " + line);
        });
    }

    @AfterAll
    static void down() throws Exception {
        if (observer != null) {
            observer.close();
        }
        if (sim != null) {
            sim.stop();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void badInputIsRefusedByNameAndNothingIsSent() throws Exception {
        long before = rolloutCount();
        Path good = bundle("1.1.0", key);
        ObjectNode env = (ObjectNode) JSON.readTree(Files.readAllBytes(good));
        env.remove("signature");
        Path unsigned = state.resolve("unsigned.pnnb");
        Files.write(unsigned, JSON.writeValueAsBytes(env));
        Path untrusted = bundle("1.1.0", KeyFiles.generate(false));

        RolloutException e = assertThrows(RolloutException.class, () -> rollouts.create(opts(unsigned, "sim", "1,100%")));
        assertEquals(Kind.UNTRUSTED_BUNDLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("missing-signature"), e.getMessage());
        e = assertThrows(RolloutException.class, () -> rollouts.create(opts(untrusted, "sim", "1,100%")));
        assertEquals(Kind.UNTRUSTED_BUNDLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("untrusted"), e.getMessage());
        e = assertThrows(RolloutException.class, () -> rollouts.create(opts(good, "nobody", "1,100%")));
        assertEquals(Kind.EMPTY_FLEET, e.kind(), e.getMessage());
        e = assertThrows(RolloutException.class, () -> rollouts.create(opts(good, "sim", "1,5%,25%")));
        assertEquals(Kind.BAD_STAGES, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("do not end at 100%"), e.getMessage());
        // the command line says the same with exit code 2
        var out = new java.io.StringWriter();
        var cl = FleetMain.commandLine();
        cl.setErr(new java.io.PrintWriter(out));
        cl.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
        int code = cl.execute("rollout", "start", "--state-dir", layout.stateDir().toString(), "--db-port",
                "" + db.layout().port(), "--servers", servers(), "--bundle", good.toString(), "--fleet", "sim",
                "--stages", "1,50%", "--trusted-keys", state.resolve("test.pub").toString());
        assertEquals(2, code, out.toString());
        assertTrue(out.toString().contains("bad-stages"), out.toString());

        assertEquals(before, rolloutCount(), "no rollout stored");
        Thread.sleep(500); // a send would have produced a RECEIVED within this; none may come (checked below)
        assertTrue(observer.otaFinal().isEmpty(), "no device got anything: " + observer.otaFinal().keySet());
    }

    @Test
    @Order(2)
    void aRolloutHaltsAtTheStageWhereTheBadUnitsCrossTheThresholdAndRollsItBack() throws Exception {
        // stages of 1, 9, 40, 150 devices: one bad unit in stage 3 is 2.5 % > 2 %; pick the first seed that puts
        // the first bad unit there
        long seed = 1;
        while (firstBadStage(StagePlan.of("1,5%,25%,100%", ids, List.of(), seed)) != 3) {
            seed++;
        }
        StagePlan plan = StagePlan.of("1,5%,25%,100%", ids, List.of(), seed);
        long badIn3 = plan.devicesOf(3).stream().filter(bad::contains).count();
        Rollouts.StartOptions o = new Rollouts.StartOptions(bundle("1.1.0", key), trusted, "sim", "1,5%,25%,100%",
                List.of(), 0.02, Duration.ofSeconds(1), Duration.ofSeconds(90), Duration.ofSeconds(20), seed, true, shipped);
        long id = rollouts.create(o);
        RolloutController.Outcome out = rollouts.resume(id);
        Rollouts.Status s = rollouts.status(id);
        String seen = describe(s);
        assertEquals("HALTED", out.state(), seen);
        assertEquals(3, out.stage(), seen);
        List<Rollout.StageCounts> c = s.stages();
        assertEquals(List.of("PASSED", "PASSED", "HALTED", "PENDING"), c.stream().map(Rollout.StageCounts::state).toList(), seen);
        assertEquals(1, c.get(0).switched(), seen);
        assertEquals(9, c.get(1).switched(), seen);
        assertEquals(40 - badIn3, c.get(2).switched(), seen);
        assertEquals(badIn3, c.get(2).rolledBack(), seen);
        assertEquals(0, c.get(2).timeout() + c.get(2).bricked() + c.get(2).rejected(), seen);
        assertEquals(150, c.get(3).pending(), seen);
        assertTrue(s.rollout().haltReason().contains("> threshold 2.00 %"), s.rollout().haltReason());
        // what the devices themselves said: stage 4 got nothing; stage 3's switched devices are back on 1.0.0
        String uid = s.rollout().updateId();
        assertTrue(await(() -> c.get(2).rollbackDone() == 40 - badIn3 && rollbacksSeen(uid, plan.devicesOf(3)) == 40 - badIn3),
                () -> "rollback: " + rollbacksSeen(uid, plan.devicesOf(3)) + " devices report 1.0.0; " + seen);
        for (String d : plan.devicesOf(4)) {
            JsonNode v = observer.otaFinal().get(d);
            assertTrue(v == null || !v.path("update_id").asText().startsWith(uid), d + " got the halted rollout: " + v);
        }
    }

    @Test
    @Order(3)
    void aKilledControllerIsResumedWithoutReSendingAndASecondOneIsRefused() throws Exception {
        String good = ids.stream().filter(d -> !bad.contains(d)).findFirst().orElseThrow();
        Path b = bundle("1.2.0", key);
        Path log = state.resolve("controller.log");
        long before = queryLong("SELECT coalesce(max(id), 0) FROM rollout");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dpnn.home=" + Checkout.requireRoot(),
                FleetMain.class.getName(), "rollout", "start", "--state-dir", layout.stateDir().toString(),
                "--db-port", "" + db.layout().port(), "--servers", servers(), "--bundle", b.toString(), "--fleet", "sim",
                "--stages", "1,5%,25%,100%", "--canary", good, "--threshold", "30%", "--soak", "PT8S",
                "--verdict-timeout", "PT90S", "--resend-after", "PT20S", "--seed", "5",
                "--trusted-keys", state.resolve("test.pub").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long id;
        Map<String, Integer> switchedBefore;
        try {
            assertTrue(await(() -> latestStage(before) >= 3), () -> "the child controller did not reach stage 3: " + tail(log));
            id = rollouts.status(null).rollout().id();
            // a second controller on the same rollout: named error, nothing sent
            RolloutException e = assertThrows(RolloutException.class, () -> rollouts.resume(id));
            assertEquals(Kind.LOCKED, e.kind(), e.getMessage());
            // a verdict on one device's topic that names another device: ignored and counted
            String uid = rollouts.status(id).rollout().updateId();
            StagePlan plan = StagePlan.of("1,5%,25%,100%", ids, List.of(good), 5);
            String victim = plan.devicesOf(4).get(0);
            forgeVerdict(victim, plan.devicesOf(4).get(1), uid);
            assertTrue(await(() -> foreign(id) == 1), () -> "foreign verdicts counted: " + foreign(id));
            switchedBefore = sends(id, "SWITCHED");
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
        }
        System.out.println("controller killed with " + switchedBefore.size() + " devices switched; its output:\n" + tail(log));
        RolloutController.Outcome out = rollouts.resume(id);
        Rollouts.Status s = rollouts.status(id);
        assertEquals("COMPLETED", out.state(), describe(s) + "\nfirst controller:\n" + tail(log));
        int switched = s.stages().stream().mapToInt(Rollout.StageCounts::switched).sum();
        int rolledBack = s.stages().stream().mapToInt(Rollout.StageCounts::rolledBack).sum();
        assertEquals(N - bad.size(), switched, describe(s));
        assertEquals(bad.size(), rolledBack, describe(s));
        // devices that had switched before the kill were not sent to again (the device would answer already-active)
        Map<String, Integer> after = sends(id, "SWITCHED");
        List<String> resent = switchedBefore.keySet().stream().filter(d -> !after.get(d).equals(switchedBefore.get(d))).toList();
        assertEquals(List.of(), resent, "re-sent after the restart");
        String uid = s.rollout().updateId();
        List<String> answeredTwice = switchedBefore.keySet().stream()
                .filter(d -> !"SWITCHED".equals(observer.otaFinal().get(d).path("step").asText())
                        || !uid.equals(observer.otaFinal().get(d).path("update_id").asText())).toList();
        assertEquals(List.of(), answeredTwice, "devices whose last verdict is not this rollout's SWITCHED");
        assertEquals(1, s.rollout().foreignVerdicts());
    }

    @Test
    @Order(4)
    void pauseStopsTheControllerResumeGoesOnAndAbortStopsSending() throws Exception {
        String good = ids.stream().filter(d -> !bad.contains(d)).skip(2).findFirst().orElseThrow();
        long id = rollouts.create(new Rollouts.StartOptions(bundle("1.2.5", key), trusted, "sim", "1,5%,25%,100%",
                List.of(good), 0.30, Duration.ofSeconds(6), Duration.ofSeconds(90), Duration.ofSeconds(20), 13, false, null));
        CompletableFuture<RolloutController.Outcome> first = runAsync(id);
        assertTrue(await(() -> stageState(id, 2).matches("SENDING|WAITING|SOAKING") || first.isDone()),
                () -> "stage 2 did not start: " + describe(id));
        assertTrue(rollouts.pause(id).contains("pause requested"), describe(id));
        RolloutController.Outcome paused = first.get(60, TimeUnit.SECONDS);
        assertEquals("PAUSED", paused.state(), describe(id));
        assertEquals("PAUSED", rollouts.status(id).rollout().state());
        int stopped = paused.stage();
        assertTrue(stopped <= 3, "paused at stage " + stopped);
        assertEquals(150, rollouts.status(id).stages().get(3).pending(), describe(id));

        CompletableFuture<RolloutController.Outcome> second = runAsync(id);
        assertTrue(await(() -> stageState(id, 3).matches("WAITING|SOAKING") || second.isDone()),
                () -> "stage 3 did not start after resume: " + describe(id));
        assertTrue(rollouts.abort(id).contains("abort requested"), describe(id));
        RolloutController.Outcome aborted = second.get(60, TimeUnit.SECONDS);
        assertEquals("ABORTED", aborted.state(), describe(id));
        Rollouts.Status s = rollouts.status(id);
        assertEquals(150, s.stages().get(3).pending(), "stage 4 got nothing: " + describe(s));
        String uid = s.rollout().updateId();
        for (String d : StagePlan.of("1,5%,25%,100%", ids, List.of(good), 13).devicesOf(4)) {
            JsonNode v = observer.otaFinal().get(d);
            assertTrue(v == null || !v.path("update_id").asText().equals(uid), d + " got the aborted rollout: " + v);
        }
        assertEquals(Kind.BAD_OPTION, assertThrows(RolloutException.class, () -> rollouts.resume(id)).kind());
    }

    private static CompletableFuture<RolloutController.Outcome> runAsync(long id) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return rollouts.resume(id);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    @Order(5)
    void aRolloutCompletesThroughABrokerNodeKilledMidStage() throws Exception {
        String good = ids.stream().filter(d -> !bad.contains(d)).skip(1).findFirst().orElseThrow();
        // at most 20 devices in flight (ResendPolicy.maxInFlight): stage 4's 150 go out as verdicts come back, and
        // the window must keep moving through the kill (its lost bundles re-sent after 5 s)
        long id = rollouts.create(new Rollouts.StartOptions(bundle("1.3.0", key), trusted, "sim", "1,5%,25%,100%",
                List.of(good), 0.30, Duration.ofSeconds(1), Duration.ofSeconds(150), Duration.ofSeconds(5), 9, false, null,
                SoakCheck.Limits.none(), null, new ResendPolicy(Duration.ofSeconds(5), Duration.ofMinutes(2), 5, 200, 20)));
        CompletableFuture<RolloutController.Outcome> run = runAsync(id);
        assertTrue(await(() -> stageState(id, 4).matches("SENDING|WAITING") || run.isDone()),
                () -> "stage 4 did not start: " + describe(id));
        String at = describe(id);
        ClusterStatus.Node victim = cluster.status().nodes().get(1);
        new ProcessBuilder("kill", "-9", "" + victim.pid()).inheritIO().start().waitFor();
        System.out.println("killed node 2 (pid " + victim.pid() + ") with the rollout at:\n" + at);
        RolloutController.Outcome out = run.get(240, TimeUnit.SECONDS);
        Rollouts.Status s = rollouts.status(id);
        String seen = describe(s) + "\nnode 2: " + cluster.status().nodes().get(1);
        assertEquals("COMPLETED", out.state(), seen);
        assertEquals(N - bad.size(), s.stages().stream().mapToInt(Rollout.StageCounts::switched).sum(), seen);
        assertEquals(0, s.stages().stream().mapToInt(c -> c.bricked() + c.timeout() + c.rejected()).sum(), seen);
        // every device is on exactly one version: the good ones on 1.3.0, the bad ones where they were
        Map<String, String> versions = activeVersions(id);
        for (String d : ids) {
            if (!bad.contains(d)) {
                assertEquals("1.3.0", versions.get(d), d + "; " + seen);
            }
        }
        System.out.println("after the node kill: " + progress.stream().filter(l -> l.contains("re-sending")).toList());
    }

    // ---- helpers ----

    private static Rollouts.StartOptions opts(Path bundle, String fleet, String stages) {
        return new Rollouts.StartOptions(bundle, trusted, fleet, stages, List.of(), 0.02, Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(20), 1, false, null);
    }

    private static Path bundle(String version, SigningKey k) throws IOException {
        Path p = Files.createTempFile(state, "v" + version + "-", ".pnnb");
        Files.write(p, Bundles.sign(base.withVersion(SemVer.parse(version)), k));
        return p;
    }

    private static String servers() {
        return Stream.of(1, 2, 3).map(i -> layout.mqttUri(i).toString()).collect(Collectors.joining(","));
    }

    private int firstBadStage(StagePlan p) {
        for (int k = 1; k <= p.stages(); k++) {
            if (p.devicesOf(k).stream().anyMatch(bad::contains)) {
                return k;
            }
        }
        return -1;
    }

    private static long rollbacksSeen(String uid, List<String> devices) {
        return devices.stream().map(d -> observer.otaFinal().get(d)).filter(v -> v != null
                && v.path("update_id").asText().equals(uid + "-rollback") && v.path("step").asText().equals("SWITCHED")
                && v.path("active_version").asText().equals("1.0.0")).count();
    }

    private static void forgeVerdict(String topicDevice, String namedDevice, String uid) throws Exception {
        String password = cluster.accounts().find(FleetAccounts.OPERATOR).orElseThrow().password();
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("pnn-forger")
                .serverAddress(nodes.get(2)).simpleAuth().username(FleetAccounts.OPERATOR)
                .password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        c.connect();
        String v = "{\"update_id\":\"" + uid + "\",\"step\":\"SWITCHED\",\"outcome\":\"switched\",\"final\":true,"
                + "\"message\":\"forged\",\"active_version\":\"1.2.0\",\"device\":\"" + namedDevice + "\",\"ts\":\""
                + java.time.Instant.now() + "\"}";
        c.publishWith().topic("pnn/" + topicDevice + "/ota/status").qos(MqttQos.AT_LEAST_ONCE)
                .payload(v.getBytes(StandardCharsets.UTF_8)).send();
        c.disconnect();
    }

    private static long rolloutCount() throws Exception {
        return queryLong("SELECT count(*) FROM rollout");
    }

    private static long foreign(long id) {
        try {
            return queryLong("SELECT foreign_verdicts FROM rollout WHERE id = " + id);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The current stage of the newest rollout if it is newer than {@code after}, else 0. */
    private static int latestStage(long after) {
        try {
            return (int) queryLong("SELECT coalesce(max(current_stage), 0) FROM rollout WHERE id > " + after
                    + " AND id = (SELECT max(id) FROM rollout)");
        } catch (Exception e) {
            return -1;
        }
    }

    private static String stageState(long id, int stage) {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT state FROM rollout_stage WHERE rollout_id = " + id + " AND stage_no = " + stage)) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (Exception e) {
            return "? " + e;
        }
    }

    private static Map<String, Integer> sends(long id, String st) throws Exception {
        Map<String, Integer> m = new HashMap<>();
        column(id, "sends", "state = '" + st + "'").forEach((d, v) -> m.put(d, Integer.valueOf(v)));
        return m;
    }

    private static Map<String, String> activeVersions(long id) throws Exception {
        return column(id, "active_version", "true");
    }

    /** {@code device_id → column} (as text) of a rollout's devices where {@code condition} holds. */
    private static Map<String, String> column(long id, String column, String condition) throws Exception {
        Map<String, String> m = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT device_id, " + column + "::text FROM rollout_device WHERE rollout_id = "
                     + id + " AND " + condition)) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        }
        return m;
    }

    private static long queryLong(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean await(BooleanSupplier cond) throws InterruptedException {
        return FleetObserver.await(T, cond);
    }

    private static String describe(long id) {
        try {
            return describe(rollouts.status(id));
        } catch (Exception e) {
            return "(status failed: " + e + ")";
        }
    }

    private static String describe(Rollouts.Status s) {
        var w = new java.io.StringWriter();
        try {
            var cl = FleetMain.commandLine();
            cl.setOut(new java.io.PrintWriter(w));
            cl.setErr(new java.io.PrintWriter(w));
            cl.execute("rollout", "status", "" + s.rollout().id(), "--state-dir", layout.stateDir().toString(),
                    "--db-port", "" + db.layout().port());
        } catch (RuntimeException e) {
            w.write("(status: " + e + ")");
        }
        return w + "controller lines: " + progress.subList(Math.max(0, progress.size() - 8), progress.size());
    }

    private static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join("\n", l.subList(Math.max(0, l.size() - 25), l.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

}
