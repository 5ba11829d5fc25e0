package org.pnnedge.runtime.cli;

import org.pnnedge.runtime.config.PiModel;
import picocli.CommandLine.Option;

/** The energy pricing options of `pnn eval` and `pnn benchmark energy` (a picocli mixin). */
final class EnergyOptions {
    @Option(names = "--pi-model", defaultValue = "pi4", description = "Host whose per-core power prices the host's "
            + "share and the digital baseline: pi4, pi5, zero2w (default ${DEFAULT-VALUE}).")
    String piModel;

    @Option(names = "--energy-profile", defaultValue = "benchtop", description = "Device energy model when the "
            + "device keeps no energy counter: benchtop, integrated (default ${DEFAULT-VALUE}).")
    String energyProfile;

    @Option(names = "--spi-clock-hz", defaultValue = "10000000", description = "SPI clock of the link energy "
            + "(default ${DEFAULT-VALUE}).")
    double spiClockHz;

    @Option(names = "--digital-hidden", defaultValue = "32,32", paramLabel = "W[,W...]", description = "Hidden "
            + "widths of the digital MLP to compare with, the task's baseline: 32,32 for the vowels, 128 for MNIST "
            + "(default ${DEFAULT-VALUE}).")
    String digitalHidden;

    private int[] hidden() {
        String[] parts = digitalHidden.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new CliException("--digital-hidden must be widths such as 32,32, got '" + digitalHidden + "'");
            }
            if (w[i] < 1 || w[i] > 4096) {
                throw new CliException("--digital-hidden widths must be in 1..4096, got " + w[i]);
            }
        }
        return w;
    }

    /** The options checked; a bad name is a usage error naming the known ones. */
    EnergyReport.Settings settings() {
        try {
            return new EnergyReport.Settings(PiModel.parse("--pi-model", piModel), energyProfile, spiClockHz,
                    hidden());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
