package org.pnnedge.fleet.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.pnnedge.fleet.TestFleet;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.rollout.RolloutController;
import org.pnnedge.fleet.rollout.Rollouts;
import org.pnnedge.fleetsim.FleetSimulator;
import org.pnnedge.runtime.fleet.FleetAccounts;

/**
 * Faults of the fleet back end on real parts (skipped without ejabberd or PostgreSQL): a throwaway 3-node cluster,
 * a private PostgreSQL, 100 simulated devices sending telemetry and an in-process ingest worker. (1) The worker's
 * writer thread dies of an unexpected exception while it holds a batch: a new one replaces it and every message
 * is stored exactly once. (2) PostgreSQL stops and starts again while a rollout runs and telemetry flows: the
 * controller and the worker say so, reconnect with back-off and go on; the rollout completes with every device
 * switched once, and the telemetry table holds every message exactly once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetFaultTest {
    private static final int N = 100;
    private static final Duration LONG = Duration.ofSeconds(180);
    private static TestFleet fleet;
    private static FleetDatabase db;

    @BeforeAll
    static void up() throws Exception {
        fleet = TestFleet.up("pnnft", N, LONG);
        db = fleet.db;
    }

    @AfterAll
    static void down() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void aDeadWriterIsReplacedAndNothingIsLostOrDoubled() throws Exception {
        try (FleetSimulator sim = simulator(21); IngestWorker w = worker()) {
            w.start();
            assertEquals(N, sim.connect(LONG), "simulated devices connected");
            sim.startTelemetry();
            await(() -> rows("SELECT count(*) FROM telemetry") >= 200, () -> "rows " + telemetry() + "; " + w.stats());
            Thread first = w.writerThread();
            w.injectWriterFault(new IllegalStateException("injected by the test: a bug in the writer"));
            await(() -> w.writerThread() != first && w.writerThread().isAlive() && w.stats().writerRestarts() == 1,
                    () -> "writer " + w.writerThread().getName() + " alive " + w.writerThread().isAlive() + ", first "
                            + first.getName() + " alive " + first.isAlive() + "; " + w.stats());
            assertNotSame(first, w.writerThread());
            long atRestart = sim.telemetrySent();
            await(() -> sim.telemetrySent() >= atRestart + 300, () -> "sent " + sim.telemetrySent());
            sim.stopTelemetry();
            long sent = sim.telemetrySent();
            await(() -> rows("SELECT count(*) FROM telemetry") >= sent, () -> "rows " + telemetry() + " of " + sent
                    + " sent; " + w.stats());
            System.out.printf("writer replaced as %s; %d messages sent, %s; %s%n", w.writerThread().getName(), sent,
                    telemetry(), w.stats());
            assertEquals(List.of(sent, sent, sent), totals(), "rows, distinct (device, seq), Σ per-device max(seq)");
            assertTrue(w.failure().isEmpty(), "the worker did not give up");
        }
    }

    @Test
    @Order(2)
    void theDatabaseRestartsMidRolloutAndMidIngestAndNothingIsLostOrDoubled() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE telemetry"); // the first test's devices send from seq 1 again
        }
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        Rollouts rollouts = new Rollouts(db, fleet.layout.accountsFile(), fleet.nodes(), line -> {
            progress.add(line);
            System.out.println("  controller: " + line);
        });
        Path bundle = fleet.bundle("1.1.0");
        try (FleetSimulator sim = simulator(22); IngestWorker w = worker()) {
            w.start();
            assertEquals(N, sim.connect(LONG), "simulated devices connected");
            sim.startTelemetry();
            await(() -> rows("SELECT count(*) FROM telemetry") >= 200, () -> "rows " + telemetry() + "; " + w.stats());
            long id = rollouts.create(new Rollouts.StartOptions(bundle, fleet.trusted, "sim", "1,25%,100%", List.of(), 0.1,
                    Duration.ofSeconds(5), Duration.ofSeconds(120), Duration.ofSeconds(20), 1, false, null));
            CompletableFuture<RolloutController.Outcome> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return rollouts.resume(id);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await(() -> progress.stream().anyMatch(l -> l.startsWith("stage 1 (")) || run.isDone(),
                    () -> "stage 1 did not end: " + progress);
            long retriesBefore = w.stats().dbRetries();
            db.down(LONG); // mid-rollout (stage 1's soak) and mid-ingest (telemetry keeps coming)
            System.out.println("database stopped; " + w.stats());
            await(() -> progress.stream().anyMatch(l -> l.startsWith("fleet database lost"))
                    && w.stats().dbRetries() > retriesBefore, () -> "controller: " + progress + "; " + w.stats());
            db.up(LONG);
            System.out.println("database started again; " + w.stats());
            RolloutController.Outcome out = run.get(LONG.toSeconds(), TimeUnit.SECONDS);
            assertEquals("COMPLETED", out.state(), out + "; " + progress);
            assertTrue(progress.stream().anyMatch(l -> l.startsWith("fleet database back after")), progress.toString());
            Rollouts.Status st = rollouts.status(id);
            assertEquals(N, st.stages().stream().mapToInt(c -> c.switched()).sum(), st.stages().toString());
            assertEquals(0, st.stages().stream().mapToInt(c -> c.failures()).sum(), st.stages().toString());
            assertEquals(List.of((long) N, (long) N, 1L), longs("SELECT count(*), count(DISTINCT device_id), "
                    + "count(DISTINCT active_version) FROM rollout_device WHERE rollout_id = " + id
                    + " AND state = 'SWITCHED'"), "switched rows, devices, versions");

            sim.stopTelemetry();
            long sent = sim.telemetrySent();
            await(() -> rows("SELECT count(*) FROM telemetry") >= sent, () -> "rows " + telemetry() + " of " + sent
                    + " sent; " + w.stats());
            System.out.printf("database restart: %d messages sent, %s; %s%n", sent, telemetry(), w.stats());
            assertEquals(List.of(sent, sent, sent), totals(), "rows, distinct (device, seq), Σ per-device max(seq)");
        }
    }

    private static FleetSimulator simulator(long seed) throws Exception {
        return new FleetSimulator(new FleetSimulator.Options(N, "sim", "sim-", 0.0, seed, 100, fleet.nodes(),
                fleet.layout.accountsFile(), Files.createTempDirectory(fleet.state, "agents-"), fleet.trusted,
                fleet.shippedBytes(), 2, 100));
    }

    private static IngestWorker worker() throws Exception {
        return new IngestWorker(new IngestWorker.Options(new DevicePartition(1, 0), 8, fleet.nodes(), fleet.layout.accountsFile(),
                FleetAccounts.OPERATOR, Duration.ofDays(7), Duration.ofSeconds(30), 64, 1000), db);
    }

    private static List<Long> totals() throws Exception {
        return longs("SELECT count(*), count(DISTINCT (device_id, seq)), (SELECT sum(m) FROM (SELECT max(seq) AS m "
                + "FROM telemetry GROUP BY device_id) x) FROM telemetry");
    }

    private static String telemetry() {
        try {
            return "telemetry rows / distinct / Σ max(seq): " + totals();
        } catch (Exception e) {
            return "telemetry: (database: " + e.getMessage() + ")";
        }
    }

    private static long rows(String sql) {
        try {
            return longs(sql).get(0);
        } catch (Exception e) {
            return -1;
        }
    }

    private static List<Long> longs(String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            List<Long> out = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getLong(i));
            }
            return out;
        }
    }

    private static void await(BooleanSupplier ok, Supplier<String> saw) throws InterruptedException {
        IngestTest.await(LONG, ok, saw);
    }
}
