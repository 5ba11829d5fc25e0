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

    /** The options checked; a bad name is a usage error naming the known ones. */
    EnergyReport.Settings settings() {
        try {
            return new EnergyReport.Settings(PiModel.parse("--pi-model", piModel), energyProfile, spiClockHz);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }
}
