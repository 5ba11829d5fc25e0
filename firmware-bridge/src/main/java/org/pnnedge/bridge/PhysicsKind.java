package org.pnnedge.bridge;

import java.util.Locale;

/** What computes inside a device. The wire code is the byte IDENTIFY reports. */
public enum PhysicsKind {
    /** Optical second-harmonic generation of a shaped femtosecond pulse (Wright et al. 2022). */
    SHG(1),
    /** Low-power analog circuit driven by a DAC waveform and sampled by an ADC. */
    CIRCUIT(2);

    private final int wireCode;

    PhysicsKind(int wireCode) {
        this.wireCode = wireCode;
    }

    public int wireCode() {
        return wireCode;
    }

    /** Lower-case name used in URIs and on the command line ({@code shg}, {@code circuit}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PhysicsKind fromWire(int code) {
        for (PhysicsKind k : values()) {
            if (k.wireCode == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown physics kind code " + code);
    }

    public static PhysicsKind fromId(String id) {
        for (PhysicsKind k : values()) {
            if (k.id().equalsIgnoreCase(id.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown physics '" + id + "' (expected one of shg, circuit)");
    }
}
