package org.pnnedge.runtime.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.io.TempDir;

class EdgeServiceTest {
    static Path root() {
        Path r = Path.of("").toAbsolutePath();
        while (!Files.exists(r.resolve("src/dist/models/vowels7.pnnb"))) {
            r = r.getParent();
        }
        return r;
    }

    static RuntimeConfig config(Path state, String device, String... extra) throws IOException {
        Path r = root();
        Map<String, String> m = new java.util.HashMap<>(Map.of("device.uri", device, "state.dir", state.toString(),
                "bundle.initial", r.resolve("src/dist/models/vowels7.pnnb").toString(),
                "bundle.trusted_keys", r.resolve("src/dist/dev-keys/pnn-dev.pub").toString(),
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
            assertTrue(ControlServer.request(sock, bad, Duration.ofSeconds(5)).get("error").asText()
                    .contains("expected 12 features"));

            ObjectNode st = ControlServer.MAPPER.createObjectNode();
            st.put("op", "status");
            JsonNode status = ControlServer.request(sock, st, Duration.ofSeconds(5));
            assertEquals("vowels7", status.get("model").asText());
            assertEquals(1, status.get("inferences").asLong());
            assertEquals(1, status.get("errors").get("bad_request").asLong());
            assertTrue(status.get("sensors").has("device_temperature"));

            ObjectNode unknown = ControlServer.MAPPER.createObjectNode();
            unknown.put("op", "dance");
            assertTrue(ControlServer.request(sock, unknown, Duration.ofSeconds(5)).get("error").asText()
                    .contains("unknown op"));
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
            EdgeService.Answer a = null;
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
            assertTrue(status.get("errors").has("DeviceTimeoutException"), status.toString());
        }
    }

    @Test
    void refusesADevelopmentKeyUnlessAllowedAndAMissingBundle(@TempDir Path state) throws Exception {
        RuntimeConfig strict = config(state, "emulator:shg?seed=1&timing=zero", "bundle.allow_development_keys", "false");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EdgeService.start(strict));
        assertTrue(e.getMessage().contains("development key"), e.getMessage());
        RuntimeConfig none = config(state, "emulator:shg?seed=1&timing=zero", "bundle.initial", "");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EdgeService.start(none)).getMessage()
                .contains("bundle.initial"));
    }
}
