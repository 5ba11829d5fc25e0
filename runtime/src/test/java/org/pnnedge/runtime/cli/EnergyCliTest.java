package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.EnergyProfile;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.TestKeys;
import org.pnnedge.runtime.cli.CliTest.Result;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.EdgeService;

/**
 * The energy ledger on the command line beyond the SHG eval of {@link ModelsCliTest}: `pnn eval --json` and
 * `pnn benchmark energy` on the emulated circuit device (whose parameter loads cost energy, unlike the SHG rig's),
 * and `pnn status` of a running service (issue 15, "Done when").
 */
class EnergyCliTest {
    static final String CIRCUIT = "emulator:circuit?seed=1&timing=zero";

    @TempDir
    static Path dir;

    static Path testCsv;
    static Path bundle;

    /** A small circuit bundle, trained as a user would (characterize, black-box twin, PAT); its accuracy is moot. */
    @BeforeAll
    static void trainACircuitBundle() throws Exception {
        Path trainCsv = dir.resolve("train.csv");
        testCsv = dir.resolve("test.csv");
        CsvDatasets.write(SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(8).seed(1)
                .build(), trainCsv);
        CsvDatasets.write(SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(4).seed(2)
                .build(), testCsv);
        Path chars = dir.resolve("c.csv");
        Path twin = dir.resolve("t.json");
        bundle = dir.resolve("circuit.pnnb");
        Result c = CliTest.run("characterize", "--device", CIRCUIT, "--samples", "400", "--out", chars.toString());
        assertEquals(0, c.exit(), c.err());
        Result f = CliTest.run("fit-twin", "--data", chars.toString(), "--type", "mlp", "--epochs", "2", "--out",
                twin.toString());
        assertEquals(0, f.exit(), f.err());
        Result t = CliTest.run("train", "--data", trainCsv.toString(), "--device", CIRCUIT, "--twin", twin.toString(),
                "--epochs", "1", "--out", bundle.toString());
        assertEquals(0, t.exit(), t.err());
    }

    @Test
    void evalJsonOnTheCircuitChargesShotsAndParameterLoads() throws Exception {
        Result eval = CliTest.run("eval", "--bundle", bundle.toString(), "--device", CIRCUIT, "--data",
                testCsv.toString(), "--repeats", "1", "--json");
        assertEquals(0, eval.exit(), eval.err());
        JsonNode r = Json.MAPPER.readTree(eval.out());
        JsonNode e = r.get("energy_per_inference_j");
        long n = r.get("n").asLong();
        assertEquals(1, e.get("shots_per_inference").asInt(), e.toString());
        assertEquals("measured", e.get("device_source").asText(), e.toString());
        EnergyProfile p = EnergyProfile.of(PhysicsKind.CIRCUIT, "benchtop");
        // the device's counters: one 141.4 µJ shot per inference plus the slot's parameter loads (25.2 µJ each,
        // physics.md "Circuit, bench-top"), shared over the run's inferences; the eval loads the slot at least once
        double loads = (e.get("device").asDouble() - p.shotJoules()) * n / p.loadJoules();
        assertTrue(loads > 0.999 && Math.abs(loads - Math.rint(loads)) < 1e-3,
                "device " + e.get("device") + " J is not shots + whole loads (" + loads + " loads): " + e);
        assertTrue(e.get("link").asDouble() > 0 && e.get("host").asDouble() > 0, e.toString());
        assertEquals(e.get("device").asDouble() + e.get("link").asDouble() + e.get("host").asDouble(),
                e.get("total").asDouble(), 1e-15);
        assertEquals(e.get("total").asDouble() / e.get("digital").asDouble(), e.get("ratio").asDouble(), 1e-6);
        assertTrue(e.get("host_includes_emulated_physics").asBoolean(), "an in-process emulator: " + e);
        assertEquals(p.shotJoules(), e.get("modelled_profiles").get("benchtop").get("device").asDouble(), 1e-15);
        assertEquals(2.1528e-9, e.get("modelled_profiles").get("integrated").get("device").asDouble(), 1e-18);

        // a device without counters: the model's figure, marked as such
        Result off = CliTest.run("eval", "--bundle", bundle.toString(), "--device", CIRCUIT + "&energy=off", "--data",
                testCsv.toString(), "--repeats", "1", "--json");
        assertEquals(0, off.exit(), off.err());
        JsonNode m = Json.MAPPER.readTree(off.out()).get("energy_per_inference_j");
        assertEquals("modelled", m.get("device_source").asText(), m.toString());
        assertEquals("benchtop", m.get("device_profile").asText(), m.toString());
        assertEquals(p.shotJoules(), m.get("device").asDouble(), 1e-15);

        Result badProfile = CliTest.run("eval", "--bundle", bundle.toString(), "--device", CIRCUIT, "--data",
                testCsv.toString(), "--energy-profile", "desktop");
        assertEquals(2, badProfile.exit(), badProfile.err());
        assertTrue(badProfile.err().contains("'desktop'") && badProfile.err().contains("benchtop, integrated"),
                badProfile.err());
    }

    @Test
    void benchmarkEnergyPrintsTheTableAndTheLedger() throws Exception {
        Result b = CliTest.run("benchmark", "energy", "--bundle", bundle.toString(), "--device", CIRCUIT, "--data",
                testCsv.toString(), "--repeats", "1", "--pi-model", "zero2w");
        assertEquals(0, b.exit(), b.err());
        assertTrue(b.out().contains("| measured |") && b.out().contains("| model: integrated |"), b.out());
        int json = b.out().indexOf("\n{"); // the table, then the JSON document
        assertTrue(json > 0, b.out());
        JsonNode e = Json.MAPPER.readTree(b.out().substring(json)).get("energy_per_inference_j");
        assertEquals("zero2w", e.get("host_model").asText(), e.toString());
        assertEquals(0.625, e.get("host_watts_per_core").asDouble(), 1e-12); // physics.md "Host energy"
        assertTrue(e.get("break_even_macs_per_shot").asDouble() > 0 && e.get("digital").asDouble() > 0, e.toString());
    }

    @Test
    void statusShowsTheLedgerOfARunningService(@TempDir Path state) throws Exception {
        Map<String, String> keys = Map.of("device.uri", "emulator:shg?seed=1&timing=zero", "state.dir",
                state.toString(), "bundle.initial",
                Checkout.requireRoot().resolve("src/dist/models/vowels7.pnnb").toString(),
                "bundle.trusted_keys", TestKeys.release().toString());
        try (EdgeService s = EdgeService.start(RuntimeConfig.load(null, Map.of(), keys))) {
            String socket = state.resolve("control.sock").toString();
            Result c = CliTest.run("classify", "--socket", socket, "--features",
                    "0.3,0.9,0.8,0.3,0.9,0.8,0.3,0.9,0.8,0.3,0.9,0.8");
            assertEquals(0, c.exit(), c.err());
            Result st = CliTest.run("status", "--socket", socket);
            assertEquals(0, st.exit(), st.err());
            JsonNode energy = Json.MAPPER.readTree(st.out()).get("energy");
            // status reads the device's counters itself (no MQTT here, so no telemetry has read them)
            assertTrue(energy != null && energy.get("total_j").asDouble() > 0, st.out());
            assertEquals("measured", energy.get("device_source").asText(), st.out());
            assertEquals(EnergyProfile.of(PhysicsKind.SHG, "benchtop").shotJoules(),
                    energy.get("device_j_per_shot").asDouble(), 1e-9, st.out());
            assertEquals("pi4", energy.get("host").asText(), st.out());

            // the device busy (a recalibration phase holds its lock): status answers anyway, sensors marked stale,
            // the ledger as last read, instead of waiting behind the device
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                s.deviceLock().lock();
                try {
                    held.countDown();
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    s.deviceLock().unlock();
                }
            }, "holds-the-device");
            holder.start();
            try {
                assertTrue(held.await(30, TimeUnit.SECONDS), "the holder took the device lock");
                Result busy = CliTest.run("status", "--socket", socket);
                assertEquals(0, busy.exit(), busy.out() + busy.err());
                JsonNode b = Json.MAPPER.readTree(busy.out());
                assertTrue(b.path("sensors").path("stale").asBoolean(), busy.out());
                assertEquals("measured", b.path("energy").path("device_source").asText(), busy.out());
            } finally {
                release.countDown();
                holder.join(30_000);
            }
        }
    }
}
