package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failover broker URIs (mqtt.servers): normalised, same scheme as the broker, no duplicates, in the device's order. */
class MqttFailoverSettingsTest {
    @TempDir
    Path tmp;

    MqttSettings.Builder valid() {
        return MqttSettings.builder().brokerUri("tcp://n1:1891").deviceId("pi-7").outboxDir(tmp.resolve("outbox"));
    }

    @Test
    void failoverUrisFollowTheBrokerInTheDevicesOrder() {
        MqttSettings s = valid().failoverUris(List.of("mqtt://n2:1892", "tcp://n3")).build();
        assertEquals(List.of("tcp://n2:1892", "tcp://n3:1883"), s.failoverUris()); // as configured, normalised
        // pi-7's rotation of two failover URIs is 1 (FailoverOrderTest pins it)
        assertEquals(List.of("tcp://n1:1891", "tcp://n3:1883", "tcp://n2:1892"), s.serverUris());
        assertEquals(List.of("tcp://n1:1891"), valid().build().serverUris());
        assertTrue(s.toString().contains("tcp://n1:1891,tcp://n3:1883,tcp://n2:1892"), s.toString());
    }

    @Test
    void aMixedSchemeOrARepeatedBrokerIsRefusedWithItsName() {
        String mixed = assertThrows(IllegalArgumentException.class,
                () -> valid().failoverUris(List.of("ssl://n2:8892")).build()).getMessage();
        assertTrue(mixed.contains("ssl://n2:8892") && mixed.contains("scheme"), mixed);
        String twice = assertThrows(IllegalArgumentException.class,
                () -> valid().failoverUris(List.of("tcp://n2:1892", "tcp://n1:1891")).build()).getMessage();
        assertTrue(twice.contains("tcp://n1:1891 is listed twice"), twice);
        String bad = assertThrows(IllegalArgumentException.class,
                () -> valid().failoverUris(List.of("http://n2")).build()).getMessage();
        assertTrue(bad.contains("http://n2"), bad);
    }
}
