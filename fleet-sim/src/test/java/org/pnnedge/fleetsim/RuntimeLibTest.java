package org.pnnedge.fleetsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.Checkout;

/** The simulator's MQTT client is a test tool's: the Pi runtime's distribution (runtime/target/lib) must not carry it. */
class RuntimeLibTest {
    @Test
    void theRuntimeLibHasPahoAndNoHiveMqClient() throws IOException {
        Path lib = Checkout.require("runtime/target/lib");
        List<String> jars;
        try (Stream<Path> s = Files.list(lib)) {
            jars = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        // the directory is the real distribution, not an empty leftover: the runtime's own MQTT client is in it
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("org.eclipse.paho.mqttv5.client")), "Paho in " + lib + ": " + jars);
        assertEquals(List.of(), jars.stream().filter(j -> j.contains("hivemq") || j.startsWith("rxjava")
                || j.startsWith("netty-") || j.startsWith("fleet-sim")).toList(), "tool-only jars in " + lib);
    }
}
