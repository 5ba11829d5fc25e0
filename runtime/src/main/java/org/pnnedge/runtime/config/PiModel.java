package org.pnnedge.runtime.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Raspberry Pi the service runs on, for the host's share of an inference's energy: CPU seconds × the power one
 * busy core adds over idle. Figures and sources in physics.md ("Host energy"); the Pi 4's is measured by others and
 * cited, the Pi 5's and Zero 2 W's are assumptions stated there.
 */
public enum PiModel {
    /** (6.4 W all four cores busy − 2.7 W idle) / 4 cores. */
    PI4("pi4", (6.4 - 2.7) / 4),
    /** Assumption: about 1.4 × the Pi 4's per-core figure (Cortex-A76 at 2.4 GHz on 16 nm). */
    PI5("pi5", 1.3),
    /** Assumption: (about 2.0 W with four cores busy − 0.6 W idle) / 4 cores. */
    ZERO2W("zero2w", (2.0 - 0.6) / 4);

    private final String id;
    private final double wattsPerCore;

    PiModel(String id, double wattsPerCore) {
        this.id = id;
        this.wattsPerCore = wattsPerCore;
    }

    public String id() {
        return id;
    }

    /** Power one busy core adds over idle, W. */
    public double wattsPerCore() {
        return wattsPerCore;
    }

    /**
     * The model named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming {@code key} and the known models
     */
    public static PiModel parse(String key, String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (PiModel m : values()) {
            if (m.id.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException(key + ": unknown Raspberry Pi model '" + name + "' (known: "
                + Arrays.stream(values()).map(PiModel::id).collect(Collectors.joining(", ")) + ")");
    }
}
