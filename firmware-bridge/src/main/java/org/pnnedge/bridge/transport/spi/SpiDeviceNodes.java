package org.pnnedge.bridge.transport.spi;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.pnnedge.bridge.TransportException;

/**
 * The kernel device nodes a {@code spi:} link needs on a Raspberry Pi, checked before Pi4J's auto context starts.
 * Without them Pi4J logs board-detection errors and then fails on the first I/O with its own state ("No gpio chip
 * yet initialized!"), which names neither the missing node nor the fix.
 */
final class SpiDeviceNodes {
    private SpiDeviceNodes() {
    }

    /** Throws a {@link TransportException} naming the first node under {@code dev} (normally /dev) that is missing. */
    static void require(Path dev, SpiLinkConfig config) {
        Path spidev = dev.resolve("spidev%d.%d".formatted(config.bus(), config.chipSelect()));
        String what = "cannot open " + config.describe() + ": ";
        if (!Files.exists(spidev)) {
            throw new TransportException(what + "no " + spidev + " (not a Raspberry Pi, or SPI is off: add "
                    + "dtparam=spi=on to /boot/firmware/config.txt and reboot; without the hardware use an "
                    + "emulator: or tcp:// device URI)");
        }
        if (!Files.isReadable(spidev) || !Files.isWritable(spidev)) {
            throw new TransportException(what + spidev + " is not readable and writable by this user (add the user "
                    + "to the groups spi and gpio: sudo usermod -aG spi,gpio USER, then log in again)");
        }
        if (!hasGpioChip(dev)) {
            throw new TransportException(what + "no " + dev.resolve("gpiochip*") + " for DATA_READY (GPIO "
                    + config.readyPin() + ") and RESET (GPIO " + config.resetPin() + "); in a container pass "
                    + "/dev/gpiochip* through as well as " + spidev);
        }
    }

    private static boolean hasGpioChip(Path dev) {
        try (DirectoryStream<Path> chips = Files.newDirectoryStream(dev, "gpiochip*")) {
            return chips.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
