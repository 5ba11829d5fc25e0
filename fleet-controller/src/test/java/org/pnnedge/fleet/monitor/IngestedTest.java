package org.pnnedge.fleet.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** What an ingest worker refuses from the broker, each with a reason that names the topic and the problem. */
class IngestedTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static String refused(String topic, String payload) {
        return assertThrows(IllegalArgumentException.class,
                () -> Ingested.parse(topic, payload.getBytes(StandardCharsets.UTF_8), NOW, false)).getMessage();
    }

    @Test
    void badMessagesAreRefusedWithTheirReason() {
        assertEquals("pnn/pi-1/telemetry: not a JSON object", refused("pnn/pi-1/telemetry", "[1,2]"));
        assertTrue(refused("pnn/pi-1/telemetry", "{\"seq\":").startsWith("pnn/pi-1/telemetry: not JSON ("));
        assertEquals("pnn/pi-1/telemetry: telemetry without a numeric seq",
                refused("pnn/pi-1/telemetry", "{\"ts\":\"2026-12-06T11:59:00Z\",\"seq\":\"x\"}"));
        assertEquals("pnn/pi-1/telemetry: \"ts\" is not an ISO-8601 instant: 'yesterday'",
                refused("pnn/pi-1/telemetry", "{\"ts\":\"yesterday\",\"seq\":3}"));
        assertEquals("pnn/pi-1/status: no \"state\"", refused("pnn/pi-1/status", "{\"reason\":\"x\"}"));
        assertEquals("not a device topic: other/pi-1/telemetry", refused("other/pi-1/telemetry", "{}"));
        assertEquals("not an ingested topic: pnn/pi-1/cmd/recalibrate", refused("pnn/pi-1/cmd/recalibrate", "{}"));
    }

    @Test
    void aGoodTelemetryMessageKeepsItsFigures() {
        Ingested m = Ingested.parse("pnn/pi-1/telemetry", ("{\"ts\":\"2026-12-06T11:59:00Z\",\"seq\":3,"
                + "\"errors_total\":2,\"inferences\":50,\"latency_p95_us\":1500}").getBytes(StandardCharsets.UTF_8),
                NOW, false);
        Ingested.Telemetry t = (Ingested.Telemetry) m;
        assertEquals("pi-1", t.device());
        assertEquals(3, t.seq());
        assertEquals(Instant.parse("2026-12-06T11:59:00Z"), t.ts());
        assertEquals(1.5, t.latencyP95Ms(), 1e-12);
    }
}
