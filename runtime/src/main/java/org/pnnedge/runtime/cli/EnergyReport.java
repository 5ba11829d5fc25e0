package org.pnnedge.runtime.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.EnergyCounters;
import org.pnnedge.bridge.EnergyProfile;
import org.pnnedge.bridge.LinkEnergy;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.bench.DigitalBaseline;
import org.pnnedge.models.bench.DigitalCost;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.runtime.config.PiModel;
import org.pnnedge.runtime.service.EnergyLedger;

/**
 * {@code energy_per_inference_j} of `pnn eval --json` and `pnn benchmark energy`: device (the device's counters, or
 * the model), link (bytes moved × J/bit at the SPI clock), host (this thread's CPU time × the Pi's per-core power)
 * over a run of inferences, next to the digital baselines timed on this CPU at the same per-core power, and the
 * break-even: how many multiply-accumulates one shot must replace to pay for itself (physics.md).
 */
final class EnergyReport {
    private EnergyReport() {
    }

    /** How the report prices: the Pi, the model profile for a device without counters, the SPI clock. */
    record Settings(PiModel pi, String profile, double spiClockHz, int[] digitalHidden) {
        Settings {
            digitalHidden = digitalHidden.clone();
            EnergyProfile.requireKnown(profile);
            if (!(spiClockHz > 0)) {
                throw new CliException("--spi-clock-hz must be > 0");
            }
        }
    }

    /** Counters at one moment: the device's slot energy (NaN without counters), link bytes, thread CPU time. */
    record Probe(double slotMicrojoules, long bytes, long cpuNanos) {
    }

    /** Before a run: the counters first (reading them moves bytes), then bytes and CPU time. */
    static Probe before(DeviceLink link) {
        double slots = slots(link);
        return new Probe(slots, link.bytesTransferred(), EnergyLedger.cpuNanos());
    }

    /** After a run: CPU time and bytes first, then the counters. */
    static Probe after(DeviceLink link) {
        long cpu = EnergyLedger.cpuNanos();
        long bytes = link.bytesTransferred();
        return new Probe(slots(link), bytes, cpu);
    }

    private static double slots(DeviceLink link) {
        EnergyCounters c = link.energy().orElse(null);
        if (c == null) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : c.slotMicrojoules()) {
            s += v;
        }
        return s;
    }

    /**
     * The report of {@code inferences} inferences of {@code shotsPerInference} shots each between two probes.
     *
     * @param inProcessDevice the device ran in this process (an emulator URI): the host's CPU time then includes
     *                        the emulated physics, an upper bound of the host's share
     */
    static Map<String, Object> of(Settings s, Probe before, Probe after, long inferences, int shotsPerInference,
                                  PhysicsKind kind, int features, int classes, boolean inProcessDevice) {
        double watts = s.pi().wattsPerCore();
        double link = (after.bytes() - before.bytes()) * 8 * LinkEnergy.SPI_3V3.joulesPerBit(s.spiClockHz())
                / inferences;
        double host = (after.cpuNanos() - before.cpuNanos()) * 1e-9 * watts / inferences;
        boolean measured = Double.isFinite(before.slotMicrojoules()) && Double.isFinite(after.slotMicrojoules())
                && after.slotMicrojoules() >= before.slotMicrojoules();
        EnergyProfile model = EnergyProfile.of(kind, s.profile());
        double device = measured ? (after.slotMicrojoules() - before.slotMicrojoules()) * 1e-6 / inferences
                : shotsPerInference * model.shotJoules();
        double total = device + link + host;

        DigitalBaseline mlpBaseline = new DigitalBaseline(s.digitalHidden(), 1, 0.01, 0, 1, 0); // shape only
        DigitalCost mlp = DigitalCost.measure(mlpBaseline.name(), DigitalCost.widths(mlpBaseline, features, classes),
                0.05);
        DigitalCost lr = DigitalCost.measure(DigitalBaseline.logisticRegression(1).name(),
                DigitalCost.widths(DigitalBaseline.logisticRegression(1), features, classes), 0.05);
        double digital = mlp.joules(watts);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", device);
        m.put("device_source", measured ? "measured" : "modelled");
        if (!measured) {
            m.put("device_profile", model.name());
        }
        m.put("link", link);
        m.put("host", host);
        m.put("total", total);
        m.put("digital", digital);
        m.put("digital_model", mlp.name());
        m.put("ratio", total / digital);
        m.put("shots_per_inference", shotsPerInference);
        m.put("host_model", s.pi().id());
        m.put("host_watts_per_core", watts);
        m.put("spi_clock_hz", s.spiClockHz());
        if (inProcessDevice) {
            m.put("host_includes_emulated_physics", true);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(mlp.name(), digitalEntry(mlp, watts));
        d.put(lr.name(), digitalEntry(lr, watts));
        m.put("digital_baselines", d);
        Map<String, Object> profiles = new LinkedHashMap<>();
        for (String name : EnergyProfile.NAMES) {
            EnergyProfile p = EnergyProfile.of(kind, name);
            double dev = shotsPerInference * p.shotJoules();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("device", dev);
            e.put("total", dev + link + host);
            e.put("ratio", (dev + link + host) / digital);
            e.put("break_even_macs_per_shot", (dev + link + host) / shotsPerInference / mlp.joulesPerMac(watts));
            profiles.put(name, e);
        }
        m.put("modelled_profiles", profiles);
        m.put("break_even_macs_per_shot", total / shotsPerInference / mlp.joulesPerMac(watts));
        return m;
    }

    /** Accuracies of an evaluation run and what its inferences cost. */
    record Run(double[] accuracy, Map<String, Object> energy) {
    }

    /**
     * Evaluates {@code model} on the normalised {@code z}, {@code y} on {@code link} ({@code repeats} passes, as
     * `pnn eval`) and prices the inferences of that run.
     */
    static Run evaluate(DeviceLink link, PnnModel model, double[][] z, int[] y, int repeats, int[][] confusion,
                        Settings s, String uri) {
        Probe before = before(link);
        double[] acc = PnnTrainer.evaluate(model, z, y, new PhysicalLayers.OnDevice(link), repeats, confusion);
        Probe after = after(link);
        return new Run(acc, of(s, before, after, (long) z.length * repeats, model.architecture().shotsPerInference(),
                link.info().kind(), model.architecture().features(), model.labels().size(),
                uri.startsWith("emulator:")));
    }

    private static Map<String, Object> digitalEntry(DigitalCost c, double watts) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("j", c.joules(watts));
        e.put("macs", c.macs());
        e.put("cpu_s", c.cpuSecondsPerInference());
        e.put("j_per_mac", c.joulesPerMac(watts));
        return e;
    }
}
