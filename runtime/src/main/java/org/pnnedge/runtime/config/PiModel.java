package org.pnnedge.runtime.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Raspberry Pi the service runs on, for the host's share of an inference's energy: CPU seconds × the power one
 * busy core adds over idle, (P_all cores busy − P_idle) / 4. All three from one set of wall-meter measurements (Jeff
 * Geerling's sbc-reviews: idle vs. all cores stressed); figures and sources in physics.md ("Host energy").
 */
public enum PiModel {
    /** (5.0 W − 1.6 W) / 4. source: geerlingguy/sbc-reviews web/data/results.yml, "Raspberry Pi 4 model B" (#4). */
    PI4("pi4", (5.0 - 1.6) / 4),
    /** (9.7 W − 2.8 W) / 4. source: geerlingguy/sbc-reviews web/data/results.yml, "Raspberry Pi 5 model B" (#21). */
    PI5("pi5", (9.7 - 2.8) / 4),
    /**
     * (3.7 W − 1.2 W) / 4, measured on the Raspberry Pi CM0 (4 × 1 GHz ARMv7, 512 MB: the Zero 2 W's class); no
     * Zero 2 W full-load figure was found. source: geerlingguy/sbc-reviews web/data/results.yml, "Raspberry Pi CM0"
     * (#98).
     */
    ZERO2W("zero2w", (3.7 - 1.2) / 4);

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
