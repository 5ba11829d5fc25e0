package org.pnnedge.fleet.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.fleet.TestDatabase;
import org.pnnedge.fleet.cli.FleetMain;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.supervise.ControllerLayout;
import org.pnnedge.fleet.supervise.ControllerState;

/**
 * The read side on known inputs, written through the ingest's own store into a private PostgreSQL (skipped
 * without one): fleet "lab" has 10 devices (one offline, 3 on version 1.1.0, pi-09 drifting far, pi-03 failing
 * 20 % of requests) and fleet "other" one. Checks {@code pnn fleet status} (text and JSON, with the controller's
 * processes), duplicate suppression,
 * retention, and the web page in headless Chromium (skipped without it).
 */
class FleetStatusTest {
    private static TestDatabase pg;
    private static Path state;
    private static FleetDatabase db;
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);

    @BeforeAll
    static void up() throws Exception {
        pg = TestDatabase.start("pnn-fleet-status-test-");
        state = pg.dir();
        db = pg.db();
        List<Ingested> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String d = "pi-0" + i;
            batch.add(status(d, i == 8 ? "{\"state\":\"offline\",\"device\":\"" + d + "\",\"reason\":\"connection lost\"}"
                    : "{\"state\":\"online\",\"device\":\"" + d + "\",\"model_id\":\"vowels7\",\"model_version\":\"1.0.0\"}"));
            int points = i == 9 ? 20 : 1;
            for (int p = 0; p < points; p++) {
                double drift = i == 9 ? 0.05 + 0.0225 * p : 0.010 + 0.001 * i;
                long errors = i == 3 ? 200 : 1;
                batch.add(Ingested.parse("pnn/" + d + "/telemetry", ("{\"inferences\":1000,\"errors_total\":" + errors
                        + ",\"latency_p95_us\":14100,\"model\":\"vowels7\",\"model_version\":\"" + (i < 3 ? "1.1.0" : "1.0.0")
                        + "\",\"last_recalibration\":{\"drift\":{\"uncorrected\":{\"rmsRelative\":" + drift + "}}},"
                        + "\"device\":\"" + d + "\",\"ts\":\"" + NOW.minusSeconds(60L * (points - p)) + "\",\"seq\":" + (p + 1)
                        + ",\"outbox_dropped\":0}").getBytes(StandardCharsets.UTF_8), NOW, false));
            }
        }
        batch.add(status("x-1", "{\"state\":\"online\",\"device\":\"x-1\"}"));
        try (Connection c = db.connect()) {
            IngestStore.Written w = new IngestStore().write(c, batch, d -> d.startsWith("pi-") ? "lab" : "other");
            assertEquals(new IngestStore.Written(batch.size(), 0), w);
            // the same messages again, as after a redelivery: nothing new
            IngestStore.Written again = new IngestStore().write(c, batch.stream()
                    .filter(m -> !(m instanceof Ingested.Status)).toList(), d -> "lab");
            assertEquals(0, again.inserted(), "redelivered telemetry stored again: " + again);
        }
    }

    private static Ingested status(String d, String json) {
        return Ingested.parse("pnn/" + d + "/status", json.getBytes(StandardCharsets.UTF_8), NOW, false);
    }

    @AfterAll
    static void down() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void statusCountsVersionsAndFindsTheOutliers() throws Exception {
        FleetStatus s;
        try (Connection c = db.connect()) {
            s = FleetStatus.read(c, Optional.of("lab"), 1.5);
        }
        assertEquals(10, s.devices());
        assertEquals(9, s.online());
        assertEquals(Map.of("vowels7 1.0.0", 7, "vowels7 1.1.0", 3), s.versions());
        assertEquals(List.of("pi-09 drift", "pi-03 error_rate"),
                s.outliers().stream().map(o -> o.device() + " " + o.metric()).toList(), s.outliers().toString());
        FleetStatus.Device d9 = s.table().get(9);
        assertEquals(0.05 + 0.0225 * 19, d9.drift(), 1e-9, "pi-09's newest drift");
        assertEquals(0.2, s.table().get(3).errorRate(), 1e-9);
        Instant now = NOW;
        assertEquals(now, Instant.parse(d9.lastSeen()), "last seen: its online status, received now");
        assertEquals(now.minusSeconds(60), Instant.parse(s.table().get(8).lastSeen()),
                "last seen of the offline pi-08: its newest telemetry (a will is not the device speaking)");
    }

    @Test
    void theCommandPrintsJsonAndText() throws Exception {
        StringWriter out = new StringWriter();
        int code = FleetMain.commandLine().setOut(new PrintWriter(out)).execute("status", "--state-dir",
                state.toString(), "--db-port", "" + db.layout().port(), "--fleet", "lab", "--json");
        assertEquals(0, code, out.toString());
        JsonNode j = Ingested.JSON.readTree(out.toString());
        assertEquals(10, j.path("devices").asInt());
        assertEquals(9, j.path("online").asInt());
        assertEquals(3, j.path("versions").path("vowels7 1.1.0").asInt());
        assertEquals("pi-09", j.path("outliers").path(0).path("device").asText());
        StringWriter text = new StringWriter();
        assertEquals(0, FleetMain.commandLine().setOut(new PrintWriter(text)).execute("status", "--state-dir",
                state.toString(), "--db-port", "" + db.layout().port()));
        assertTrue(text.toString().contains("all fleets: 11 devices, 10 online, 1 offline"), text.toString());
        StringWriter lab = new StringWriter();
        assertEquals(0, FleetMain.commandLine().setOut(new PrintWriter(lab)).execute("status", "--state-dir",
                state.toString(), "--db-port", "" + db.layout().port(), "--fleet", "lab", "--limit", "3"));
        assertTrue(lab.toString().contains("fleet lab: 10 devices, 9 online, 1 offline"), lab.toString());
        System.out.print(lab); // the example in fleet.md
        StringWriter none = new StringWriter();
        assertEquals(1, FleetMain.commandLine().setOut(new PrintWriter(none)).execute("status", "--state-dir",
                state.toString(), "--db-port", "" + db.layout().port(), "--fleet", "nosuch"));
        assertTrue(none.toString().contains("no devices"), none.toString());
    }

    @Test
    void theJsonListsTheControllersProcessesLikeTheText() throws Exception {
        String[] args = {"status", "--state-dir", state.toString(), "--db-port", "" + db.layout().port(), "--json"};
        StringWriter before = new StringWriter();
        assertEquals(0, FleetMain.commandLine().setOut(new PrintWriter(before)).execute(args), before.toString());
        JsonNode none = Ingested.JSON.readTree(before.toString()).path("processes");
        assertTrue(none.isArray() && none.isEmpty(), "controller never ran here, yet: " + none);
        // a status.json as a supervisor writes it; its pids are not controller processes (this JVM's), so DOWN
        ControllerLayout layout = ControllerLayout.under(state);
        Files.createDirectories(layout.dir());
        long me = ProcessHandle.current().pid();
        Files.write(layout.statusFile(), Ingested.JSON.writeValueAsBytes(new ControllerState(me, NOW.toString(), false,
                List.of(new ControllerState.Child("ingest-0", me, ControllerState.Phase.READY, 2, "", 137, "killed"),
                        new ControllerState.Child("serve", me, ControllerState.Phase.BACKOFF, 0, "http://127.0.0.1:1/", -1, "")))));
        try {
            StringWriter out = new StringWriter();
            assertEquals(0, FleetMain.commandLine().setOut(new PrintWriter(out)).execute(args), out.toString());
            JsonNode j = Ingested.JSON.readTree(out.toString());
            assertEquals(11, j.path("devices").asInt(), "the fleet's fields stay where they were: " + j);
            JsonNode p = j.path("processes");
            assertEquals(List.of("controller", "ingest-0", "serve"), names(p), p.toString());
            assertEquals(me, p.path(1).path("pid").asLong());
            assertEquals("READY", p.path(1).path("phase").asText());
            assertEquals(2, p.path(1).path("restarts").asInt());
            assertEquals("killed", p.path(1).path("why").asText());
            assertEquals("http://127.0.0.1:1/", p.path(2).path("url").asText());
            for (JsonNode x : p) {
                assertTrue(x.path("up").isBoolean() && !x.path("up").asBoolean(), "not a controller process, so DOWN: " + x);
            }
            StringWriter text = new StringWriter();
            assertEquals(0, FleetMain.commandLine().setOut(new PrintWriter(text)).execute(
                    "status", "--state-dir", state.toString(), "--db-port", "" + db.layout().port()));
            assertTrue(text.toString().lines().anyMatch(l -> l.startsWith("ingest-0") && l.contains("DOWN")), text.toString());
        } finally {
            Files.delete(layout.statusFile());
        }
    }

    private static List<String> names(JsonNode procs) {
        List<String> out = new ArrayList<>();
        procs.forEach(x -> out.add(x.path("name").asText()));
        return out;
    }

    @Test
    void partitionsPastTheRetentionAreDropped() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            MonitorSchema.ensureDays(c, List.of(today.minusDays(10)));
            c.commit();
            List<String> dropped = MonitorSchema.dropBefore(c, today.minusDays(7));
            assertTrue(dropped.contains(MonitorSchema.partition("telemetry", today.minusDays(10))), dropped.toString());
            assertTrue(MonitorSchema.partitions(c).contains(MonitorSchema.partition("telemetry", today)),
                    MonitorSchema.partitions(c).toString());
        }
    }

    @Test
    void thePageShowsTheFleetAndADriftPlotInHeadlessChromium() throws Exception {
        Optional<Path> chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(chromium.isPresent(), "page test skipped: no chromium (apt-get install chromium)");
        try (FleetPage page = new FleetPage(db, new java.net.InetSocketAddress("127.0.0.1", 0), 1.5)) {
            page.start();
            String base = "http://127.0.0.1:" + page.port();
            String dom = chromium(chromium.get(), "--dump-dom", base + "/");
            assertEquals(11, dom.split("<tr class=\"device\">", -1).length - 1, "device rows in: " + dom);
            assertTrue(dom.contains("no rollouts"), dom);
            assertTrue(dom.contains(">pi-09</a></td><td>drift<"), "pi-09 listed as a drift outlier: " + dom);
            String device = chromium(chromium.get(), "--dump-dom", base + "/device?id=pi-09");
            int path = device.indexOf("<path class=\"drift\" d=\"M");
            assertTrue(path > 0, "drift path in: " + device);
            String d = device.substring(path, device.indexOf('"', path + 24));
            assertEquals(20, d.split("[ML]", -1).length - 1, "one point per telemetry message: " + d);
            assertTrue(device.contains("<p id=\"device-probes\">not probed in a rollout</p>"), device);
            // a halted rollout (as the rollout controller leaves it) shows its stages and verdict counts
            long rollout;
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("INSERT INTO rollout (fleet, update_id, bundle, bundle_sha256, "
                        + "model_id, version, key_id, stages, threshold, soak_ms, verdict_timeout_ms, resend_ms, seed, "
                        + "state, halt_reason) VALUES ('lab', 'rollout-page-1.2.0', '\\x00', 'x', 'vowels7', '1.2.0', "
                        + "'k', '2,100%', 0.02, 1000, 60000, 30000, 1, 'HALTED', 'stage 1: 1 of 2 failed') RETURNING id")) {
                    rs.next();
                    rollout = rs.getLong(1);
                }
                st.executeUpdate("INSERT INTO rollout_stage (rollout_id, stage_no, spec, size, state) VALUES ("
                        + rollout + ", 1, '2', 2, 'HALTED'), (" + rollout + ", 2, '100%', 10, 'PENDING')");
                st.executeUpdate("INSERT INTO rollout_device (rollout_id, device_id, stage_no, position, state) VALUES ("
                        + rollout + ", 'pi-01', 1, 1, 'SWITCHED'), (" + rollout + ", 'pi-02', 1, 2, 'ROLLED_BACK')");
                // the soak's probe scores as SoakProbes.results stores them (V12)
                st.executeUpdate("INSERT INTO rollout_probe (rollout_id, device_id, stage_no, sent, answered, correct, "
                        + "errors, accuracy, passed, reason) VALUES (" + rollout + ", 'pi-01', 1, 20, 20, 19, 0, 0.95, true, "
                        + "NULL), (" + rollout + ", 'pi-02', 1, 20, 20, 8, 0, 0.40, false, 'accuracy 0.400 < 0.800')");
            }
            try {
                String withRollout = chromium(chromium.get(), "--dump-dom", base + "/");
                assertTrue(withRollout.contains("vowels7 1.2.0 to fleet lab") && withRollout.contains("HALTED</span>"),
                        withRollout);
                assertTrue(withRollout.contains("<td>1</td><td>2</td><td>2</td><td>HALTED</td><td>1</td><td>1</td><td>0</td>"),
                        "stage 1: 2 devices, 1 switched, 1 failed: " + withRollout);
                assertTrue(withRollout.contains("<td>2</td><td>100%</td><td>10</td><td>PENDING</td><td>0</td><td>0</td><td>0</td>"),
                        "stage 2 untouched: " + withRollout);
                assertTrue(withRollout.contains("<tr class=\"probe\"><td>1</td><td>2</td><td>1</td><td>0</td><td>0.4000</td>"
                        + "<td>0.6750</td><td>pi-02 accuracy 0.400 &lt; 0.800</td></tr>"),
                        "stage 1's probes: 2 devices, 1 failed, min 0.40, mean 0.675, pi-02 the worst: " + withRollout);
                String probed = chromium(chromium.get(), "--dump-dom", base + "/device?id=pi-02");
                assertTrue(probed.contains("<tr class=\"device-probe\"><td>" + rollout + "</td><td>vowels7 1.2.0</td><td>1</td>"
                        + "<td>20</td><td>20</td><td>8</td><td>0.4000</td><td>NO</td><td>accuracy 0.400 &lt; 0.800</td>"),
                        "pi-02's probe score on its page: " + probed);
            } finally {
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    st.executeUpdate("DELETE FROM rollout WHERE id = " + rollout);
                }
            }
            Path png = Path.of("target", "fleet-page.png").toAbsolutePath();
            Files.deleteIfExists(png);
            chromium(chromium.get(), "--screenshot=" + png, base + "/");
            byte[] b = Files.readAllBytes(png);
            assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', png + ": " + b.length + " bytes");
        }
    }

    private static String chromium(Path bin, String what, String url) throws Exception {
        Path profile = Files.createTempDirectory(state, "chromium-");
        Path out = state.resolve("chromium.out");
        Process p = new ProcessBuilder(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1200,900", what, url)
                .redirectOutput(out.toFile()).redirectError(state.resolve("chromium.err").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(state.resolve("chromium.err")));
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + read(state.resolve("chromium.err")));
        return Files.readString(out);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
