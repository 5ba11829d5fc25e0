package org.pnnedge.bridge.transport.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.TransportException;

/**
 * On a machine without the Pi's device nodes an spi: URI fails with one message naming the missing node, before
 * Pi4J starts (bench/run-arm64.sh checks the same through ./pnn on an arm64 JVM).
 */
class SpiDeviceNodesTest {
    private static final SpiLinkConfig SPI00 = SpiLinkConfig.builder().build();

    @TempDir
    Path dev;

    @Test
    void noSpidevNamesTheNodeAndTheFix() {
        TransportException e = assertThrows(TransportException.class, () -> SpiDeviceNodes.require(dev, SPI00));
        assertTrue(e.getMessage().contains("no " + dev.resolve("spidev0.0")), e.getMessage());
        assertTrue(e.getMessage().contains("dtparam=spi=on"), e.getMessage());
    }

    @Test
    void anotherChipSelectDoesNotCount() throws IOException {
        Files.createFile(dev.resolve("spidev0.1"));
        Files.createFile(dev.resolve("gpiochip0"));
        TransportException e = assertThrows(TransportException.class, () -> SpiDeviceNodes.require(dev, SPI00));
        assertTrue(e.getMessage().contains("no " + dev.resolve("spidev0.0")), e.getMessage());
        assertDoesNotThrow(() -> SpiDeviceNodes.require(dev, SpiLinkConfig.builder().chipSelect(1).build()));
    }

    @Test
    void noGpioChipNamesTheLines() throws IOException {
        Files.createFile(dev.resolve("spidev0.0"));
        TransportException e = assertThrows(TransportException.class, () -> SpiDeviceNodes.require(dev, SPI00));
        assertTrue(e.getMessage().contains("gpiochip*"), e.getMessage());
        assertTrue(e.getMessage().contains("GPIO 24") && e.getMessage().contains("GPIO 25"), e.getMessage());
    }

    @Test
    void bothNodesPass() throws IOException {
        Files.createFile(dev.resolve("spidev0.0"));
        Files.createFile(dev.resolve("gpiochip4"));
        assertDoesNotThrow(() -> SpiDeviceNodes.require(dev, SPI00));
    }

    @Test
    void theAutoContextChecksBeforePi4jStarts() {
        assumeFalse(Files.exists(Path.of("/dev/spidev0.0")), "this machine has an SPI bus");
        try (DeviceContext devices = DeviceContext.create()) {
            TransportException e = assertThrows(TransportException.class,
                    () -> devices.open("spi:0.0?ready=24&reset=25"));
            assertTrue(e.getMessage().contains("no /dev/spidev0.0"), e.getMessage());
            assertTrue(e.getCause() == null, "thrown by the check, not by Pi4J: " + e.getCause());
        }
    }
}
