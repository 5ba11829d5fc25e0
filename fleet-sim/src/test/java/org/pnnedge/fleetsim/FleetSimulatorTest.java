package org.pnnedge.fleetsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.KeyFiles;
import org.pnnedge.models.bundle.SemVer;
import org.pnnedge.models.bundle.SigningKey;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.pnnedge.runtime.fleet.FleetCluster;
import org.pnnedge.runtime.fleet.TestCluster;

/**
 * The simulator against a real 3-node ejabberd cluster (skipped when ejabberd is missing): 200 devices, 5 % bad
 * units, in a child process (so it can be killed). A signed bundle per device: the bad units roll back with the
 * self-test reason, the others switch; an unsigned bundle: all rejected; telemetry from every device; SIGKILL of
 * the simulator: every device's will says offline.
 */
class FleetSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 200;
    private static final double BAD_SHARE = 0.05;
    private static final long SEED = 7;
    private static TestCluster testCluster;
    private static Path state;
    private static FleetCluster cluster;
    private static ClusterLayout layout;

    @BeforeAll
    static void up() throws Exception {
        TestCluster.assumeAvailable("fleet simulator test");
        testCluster = TestCluster.create("pnn-fleetsim-test-", "pnns");
        state = testCluster.state();
        layout = testCluster.layout();
        cluster = testCluster.cluster();
        cluster.addAccounts(FleetAccounts.numbered("sim-", N), FleetAccounts.Role.DEVICE, "sim");
        FleetCluster.UpReport r = testCluster.up(Duration.ofSeconds(90));
        System.out.printf("fleet cluster with %d device accounts up in %.1f s%n", N, r.elapsed().toMillis() / 1000.0);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.accountsFile())));
    }

    @AfterAll
    static void down() throws Exception {
        if (testCluster != null) {
            testCluster.close();
        }
    }

    @Test
    void devicesAnswerBundlesSendTelemetryAndLeaveWills() throws Exception {
        Path root = Checkout.requireRoot();
        SigningKey key = KeyFiles.generate(false);
        Path pub = state.resolve("test.pub");
        KeyFiles.writePublic(pub, key.publicKey(), false, false);
        Path releasePub = root.resolve("src/dist/keys/pnn-release.pub");
        BundleManifest d = Bundles.load(Files.readAllBytes(root.resolve("src/dist/models/vowels7.pnnb")),
                TrustedKeys.load(releasePub)).manifest();
        BundleManifest next = d.withVersion(SemVer.parse("1.1.0"));
        byte[] signed = Bundles.sign(next, key);
        ObjectNode envelope = (ObjectNode) JSON.readTree(signed);
        envelope.remove("signature");
        byte[] unsigned = JSON.writeValueAsBytes(envelope);

        List<String> ids = FleetAccounts.numbered("sim-", N);
        BitSet bad = FleetSimulator.badUnits(N, BAD_SHARE, SEED);
        assertEquals(10, bad.cardinality());
        String password = cluster.accounts().find(FleetAccounts.OPERATOR).orElseThrow().password();
        String servers = Stream.of(1, 2, 3).map(i -> layout.mqttUri(i).toString()).collect(Collectors.joining(","));
        Path log = state.resolve("sim.log");
        Process sim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dpnn.home=" + root, SimulateCommand.class.getName(),
                "--devices", "" + N, "--fleet", "sim", "--bad-share", "" + BAD_SHARE, "--seed", "" + SEED,
                "--telemetry-rate", "200", "--duration", "PT600S", "--servers", servers,
                "--state-dir", layout.stateDir().toString(), "--work-dir", state.resolve("agents").toString(),
                "--trusted-keys", releasePub + "," + pub, "--no-observe")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (FleetObserver op = new FleetObserver(new InetSocketAddress("127.0.0.1", layout.mqttPort(1)),
                FleetAccounts.OPERATOR, password)) {
            assertTrue(FleetObserver.await(Duration.ofSeconds(60), () -> online(op) == N),
                    () -> online(op) + " of " + N + " online; simulator output: " + tail(log));
            long t0 = System.nanoTime();

            op.pushBundle(ids, signed, "u-signed");
            assertTrue(FleetObserver.await(Duration.ofSeconds(60), () -> verdicts(op, "u-signed") == N),
                    () -> verdicts(op, "u-signed") + " of " + N + " verdicts; simulator output: " + tail(log));
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                JsonNode v = op.otaFinal().get(ids.get(i));
                boolean ok = bad.get(i)
                        ? List.of("ROLLED_BACK", "REJECTED").contains(v.path("step").asText())
                                && v.path("reason").asText().equals("self-test-probes")
                        : v.path("step").asText().equals("SWITCHED") && v.path("active_version").asText().equals("1.1.0");
                if (!ok) {
                    wrong.add(ids.get(i) + (bad.get(i) ? " (bad)" : " (good)") + ": " + v);
                }
            }
            assertEquals(List.of(), wrong.size() > 5 ? wrong.subList(0, 5) : wrong, wrong.size() + " wrong verdicts");

            System.out.printf("signed bundle to %d devices: all verdicts in %.1f s%n", N, (System.nanoTime() - t0) / 1e9);
            op.clearOta();
            op.pushBundle(ids, unsigned, "u-unsigned");
            assertTrue(FleetObserver.await(Duration.ofSeconds(60), () -> verdicts(op, "u-unsigned") == N),
                    () -> verdicts(op, "u-unsigned") + " of " + N + " verdicts to the unsigned bundle");
            Map<String, Long> unsignedSteps = op.otaFinal().values().stream().collect(Collectors.groupingBy(
                    v -> v.path("step").asText() + "/" + v.path("reason").asText(), Collectors.counting()));
            assertEquals(Map.of("REJECTED/missing-signature", (long) N), unsignedSteps);
            System.out.printf("unsigned bundle: all verdicts %.1f s after the first push%n", (System.nanoTime() - t0) / 1e9);

            assertTrue(FleetObserver.await(Duration.ofSeconds(20), () -> op.telemetryByDevice().size() == N),
                    () -> "telemetry from " + op.telemetryByDevice().size() + " of " + N);
            assertTrue(op.telemetryReceived() > N, op.telemetryReceived() + " telemetry messages");

            sim.destroyForcibly().waitFor();
            assertTrue(FleetObserver.await(Duration.ofSeconds(30), () -> willsFired(op) == N),
                    () -> willsFired(op) + " of " + N + " wills (offline, connection lost) after SIGKILL");
        } finally {
            sim.destroyForcibly();
        }
    }

    private static long online(FleetObserver op) {
        return op.status().values().stream().filter(s -> s.path("state").asText().equals("online")).count();
    }

    private static long willsFired(FleetObserver op) {
        return op.status().values().stream().filter(s -> s.path("state").asText().equals("offline")
                && s.path("reason").asText().equals("connection lost")).count();
    }

    private static long verdicts(FleetObserver op, String updateId) {
        return op.otaFinal().values().stream().filter(v -> v.path("update_id").asText().equals(updateId)).count();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
