package org.pnnedge.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.Checkout;

/** The controller's libraries (JDBC driver, Flyway) belong to the operator's machine: the Pi runtime's lib has none. */
class RuntimeLibTest {
    @Test
    void theRuntimeLibHasNoDatabaseLibraries() throws IOException {
        Path lib = Checkout.require("runtime/target/lib");
        List<String> jars;
        try (Stream<Path> s = Files.list(lib)) {
            jars = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("org.eclipse.paho.mqttv5.client")), "Paho in " + lib + ": " + jars);
        assertEquals(List.of(), jars.stream().filter(j -> j.startsWith("postgresql") || j.startsWith("flyway")
                || j.startsWith("fleet-controller")).toList(), "controller-only jars in " + lib);
    }
}
