package org.pnnedge.bridge.emulator;

import java.util.Objects;

import org.pnnedge.bridge.EnergyProfile;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.protocol.FrameCodec;

/**
 * Immutable configuration of one emulated device. Build with {@link #builder(PhysicsKind)}.
 *
 * @param shotMicros        modelled time per shot; 0 = the physics' typical shot time
 * @param overheadMicros    modelled firmware time per request (frame parsing, DAC setup)
 * @param bootMillis        time from RESET release (or reboot) until the firmware answers again
 * @param thermalTauSeconds time constant with which the device temperature follows the ambient temperature
 * @param energy            energy profile the firmware's counters follow ({@code benchtop}, {@code integrated}), or
 *                          {@code off}: no counters (a device without them; READ_ENERGY is then unknown)
 * @param protocolVersion   newest protocol version the firmware speaks (1 emulates firmware from before
 *                          READ_ENERGY)
 * @param session           which session of the unit: 0 = how a fresh device of this seed has always started; N > 0 =
 *                          the same unit (serial, mismatch) at another time: its slow drifts start elsewhere in their
 *                          stationary range and its noise is another sequence (protocol.md, "Emulated firmware")
 */
public record EmulatorConfig(PhysicsKind kind, long seed, boolean noise, boolean mismatch, boolean drift,
                             Timing timing, long shotMicros, long overheadMicros, long bootMillis,
                             FaultConfig faults, int slots, double ambientC, double thermalTauSeconds,
                             String energy, int protocolVersion, long session) {
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
        Objects.requireNonNull(energy, "energy");
        if (!energy.equals("off")) {
            EnergyProfile.requireKnown(energy);
        }
        if (!FrameCodec.spoken(protocolVersion)) {
            throw new IllegalArgumentException("protocol version must be in " + FrameCodec.MIN_VERSION + ".."
                    + FrameCodec.VERSION + ", got " + protocolVersion);
        }
        if (session < 0) {
            throw new IllegalArgumentException("session must be >= 0, got " + session);
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
                .slots(slots).ambientC(ambientC).thermalTauSeconds(thermalTauSeconds).energy(energy)
                .protocolVersion(protocolVersion).session(session);
    }

    /**
     * Builder with realistic defaults: noise, mismatch and drift on, realistic timing, no faults, 8 slots, bench-top
     * energy counters, the newest protocol.
     */
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
        private String energy = "benchtop";
        private int protocolVersion = FrameCodec.VERSION;
        private long session;

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
        public Builder energy(String v) {
            energy = v.trim().toLowerCase(java.util.Locale.ROOT);
            return this;
        }
        public Builder protocolVersion(int v) { protocolVersion = v; return this; }
        public Builder session(long v) { session = v; return this; }

        public EmulatorConfig build() {
            return new EmulatorConfig(kind, seed, noise, mismatch, drift, timing, shotMicros, overheadMicros,
                    bootMillis, faults, slots, ambientC, thermalTauSeconds, energy, protocolVersion, session);
        }
    }
}
