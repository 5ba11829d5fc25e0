package org.pnnedge.bridge.transport.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of the Pi4J SPI + GPIO link. Build with {@link #builder()}; the builder refuses
 * values the hardware cannot have.
 *
 * @param bus        SPI bus (0 = /dev/spidev0.x)
 * @param chipSelect chip select line on that bus
 * @param baud       SPI clock in Hz
 * @param mode       SPI mode 0..3 (clock polarity and phase); the firmware samples on the rising edge: mode 0
 * @param readyPin   BCM number of the DATA_READY input (active high, device drives it)
 * @param resetPin   BCM number of the RESET output (active low, host drives it)
 * @param resetPulse how long RESET is held low
 * @param bootWait   how long the firmware needs after RESET is released
 */
public record SpiLinkConfig(int bus, int chipSelect, int baud, int mode, int readyPin, int resetPin,
                            Duration resetPulse, Duration bootWait) {
    public static final int DEFAULT_BAUD = 10_000_000;
    public static final int DEFAULT_READY_PIN = 24;
    public static final int DEFAULT_RESET_PIN = 25;

    public SpiLinkConfig {
        if (bus < 0 || bus > 6) {
            throw new IllegalArgumentException("SPI bus must be 0..6, got " + bus);
        }
        if (chipSelect < 0 || chipSelect > 10) {
            throw new IllegalArgumentException("SPI chip select must be 0..10, got " + chipSelect);
        }
        if (baud < 1_000 || baud > 125_000_000) {
            throw new IllegalArgumentException("SPI baud must be 1 kHz..125 MHz, got " + baud);
        }
        if (mode < 0 || mode > 3) {
            throw new IllegalArgumentException("SPI mode must be 0..3, got " + mode);
        }
        if (readyPin < 0 || readyPin > 27 || resetPin < 0 || resetPin > 27) {
            throw new IllegalArgumentException("GPIO pins must be BCM 0..27, got ready=" + readyPin + " reset=" + resetPin);
        }
        if (readyPin == resetPin) {
            throw new IllegalArgumentException("DATA_READY and RESET cannot share GPIO " + readyPin);
        }
        Objects.requireNonNull(resetPulse, "resetPulse");
        Objects.requireNonNull(bootWait, "bootWait");
        if (resetPulse.isNegative() || bootWait.isNegative()) {
            throw new IllegalArgumentException("reset pulse and boot wait must not be negative");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public String describe() {
        return "spi:%d.%d @ %d Hz mode %d, ready=GPIO%d, reset=GPIO%d".formatted(bus, chipSelect, baud, mode,
                readyPin, resetPin);
    }

    /** Wire time of {@code bytes} at this clock, ignoring chip-select gaps (the physical floor of a transfer). */
    public double wireSeconds(int bytes) {
        return bytes * 8.0 / baud;
    }

    /**
     * Builder with the Raspberry Pi defaults: SPI0 CE0 at {@value #DEFAULT_BAUD} Hz, mode 0, DATA_READY and RESET on
     * GPIO {@value #DEFAULT_READY_PIN} and {@value #DEFAULT_RESET_PIN}.
     */
    public static final class Builder {
        private int bus;
        private int chipSelect;
        private int baud = DEFAULT_BAUD;
        private int mode;
        private int readyPin = DEFAULT_READY_PIN;
        private int resetPin = DEFAULT_RESET_PIN;
        private Duration resetPulse = Duration.ofMillis(1);
        private Duration bootWait = Duration.ofMillis(100);

        public Builder bus(int v) { bus = v; return this; }
        public Builder chipSelect(int v) { chipSelect = v; return this; }
        public Builder baud(int v) { baud = v; return this; }
        public Builder mode(int v) { mode = v; return this; }
        public Builder readyPin(int v) { readyPin = v; return this; }
        public Builder resetPin(int v) { resetPin = v; return this; }
        public Builder resetPulse(Duration v) { resetPulse = v; return this; }
        public Builder bootWait(Duration v) { bootWait = v; return this; }

        public SpiLinkConfig build() {
            return new SpiLinkConfig(bus, chipSelect, baud, mode, readyPin, resetPin, resetPulse, bootWait);
        }
    }
}
