package org.pnnedge.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeConfigTest {
    @Test
    void fileThenEnvironmentThenFlags(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pnn.conf");
        Files.writeString(f, "device.uri = tcp://127.0.0.1:7878\ntelemetry.interval = PT30S\nmqtt.broker = tcp://a:1883\n");
        RuntimeConfig c = RuntimeConfig.load(f, Map.of("PNN_MQTT_BROKER", "tcp://b:1883", "PNN_MQTT_PASSWORD", "s3cret"),
                Map.of("telemetry.interval", "PT5S"));
        assertEquals("tcp://127.0.0.1:7878", c.get("device.uri"));
        assertEquals("tcp://b:1883", c.get("mqtt.broker"));
        assertEquals(Duration.ofSeconds(5), c.duration("telemetry.interval"));
        assertEquals(Duration.ofHours(1), c.duration("recal.interval"));
        assertEquals("****", c.effective().get("mqtt.password"));
        assertEquals("PNN_RECAL_BUDGET", RuntimeConfig.envName("recal.budget"));
        assertTrue(RuntimeConfig.KEYS.keySet().stream().allMatch(k -> !RuntimeConfig.KEYS.get(k).meaning().isEmpty()));
    }

    @Test
    void booleansTakeTheSameWordsAsBefore() throws Exception {
        Map<String, Boolean> words = Map.of("true", true, "Yes", true, "ON", true, "1", true, "false", false,
                "no", false, "Off", false, "0", false, "", false);
        for (Map.Entry<String, Boolean> w : words.entrySet()) {
            RuntimeConfig c = RuntimeConfig.load(null, Map.of("PNN_OTA_ALLOW_DOWNGRADE", w.getKey()), Map.of());
            assertEquals(w.getValue(), c.bool("ota.allow_downgrade"), "'" + w.getKey() + "'");
        }
        String m = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(null, Map.of(), Map.of("mqtt.home_assistant", "enabled"))).getMessage();
        assertTrue(m.contains("mqtt.home_assistant") && m.contains("'enabled'"), m);
    }

    @Test
    void mistakesAreNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pnn.conf");
        Files.writeString(f, "device.url = spi:0.0\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.load(f, Map.of(), Map.of()))
                .getMessage().contains("unknown configuration key 'device.url'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(null, Map.of(), Map.of("telemetry.interval", "10s"))).getMessage()
                .contains("ISO-8601"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(null, Map.of(), Map.of("ota.allow_downgrade", "maybe"))).getMessage()
                .contains("true or false"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(dir.resolve("missing.conf"), Map.of(), Map.of())).getMessage()
                .contains("not found"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(null, Map.of(), Map.of("device.id", "a/b"))).getMessage()
                .contains("device.id"));
    }

    @Test
    void bridgeTlsFilesGoIntoTheTcpUriAllThreeOrNone() throws Exception {
        RuntimeConfig c = RuntimeConfig.load(null, Map.of(), Map.of("device.uri", "tcp://pi.local:7878?timeout=500",
                "device.tls_cert", "/etc/pnn/host.crt", "device.tls_key", "/etc/pnn/host key.pem",
                "device.tls_ca", "/etc/pnn/ca.crt"));
        String uri = c.typed().device().effectiveUri();
        org.pnnedge.bridge.transport.tcp.TcpEndpoint e = (org.pnnedge.bridge.transport.tcp.TcpEndpoint)
                org.pnnedge.bridge.DeviceAddress.parse(uri).endpoint();
        assertEquals(Path.of("/etc/pnn/host key.pem"), e.tls().orElseThrow().key());
        assertEquals(Duration.ofSeconds(5), c.typed().device().paramCheckInterval());
        IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(null, Map.of(), Map.of("device.uri", "tcp://h:1", "device.tls_cert", "/c")));
        assertTrue(half.getMessage().contains("go together"), half.getMessage());
        IllegalArgumentException notTcp = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(null, Map.of(), Map.of("device.uri", "spi:0.0", "device.tls_cert", "/c",
                        "device.tls_key", "/k", "device.tls_ca", "/a")));
        assertTrue(notTcp.getMessage().contains("tcp:// device URIs only"), notTcp.getMessage());
    }

    @Test
    void unknownPiModelsAndEnergyProfilesAreNamedWithTheKnownOnes() throws Exception {
        String pi = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(null, Map.of(), Map.of("energy.pi_model", "pi3"))).getMessage();
        assertTrue(pi.contains("energy.pi_model") && pi.contains("'pi3'") && pi.contains("pi4, pi5, zero2w"), pi);
        String profile = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(null, Map.of(), Map.of("energy.profile", "desktop"))).getMessage();
        assertTrue(profile.contains("energy.profile") && profile.contains("'desktop'")
                && profile.contains("benchtop, integrated"), profile);
        String clock = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.load(null, Map.of(), Map.of("energy.spi_clock_hz", "0"))).getMessage();
        assertTrue(clock.contains("energy.spi_clock_hz"), clock);
        EdgeConfig.Energy e = RuntimeConfig.load(null, Map.of(), Map.of("energy.pi_model", "Zero2W",
                "energy.profile", "Integrated")).typed().energy();
        assertEquals(PiModel.ZERO2W, e.piModel());
        assertEquals("integrated", e.profile());
        assertEquals(1e7, e.spiClockHz());
    }

    @Test
    void theControlSocketsIdleBoundIsAPositiveDuration() throws Exception {
        assertEquals(Duration.ofSeconds(60), RuntimeConfig.load(null, Map.of(), Map.of()).typed().control()
                .idleTimeout());
        assertEquals(Duration.ofMillis(300), RuntimeConfig.load(null, Map.of("PNN_CONTROL_IDLE_TIMEOUT", "PT0.3S"),
                Map.of()).typed().control().idleTimeout());
        for (String bad : new String[] {"PT0S", "-PT5S", "60", "PT25H", ""}) {
            String m = assertThrows(IllegalArgumentException.class,
                    () -> RuntimeConfig.load(null, Map.of(), Map.of("control.idle_timeout", bad))).getMessage();
            assertTrue(m.contains("control.idle_timeout") && m.contains("'" + bad + "'"), bad + ": " + m);
        }
    }

    @Test
    void perCoreFiguresAreTheCitedWallMeterMeasurements() {
        // physics.md "Host energy": (all cores stressed − idle) / 4, sbc-reviews results.yml
        assertEquals((5.0 - 1.6) / 4, PiModel.PI4.wattsPerCore(), 1e-12);   // 0.85 W
        assertEquals((9.7 - 2.8) / 4, PiModel.PI5.wattsPerCore(), 1e-12);   // 1.725 W
        assertEquals((3.7 - 1.2) / 4, PiModel.ZERO2W.wattsPerCore(), 1e-12); // 0.625 W (CM0, same class)
    }
}
