package org.pnnedge.fleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pnnedge.fleet.TestDirs;
import org.pnnedge.fleet.db.DbLayout;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.db.PgBinaries;
import org.pnnedge.fleet.supervise.ControllerLayout;
import org.pnnedge.fleet.supervise.ControllerState;
import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.ClusterStatus;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.pnnedge.runtime.fleet.FleetCluster;
import picocli.CommandLine;

/**
 * {@code pnn fleet up} brings up the cluster, the database and the controller's processes (an ingest worker, the
 * page, the dispatcher of fleet {@code sim}) in one state directory: the page answers, a device's telemetry is
 * stored, a killed ingest worker is restarted by the supervisor and stores the next message; {@code down} stops
 * everything and leaves no process behind.
 */
class FleetUpTest {
    private static final Duration LONG = Duration.ofSeconds(120);

    @Test
    void upStartsClusterDatabaseAndControllerAndDownStopsAll() throws Exception {
        Assumptions.assumeTrue(FleetCluster.unavailable().isEmpty(), "skipped: " + FleetCluster.unavailable().orElse(""));
        Assumptions.assumeTrue(PgBinaries.find().isPresent(), "skipped: " + PgBinaries.missing());
        Path state = TestDirs.enterable("pnn-fleet-up-test-");
        ClusterLayout layout = ClusterLayout.throwaway(state.resolve("fleet"), "pnnu");
        int dbPort = TestDirs.freePort();
        String[] where = {"--state-dir", layout.stateDir().toString(), "--name", layout.name(),
                "--mqtt-port", "" + layout.mqttBasePort(), "--tls-port", "" + layout.tlsBasePort(),
                "--db-port", "" + dbPort, "--timeout", "PT180S"};
        FleetCluster cluster = FleetCluster.of(layout);
        FleetDatabase db = FleetDatabase.of(DbLayout.under(layout.stateDir(), dbPort));
        ControllerLayout controller = ControllerLayout.under(layout.stateDir());
        List<Long> pids = new ArrayList<>();
        try {
            FleetAccounts.Account device = cluster.addAccounts(FleetAccounts.numbered("sim-", 3),
                    FleetAccounts.Role.DEVICE, "sim").get(0);
            Run up = run("up", where, "--page-port", "0", "--dispatch-fleet", "sim");
            assertEquals(0, up.exit(), up.toString());
            ClusterStatus s = cluster.status();
            assertTrue(s.allUp(), FleetCluster.describeDown(s) + "\n" + up);
            assertTrue(db.status().running(), db.status() + "\n" + up);
            assertTrue(up.out().contains("database   up on 127.0.0.1:" + dbPort), up.toString());
            assertTrue(up.out().contains("controller up in "), up.toString());
            System.out.print(up.out()); // the example in fleet.md

            ControllerState st = ControllerState.read(controller).orElseThrow();
            pids.add(st.supervisorPid());
            st.children().forEach(c -> pids.add(c.pid()));
            assertEquals(List.of("ingest-0", "serve", "dispatch-sim"), st.children().stream().map(ControllerState.Child::name).toList());
            assertTrue(st.children().stream().allMatch(c -> c.phase() == ControllerState.Phase.READY && alive(c.pid())), st.json());
            String url = st.child("serve").orElseThrow().url();
            assertTrue(up.out().contains("page       " + url), up.toString());
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("<h1>Fleet</h1>"), page.body());

            // a device's telemetry reaches the database through the supervised ingest worker
            publish(layout, device, 1);
            await(() -> rows(db, device.name()) == 1, () -> "telemetry 1 not stored: " + logs(controller));

            // a killed worker is restarted by the supervisor, and the new one stores the next message
            long old = st.child("ingest-0").orElseThrow().pid();
            ProcessHandle.of(old).orElseThrow().destroyForcibly();
            await(() -> state(controller).flatMap(x -> x.child("ingest-0")).filter(c -> c.pid() != old
                    && c.phase() == ControllerState.Phase.READY && c.restarts() == 1).isPresent(),
                    () -> "ingest-0 not restarted: " + state(controller).map(ControllerState::json).orElse("(no status)"));
            ControllerState.Child again = state(controller).flatMap(x -> x.child("ingest-0")).orElseThrow();
            pids.add(again.pid());
            assertNotEquals(old, again.pid());
            assertTrue(again.why().contains("exited with code 137"), again.why());
            publish(layout, device, 2);
            await(() -> rows(db, device.name()) == 2, () -> "telemetry 2 not stored after the restart: " + logs(controller));

            Run status = run("status", "--state-dir", layout.stateDir().toString(), "--db-port", "" + dbPort);
            assertTrue(status.out().lines().anyMatch(l -> l.startsWith("ingest-0") && l.contains(" up ")
                    && l.contains("READY") && l.contains("restarts 1")), status.toString());
            assertTrue(status.out().contains(url), status.toString());
            System.out.print(status.out().lines().limit(4).map(l -> l + "\n").reduce("", String::concat));
            Run json = run("status", "--state-dir", layout.stateDir().toString(), "--db-port", "" + dbPort, "--json");
            com.fasterxml.jackson.databind.JsonNode procs = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(json.out()).path("processes");
            assertTrue(procs.size() >= 4 && procs.path(0).path("name").asText().equals("controller")
                    && procs.path(0).path("up").asBoolean(), json.toString());
            assertTrue(java.util.stream.StreamSupport.stream(procs.spliterator(), false).anyMatch(p -> p.path("name")
                    .asText().equals("ingest-0") && p.path("up").asBoolean() && p.path("phase").asText().equals("READY")
                    && p.path("restarts").asInt() == 1 && p.path("pid").asLong() == again.pid()), json.toString());

            Run down = run("down", where);
            assertEquals(0, down.exit(), down.toString());
            assertTrue(down.out().contains("controller (pid " + st.supervisorPid() + "): stopped"), down.toString());
            assertEquals(List.of(), pids.stream().filter(FleetUpTest::alive).toList(), "processes left after down: " + down);
            assertFalse(db.status().running(), db.status() + "\n" + down);
            assertTrue(cluster.status().nodes().stream().noneMatch(ClusterStatus.Node::up), down.toString());
            Run after = run("controller", "status", "--state-dir", layout.stateDir().toString());
            assertEquals(1, after.exit(), after.toString());
            assertTrue(after.out().contains("DOWN"), after.toString());
        } finally {
            ControllerCommand.stop(layout.stateDir(), Duration.ofSeconds(30));
            pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
            db.down(Duration.ofSeconds(60));
            cluster.down(Duration.ofSeconds(30));
            TestDirs.delete(state);
        }
    }

    private static void publish(ClusterLayout layout, FleetAccounts.Account device, int seq) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("pnn-" + device.name())
                .serverAddress(new java.net.InetSocketAddress("127.0.0.1", layout.mqttPort(2))).simpleAuth()
                .username(device.name()).password(device.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        c.connect();
        try {
            c.publishWith().topic("pnn/" + device.name() + "/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"ts\":\"" + Instant.now() + "\",\"seq\":" + seq + ",\"model\":\"vowels7\","
                            + "\"model_version\":\"1.0.0\"}").getBytes(StandardCharsets.UTF_8)).send();
        } finally {
            c.disconnect();
        }
    }

    private static long rows(FleetDatabase db, String device) {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM telemetry WHERE device_id = '" + device + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static Optional<ControllerState> state(ControllerLayout l) {
        try {
            return ControllerState.read(l);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static String logs(ControllerLayout l) {
        StringBuilder b = new StringBuilder(state(l).map(ControllerState::json).orElse("(no status)"));
        for (String name : List.of("controller", "ingest-0")) {
            try {
                List<String> lines = java.nio.file.Files.readAllLines(name.equals("controller") ? l.supervisorLog() : l.log(name));
                b.append("\n").append(name).append(".log:\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            } catch (java.io.IOException e) {
                b.append("\n").append(name).append(".log: ").append(e);
            }
        }
        return b.toString();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void await(BooleanSupplier ok, Supplier<String> saw) throws InterruptedException {
        long end = System.nanoTime() + LONG.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + LONG + ": " + saw.get());
            }
            Thread.sleep(250);
        }
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String command, String[] where, String... more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(where));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FleetMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }
}
