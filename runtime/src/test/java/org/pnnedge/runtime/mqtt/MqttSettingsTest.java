package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttSettingsTest {
    @TempDir
    Path tmp;

    MqttSettings.Builder valid() {
        return MqttSettings.builder().brokerUri("tcp://broker.local").deviceId("pi-7").outboxDir(tmp.resolve("outbox"));
    }

    static String error(MqttSettings.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void defaults() {
        MqttSettings s = valid().build();
        assertEquals("tcp://broker.local:1883", s.brokerUri());
        assertEquals("pnn-pi-7", s.clientId());
        assertEquals("pnn", s.topicPrefix());
        assertEquals(Duration.ofSeconds(10), s.telemetryInterval());
        assertFalse(s.usesTls());
        assertEquals("pnn/pi-7/status", s.topics().status());
        assertEquals(16L * 1024 * 1024 + MqttSettings.PACKET_MARGIN, s.maxPacketBytes());
        assertEquals("ssl://b:8883", valid().brokerUri("mqtts://b").build().brokerUri());
        assertTrue(valid().brokerUri("ssl://b:8884").build().tls().isPresent());
    }

    @Test
    void malformedSettingsAreRejectedWithClearMessages() {
        assertTrue(error(valid().brokerUri(null)).contains("brokerUri is required"));
        assertTrue(error(valid().brokerUri("http://x")).contains("must start with tcp:// or ssl://"));
        assertTrue(error(valid().brokerUri("tcp://")).contains("brokerUri 'tcp://' is not a URI"));
        assertTrue(error(valid().brokerUri("tcp://:1883")).contains("no host"));
        assertTrue(error(valid().deviceId("a/b")).contains("must not contain the MQTT topic characters"));
        assertTrue(error(valid().deviceId("dev+")).contains("'+', '#' or '/'"));
        assertTrue(error(valid().deviceId("has space")).contains("may only contain"));
        assertTrue(error(valid().deviceId("fleet")).contains("reserved"));
        assertTrue(error(valid().deviceId("x".repeat(65))).contains("at most 64"));
        assertTrue(error(valid().fleetId("#")).contains("fleetId"));
        assertTrue(error(valid().topicPrefix("a//b")).contains("topicPrefix"));
        assertTrue(error(valid().topicPrefix("$SYS")).contains("'$'"));
        assertTrue(error(valid().outboxDir(null)).contains("outboxDir is required"));
        assertTrue(error(valid().outboxMaxMessages(0)).contains("outboxMaxMessages"));
        assertTrue(error(valid().maxPacketBytes(100)).contains("maxPacketBytes"));
        assertTrue(error(valid().maxPacketBytes(1L << 30)).contains("maxPacketBytes"));
        assertTrue(error(valid().telemetryInterval(Duration.ZERO)).contains("telemetryInterval"));
        assertTrue(error(valid().keepAlive(Duration.ofDays(2))).contains("keepAlive"));
        assertTrue(error(valid().reconnectDelay(Duration.ofSeconds(5), Duration.ofSeconds(1))).contains("shorter than"));
        assertTrue(error(valid().username("")).contains("username"));
    }

    @Test
    void tlsSettingsMustBeConsistent() throws Exception {
        Path ca = Files.writeString(tmp.resolve("ca.pem"), "x");
        assertTrue(error(valid().caFile(ca)).contains("is not ssl://"));
        assertTrue(error(valid().brokerUri("ssl://b").clientCertificate(ca, null)).contains("both a client certificate"));
        assertTrue(error(valid().brokerUri("ssl://b").caFile(tmp.resolve("missing.pem"))).contains("not a readable file"));
        MqttSettings s = valid().brokerUri("ssl://b").caFile(ca).clientCertificate(ca, ca).build();
        assertEquals(Optional.of(ca), s.tls().orElseThrow().caFile());
        assertTrue(s.tls().orElseThrow().mutual());
    }

    @Test
    void allProblemsAreReportedAtOnceAndThePasswordIsNeverPrinted() {
        String msg = error(MqttSettings.builder().brokerUri("ftp://x").deviceId("a#").password("secret"));
        assertTrue(msg.contains("brokerUri") && msg.contains("deviceId") && msg.contains("outboxDir"), msg);
        String s = valid().username("u").password("secret").build().toString();
        assertFalse(s.contains("secret"), s);
    }

    @Test
    void topicScheme() {
        Topics t = valid().fleetId("lab").build().topics();
        assertEquals("pnn/pi-7/telemetry", t.telemetry());
        assertEquals("pnn/pi-7/recal", t.recal());
        assertEquals("pnn/pi-7/ota/status", t.otaStatus());
        assertEquals("pnn/pi-7/ota/bundle", t.otaBundle());
        assertEquals("pnn/fleet/lab/ota/bundle", t.fleetOtaBundle().orElseThrow());
        assertEquals("pnn/pi-7/infer/request", t.inferRequest());
        assertEquals("$share/pnn-lab/pnn/fleet/lab/infer/request", t.fleetInferRequestShared().orElseThrow());
        assertEquals("pnn/pi-7/cmd/recalibrate", t.command("recalibrate"));
        assertEquals("homeassistant/sensor/pi-7/drift/config", t.homeAssistantConfig("homeassistant", "sensor", "drift"));
        assertEquals(Topics.Inbound.FLEET_COMMAND, t.classify("pnn/fleet/lab/cmd/status"));
        assertEquals(Topics.Inbound.COMMAND, t.classify("pnn/pi-7/cmd/recalibrate"));
        assertEquals(Topics.Inbound.OTHER, t.classify("pnn/pi-7/cmd/a/b"));
        assertEquals(Topics.Inbound.OTHER, t.classify("pnn/pi-8/infer/request"));
        assertThrows(IllegalArgumentException.class, () -> t.command("a/b"));
    }
}
