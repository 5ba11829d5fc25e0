package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.junit.jupiter.api.io.TempDir;

class EdgeServiceTest {
    static Path root() {
        return Checkout.requireRoot();
    }

    static RuntimeConfig config(Path state, String device, String... extra) throws IOException {
        Path r = root();
        Map<String, String> m = new java.util.HashMap<>(Map.of("device.uri", device, "state.dir", state.toString(),
                "bundle.initial", r.resolve("src/dist/models/vowels7.pnnb").toString(),
                "bundle.trusted_keys", org.pnnedge.runtime.TestKeys.releaseAndDev().toString(),
                "bundle.allow_development_keys", "true"));
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return RuntimeConfig.load(null, Map.of(), m);
    }

    @Test
    void servesOverTheControlSocketAndReportsStatus(@TempDir Path state) throws Exception {
        try (EdgeService s = EdgeService.start(config(state, "emulator:shg?seed=1&timing=zero"))) {
            ObjectNode req = ControlServer.MAPPER.createObjectNode();
            req.put("op", "classify");
            double[] f = {0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8};
            var arr = req.putArray("features");
            for (double v : f) {
                arr.add(v);
            }
            Path sock = state.resolve("control.sock");
            JsonNode a = ControlServer.request(sock, req, Duration.ofSeconds(5));
            assertTrue(a.has("label") && a.get("confidence").asDouble() > 0, a.toString());
            assertEquals(s.engine().labels().get(a.get("index").asInt()), a.get("label").asText());

            ObjectNode bad = ControlServer.MAPPER.createObjectNode();
            bad.put("op", "classify");
            bad.putArray("features").add(1);
            // the one error format, the same as MQTT replies: {"error":{"kind":…,"message":…}}
            JsonNode badAnswer = ControlServer.request(sock, bad, Duration.ofSeconds(5));
            assertEquals("bad_request", badAnswer.path("error").path("kind").asText(), badAnswer.toString());
            assertTrue(badAnswer.path("error").path("message").asText().contains("expected 12 features"),
                    badAnswer.toString());

            ObjectNode st = ControlServer.MAPPER.createObjectNode();
            st.put("op", "status");
            JsonNode status = ControlServer.request(sock, st, Duration.ofSeconds(5));
            assertEquals("vowels7", status.get("model").asText());
            assertEquals(s.deviceId(), status.get("device_id").asText());
            assertEquals("emulator:shg seed 1", status.get("device_link").asText(), status.toString());
            assertEquals(1, status.get("inferences").asLong());
            assertEquals(1, status.get("errors").get("bad_request").asLong());
            assertTrue(status.get("sensors").has("device_temperature"));
            JsonNode energy = status.get("energy"); // `pnn status` shows the ledger (physics.md, mqtt.md)
            assertTrue(energy.get("total_j").asDouble() > 0 && energy.get("per_inference_mean_j").asDouble() > 0,
                    energy.toString());
            assertEquals("pi4", energy.get("host").asText());

            ObjectNode unknown = ControlServer.MAPPER.createObjectNode();
            unknown.put("op", "dance");
            JsonNode unknownAnswer = ControlServer.request(sock, unknown, Duration.ofSeconds(5));
            assertEquals("bad_request", unknownAnswer.path("error").path("kind").asText(), unknownAnswer.toString());
            assertTrue(unknownAnswer.path("error").path("message").asText().contains("unknown op"));
        }
        assertTrue(!Files.exists(state.resolve("control.sock")), "socket removed on close");
        IOException e = assertThrows(IOException.class, () -> ControlServer.request(state.resolve("control.sock"),
                ControlServer.MAPPER.createObjectNode(), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("no service is running"));
    }

    @Test
    void watchdogResetsAFailingDeviceAndReloadsParameters(@TempDir Path state) throws Exception {
        org.pnnedge.bridge.emulator.EmulatedDevice dev = new org.pnnedge.bridge.emulator.EmulatedDevice(
                org.pnnedge.bridge.emulator.EmulatorConfig.builder(org.pnnedge.bridge.PhysicsKind.SHG).seed(1)
                        .timing(org.pnnedge.bridge.emulator.Timing.ZERO).build());
        try (org.pnnedge.bridge.server.DeviceServer bridge = org.pnnedge.bridge.server.DeviceServer.start(
                new org.pnnedge.bridge.transport.inprocess.InProcessTransport(dev, "test"),
                java.net.InetAddress.getLoopbackAddress(), 0);
             EdgeService s = EdgeService.start(config(state, "tcp://127.0.0.1:" + bridge.port() + "?timeout=30&retries=1",
                     "watchdog.timeout", "PT2S"))) {
            double[] f = {0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8};
            s.classify(f);
            dev.setFaults(new org.pnnedge.bridge.emulator.FaultConfig(0, 1.0, 0, 0)); // the device goes silent
            assertThrows(org.pnnedge.bridge.DeviceException.class, () -> s.classify(f));
            dev.setFaults(org.pnnedge.bridge.emulator.FaultConfig.NONE);
            // the device came back, but lost its parameters in the reset; the service recovers by itself
            org.pnnedge.runtime.service.Answer a = null;
            for (int i = 0; i < 3 && a == null; i++) {
                try {
                    a = s.classify(f);
                } catch (org.pnnedge.bridge.DeviceException e) {
                    // one more failure while the parameters are reloaded is acceptable
                }
            }
            assertTrue(a != null, "service must serve again after the device recovers");
            JsonNode status = s.status();
            assertTrue(status.get("watchdog_resets").asLong() >= 1, status.toString());
            assertTrue(status.get("errors").has("device_timeout"), status.toString());
        }
    }

    @Test
    void updatesOverTheAirAndRefusesTamperedBundles(@TempDir Path state) throws Exception {
        Path r = root();
        try (EdgeService s = EdgeService.start(config(state, "emulator:shg?seed=1&timing=zero"))) {
            org.pnnedge.models.bundle.SigningKey dev = org.pnnedge.runtime.TestKeys.dev();
            // an offline trainer retrains against this device and pushes: its probes are fresh measurements
            byte[] newer = org.pnnedge.models.bundle.Bundles.sign(freshProbes(s, "1.1.0"), dev);
            byte[] tampered = newer.clone();
            tampered[tampered.length / 2] ^= 0x04;
            JsonNode bad = s.applyUpdate(tampered, org.pnnedge.runtime.ota.UpdateOptions.defaults());
            assertEquals("REJECTED", bad.get("step").asText(), bad.toString());
            assertEquals("1.0.0", s.engine().version());
            JsonNode good = s.applyUpdate(newer, org.pnnedge.runtime.ota.UpdateOptions.defaults());
            assertEquals("SWITCHED", good.get("step").asText(), good.toString());
            assertEquals("1.1.0", s.engine().version());
            double[] f = {0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8};
            assertEquals("vowels7@1.1.0", s.classify(f).model());
        }
        // after a restart the updated bundle is still the one serving
        try (EdgeService s = EdgeService.start(config(state, "emulator:shg?seed=1&timing=zero"))) {
            assertEquals("1.1.0", s.engine().version());
        }
    }

    @Test
    void aCanarySetFromTheConfigurationGuardsUpdates(@TempDir Path state) throws Exception {
        // a canary whose labels are all wrong: no bundle can reach the required accuracy
        org.pnnedge.models.data.Dataset d = org.pnnedge.models.data.Normalization.patVowel7().apply(
                org.pnnedge.models.data.SyntheticVowels.builder().talkers(3).seed(9).build());
        int[] wrong = new int[d.size()];
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = (d.labels()[i] + 1) % d.numClasses();
        }
        Path csv = state.resolve("canary.csv");
        Files.createDirectories(state);
        org.pnnedge.models.data.CsvDatasets.write(new org.pnnedge.models.data.Dataset(d.features(), wrong,
                d.labelNames(), d.featureNames()), csv);
        try (EdgeService s = EdgeService.start(config(state.resolve("s"), "emulator:shg?seed=1&timing=zero",
                "ota.canary", csv.toString(), "ota.canary_min_accuracy", "0.5"))) {
            byte[] newer = org.pnnedge.models.bundle.Bundles.sign(freshProbes(s, "1.0.1"),
                    org.pnnedge.runtime.TestKeys.dev());
            JsonNode st = s.applyUpdate(newer, org.pnnedge.runtime.ota.UpdateOptions.defaults());
            assertEquals("ROLLED_BACK", st.get("step").asText(), st.toString());
            assertEquals("self-test-canary", st.get("reason").asText(), st.toString());
            assertEquals("1.0.0", s.engine().version());
        }
    }

    /** The active model as a new version whose reference probes are measured on the service's device now. */
    static org.pnnedge.models.bundle.BundleManifest freshProbes(EdgeService s, String version) {
        org.pnnedge.models.bundle.BundleManifest m = s.bundle().manifest();
        org.pnnedge.models.pnn.PnnModel model = s.engine().model();
        org.pnnedge.models.data.Dataset d = org.pnnedge.models.data.Normalization.patVowel7().apply(
                org.pnnedge.models.data.SyntheticVowels.builder().talkers(2).seed(5).build());
        double[][] z = new double[d.size()][];
        for (int i = 0; i < z.length; i++) {
            z[i] = new double[12];
            for (int k = 0; k < 12; k++) {
                z[i][k] = (d.features()[i][k] - model.featureOffset()[k]) / model.featureScale()[k];
            }
        }
        s.deviceLock().lock();
        try {
            var probes = org.pnnedge.models.pnn.PnnBundles.measureProbes(model, z, 4, 8,
                    new org.pnnedge.models.pnn.PhysicalLayers.OnDevice(s.link()));
            return org.pnnedge.models.pnn.PnnBundles.manifest(m.modelId(), version, model, s.link().info(),
                    org.pnnedge.models.twin.TwinCodec.fromJson(m.twin()), probes, m.provenance(), m.metrics());
        } finally {
            s.deviceLock().unlock();
        }
    }

    /** Warms the lab until the device drifts, asks for a recalibration on the control socket: it is adopted. */
    private static void warmAndRecalibrateOverTheSocket(EdgeService s, Path state) throws IOException {
        s.link().lab().orElseThrow().setAmbientTemperature(32);
        s.link().lab().orElseThrow().advanceClock(1200);
        ObjectNode req = ControlServer.MAPPER.createObjectNode();
        req.put("op", "recalibrate");
        JsonNode report = ControlServer.request(state.resolve("control.sock"), req, Duration.ofSeconds(60));
        assertTrue(report.get("adopted").asBoolean(), report.toString());
        assertEquals("active", s.status().get("correction").asText());
        // a second command right after does not take the device again: it gets that run's report
        JsonNode again = ControlServer.request(state.resolve("control.sock"), req, Duration.ofSeconds(60));
        assertTrue(again.path("coalesced").asBoolean(), again.toString());
        assertEquals(report.get("adopted"), again.path("report").get("adopted"), again.toString());
    }

    @Test
    void recalibratesOnCommandAndRemembersTheCorrection(@TempDir Path state) throws Exception {
        try (EdgeService s = EdgeService.start(config(state, "emulator:shg?seed=1&timing=zero", "recal.budget", "PT2S"))) {
            warmAndRecalibrateOverTheSocket(s, state);
        }
        try (EdgeService s = EdgeService.start(config(state, "emulator:shg?seed=1&timing=zero"))) {
            assertEquals("active", s.status().get("correction").asText(), "correction restored after restart");
        }
    }

    @Test
    void recalIntervalZeroSchedulesNothingButCommandsStillRecalibrate(@TempDir Path state) throws Exception {
        try (EdgeService s = EdgeService.start(config(state.resolve("periodic"), "emulator:shg?seed=1&timing=zero"))) {
            assertTrue(s.periodicRecalibration(), "the default PT1H schedules periodic recalibration");
        }
        try (EdgeService s = EdgeService.start(config(state, "emulator:shg?seed=1&timing=zero",
                "recal.interval", "PT0S", "recal.budget", "PT2S"))) {
            assertFalse(s.periodicRecalibration(), "PT0S: no scheduler");
            warmAndRecalibrateOverTheSocket(s, state);
            assertTrue(s.status().has("last_recalibration"), "the commanded run is reported in the status");
        }
    }

    @Test
    void aPeriodicRunThatDiesOfAnErrorDoesNotEndTheSchedule(@TempDir Path state) throws Exception {
        try (EdgeService s = EdgeService.start(config(state, "emulator:shg?seed=1&timing=zero",
                "recal.interval", "PT0.2S", "recal.budget", "PT1S"))) {
            java.util.concurrent.atomic.AtomicInteger reports = new java.util.concurrent.atomic.AtomicInteger();
            s.onRecalReport(r -> {
                if (reports.incrementAndGet() == 1) { // as an OutOfMemoryError in the twin's refit would end it
                    throw new OutOfMemoryError("test: the first periodic recalibration dies");
                }
            });
            long t0 = System.nanoTime();
            while (reports.get() < 2 && System.nanoTime() - t0 < 60_000_000_000L) {
                Thread.sleep(50);
            }
            assertTrue(reports.get() >= 2, "periodic recalibration went on after a run died: " + reports.get());
        }
    }

    @Test
    void refusesADevelopmentKeyUnlessAllowedAndAMissingBundle(@TempDir Path state) throws Exception {
        // the shipped bundle re-signed with the (trusted) development key
        Path devSigned = state.resolve("dev-signed.pnnb");
        Files.createDirectories(state);
        Files.write(devSigned, org.pnnedge.models.bundle.Bundles.sign(org.pnnedge.models.bundle.Bundles.load(
                Files.readAllBytes(root().resolve("src/dist/models/vowels7.pnnb")),
                org.pnnedge.models.bundle.TrustedKeys.load(org.pnnedge.runtime.TestKeys.release())).manifest(),
                org.pnnedge.runtime.TestKeys.dev()));
        RuntimeConfig strict = config(state.resolve("a"), "emulator:shg?seed=1&timing=zero",
                "bundle.allow_development_keys", "false", "bundle.initial", devSigned.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EdgeService.start(strict));
        assertTrue(e.getMessage().contains("development key"), e.getMessage());
        RuntimeConfig none = config(state.resolve("b"), "emulator:shg?seed=1&timing=zero", "bundle.initial", "");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EdgeService.start(none)).getMessage()
                .contains("bundle.initial"));
    }

    @Test
    void aMissingInitialBundleIsIgnoredByAStoreThatHasOneAndRefusedByAnEmptyStore(@TempDir Path state)
            throws Exception {
        Path nope = state.resolve("nope.pnnb");
        try (EdgeService s = EdgeService.start(config(state.resolve("s"), "emulator:shg?seed=1&timing=zero"))) {
            assertEquals("vowels7", s.engine().modelId()); // the store now holds the shipped bundle
        }
        try (EdgeService s = EdgeService.start(config(state.resolve("s"), "emulator:shg?seed=1&timing=zero",
                "bundle.initial", nope.toString()))) {
            assertEquals("vowels7", s.engine().modelId(), "the store's active bundle serves");
        }
        RuntimeConfig empty = config(state.resolve("empty"), "emulator:shg?seed=1&timing=zero",
                "bundle.initial", nope.toString());
        String m = assertThrows(IllegalArgumentException.class, () -> EdgeService.start(empty)).getMessage();
        assertTrue(m.contains("bundle.initial") && m.contains(nope.toString()) && m.contains("empty"), m);
    }

    @Test
    void latenciesAreNullBeforeTheFirstInferenceAndNumbersAfter(@TempDir Path state) throws Exception {
        try (EdgeService s = EdgeService.start(config(state, "emulator:shg?seed=1&timing=zero"))) {
            ObjectNode req = ControlServer.MAPPER.createObjectNode().put("op", "status");
            JsonNode fresh = ControlServer.request(state.resolve("control.sock"), req, Duration.ofSeconds(5));
            for (String k : new String[] {"latency_p50_us", "latency_p95_us", "latency_p99_us"}) {
                // JSON has no NaN: Jackson would send the string "NaN", which no dashboard reads as a number
                assertTrue(fresh.get(k).isNull(), k + " in " + fresh);
            }
            s.classify(new double[] {0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8, 0.3, 0.9, 0.8});
            JsonNode after = s.status();
            for (String k : new String[] {"latency_p50_us", "latency_p95_us", "latency_p99_us"}) {
                assertTrue(after.get(k).isNumber() && after.get(k).asDouble() > 0, k + " in " + after);
            }
        }
    }
}
