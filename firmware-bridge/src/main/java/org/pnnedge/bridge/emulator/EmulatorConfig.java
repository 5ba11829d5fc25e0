package org.pnnedge.bridge.emulator;

import java.util.Objects;

import org.pnnedge.bridge.PhysicsKind;

/**
 * Immutable configuration of one emulated device. Build with {@link #builder(PhysicsKind)}.
 *
 * @param shotMicros        modelled time per shot; 0 = the physics' typical shot time
 * @param overheadMicros    modelled firmware time per request (frame parsing, DAC setup)
 * @param bootMillis        time from RESET release (or reboot) until the firmware answers again
 * @param thermalTauSeconds time constant with which the device temperature follows the ambient temperature
 */
public record EmulatorConfig(PhysicsKind kind, long seed, boolean noise, boolean mismatch, boolean drift,
                             Timing timing, long shotMicros, long overheadMicros, long bootMillis,
                             FaultConfig faults, int slots, double ambientC, double thermalTauSeconds) {
    public EmulatorConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(faults, "faults");
        if (shotMicros < 0 || overheadMicros < 0 || bootMillis < 0) {
            throw new IllegalArgumentException("times must be >= 0");
        }
        if (slots < 1 || slots > 255) {
            throw new IllegalArgumentException("slots must be in 1..255, got " + slots);
        }
        if (!(thermalTauSeconds > 0)) {
            throw new IllegalArgumentException("thermal time constant must be > 0");
        }
        if (!(ambientC > -50 && ambientC < 150)) {
            throw new IllegalArgumentException("ambient temperature " + ambientC + " °C is outside -50..150");
        }
    }

    public static Builder builder(PhysicsKind kind) {
        return new Builder(kind);
    }

    public Builder toBuilder() {
        return new Builder(kind).seed(seed).noise(noise).mismatch(mismatch).drift(drift).timing(timing)
                .shotMicros(shotMicros).overheadMicros(overheadMicros).bootMillis(bootMillis).faults(faults)
                .slots(slots).ambientC(ambientC).thermalTauSeconds(thermalTauSeconds);
    }

    /** Builder with realistic defaults: noise, mismatch and drift on, realistic timing, no faults, 8 slots. */
    public static final class Builder {
        private final PhysicsKind kind;
        private long seed = 1;
        private boolean noise = true;
        private boolean mismatch = true;
        private boolean drift = true;
        private Timing timing = Timing.REALISTIC;
        private long shotMicros;
        private long overheadMicros = 150;
        private long bootMillis = 50;
        private FaultConfig faults = FaultConfig.NONE;
        private int slots = 8;
        private double ambientC = 22.0;
        private double thermalTauSeconds = 300.0;

        private Builder(PhysicsKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        public Builder seed(long v) { seed = v; return this; }
        public Builder noise(boolean v) { noise = v; return this; }
        public Builder mismatch(boolean v) { mismatch = v; return this; }
        public Builder drift(boolean v) { drift = v; return this; }
        public Builder timing(Timing v) { timing = v; return this; }
        public Builder shotMicros(long v) { shotMicros = v; return this; }
        public Builder overheadMicros(long v) { overheadMicros = v; return this; }
        public Builder bootMillis(long v) { bootMillis = v; return this; }
        public Builder faults(FaultConfig v) { faults = v; return this; }
        public Builder slots(int v) { slots = v; return this; }
        public Builder ambientC(double v) { ambientC = v; return this; }
        public Builder thermalTauSeconds(double v) { thermalTauSeconds = v; return this; }

        public EmulatorConfig build() {
            return new EmulatorConfig(kind, seed, noise, mismatch, drift, timing, shotMicros, overheadMicros,
                    bootMillis, faults, slots, ambientC, thermalTauSeconds);
        }
    }
}
