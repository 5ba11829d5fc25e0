package org.pnnedge.bridge;

import java.util.List;
import java.util.Locale;

/**
 * What one shot of a physical layer costs, by physics and profile: the energy model of physics.md ("Energy per
 * shot"). Two profiles per physics: {@code benchtop}, a device of the paper's kind (femtosecond laser, SLM pulse
 * shaper, spectrometer; or a hand-soldered analog board with an MCU), and {@code integrated}, a projected chip
 * (thin-film lithium niobate SHG; an ASIC-scale analog circuit). Every figure and whether it is cited or assumed is
 * in physics.md; the constants below carry the same names.
 *
 * <pre>
 * E_shot    = E_source + E_modulator + E_detector + P_static · t_shot
 * E_load    = energy of one LOAD_PARAMS (a parameter update), charged to its slot
 * E_request = P_static · t_request   (firmware overhead of any request, charged to no slot)
 * </pre>
 *
 * @param shotSeconds     t_shot, the device time of one shot
 * @param sourceJoules    light source (wall plug) or waveform drive, per shot
 * @param modulatorJoules pulse shaper / DAC conversions, per shot
 * @param detectorJoules  spectrometer / ADC conversions, per shot
 * @param staticWatts     P_static: controller and board power while the device works
 * @param loadJoules      E_load
 */
public record EnergyProfile(PhysicsKind kind, String name, double shotSeconds, double sourceJoules,
                            double modulatorJoules, double detectorJoules, double staticWatts, double loadJoules) {
    /** The profile names every physics knows. */
    public static final List<String> NAMES = List.of("benchtop", "integrated");

    // SHG, bench-top (physics.md, "SHG, bench-top"): the emulated device's 20 ms shot.
    static final double SHG_BENCH_SHOT_S = 20e-3;
    /** Pump laser of the Ti:sapphire oscillator, electrical (5 W green pump at an assumed 5 % wall-plug efficiency). */
    static final double SHG_BENCH_LASER_W = 100.0;
    /** LC SLM with its drive electronics (assumption). */
    static final double SHG_BENCH_SLM_W = 10.0;
    /** USB CCD spectrometer (assumption: 5 V, 250 mA class). */
    static final double SHG_BENCH_SPECTROMETER_W = 1.25;
    /** Sequencing microcontroller board (assumption). */
    static final double SHG_BENCH_MCU_W = 0.5;

    // SHG, projected thin-film lithium niobate chip (physics.md, "SHG, integrated"): all assumptions.
    static final double SHG_CHIP_SHOT_S = 100e-9;
    static final double SHG_CHIP_SOURCE_J = 10e-12;
    static final double SHG_CHIP_MODULATOR_J = 48 * 10e-12;
    static final double SHG_CHIP_DETECTOR_J = 16 * 10e-12;
    static final double SHG_CHIP_STATIC_W = 10e-3;

    // Circuit, bench-top board of physics.md's schematic: 280 µs shot.
    static final double CIRCUIT_BENCH_SHOT_S = 280e-6;
    /** MCP4922 I_DD 250 µA typical at 3 V (datasheet DS22250A), at AVDD 3.3 V. */
    static final double CIRCUIT_BENCH_DAC_W = 3.3 * 250e-6;
    /** MCP6021-class buffer, 1 mA quiescent at 3.3 V (assumption). */
    static final double CIRCUIT_BENCH_OPAMP_W = 3.3 * 1e-3;
    /** ADS7042-class ADC: 16 conversions at an assumed 1 nJ each. */
    static final double CIRCUIT_BENCH_ADC_J = 16 * 1e-9;
    /** Mean dissipation of the R-L-C-diode network while driven (< 5 mW, physics.md); assumed 2 mW over 160 µs. */
    static final double CIRCUIT_BENCH_DRIVE_J = 2e-3 * 160e-6;
    /** Cortex-M class microcontroller running the sequence (assumption: 10 mA at 3.3 V). */
    static final double CIRCUIT_BENCH_MCU_W = 3.3 * 10e-3;

    // Circuit, projected ASIC (physics.md, "Circuit, integrated"): all assumptions.
    static final double CIRCUIT_ASIC_SHOT_S = 10e-6;
    static final double CIRCUIT_ASIC_DRIVE_J = 100e-6 * 10e-6;
    static final double CIRCUIT_ASIC_DAC_J = 32 * 1e-12;
    static final double CIRCUIT_ASIC_ADC_J = 16 * 10e-12;
    static final double CIRCUIT_ASIC_STATIC_W = 100e-6;

    public EnergyProfile {
        if (!(shotSeconds > 0) || sourceJoules < 0 || modulatorJoules < 0 || detectorJoules < 0 || staticWatts < 0
                || loadJoules < 0) {
            throw new IllegalArgumentException("energy profile " + name + ": figures must be >= 0, shot time > 0");
        }
    }

    /** P_static · t_shot. */
    public double staticJoules() {
        return staticWatts * shotSeconds;
    }

    /** E_shot. */
    public double shotJoules() {
        return sourceJoules + modulatorJoules + detectorJoules + staticJoules();
    }

    /** E_request for a request that keeps the firmware busy {@code seconds}. */
    public double requestJoules(double seconds) {
        return staticWatts * seconds;
    }

    /**
     * The profile {@code name} (case-insensitive) of {@code kind}.
     *
     * @throws IllegalArgumentException naming the known profiles when {@code name} is not one of them
     */
    public static EnergyProfile of(PhysicsKind kind, String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case SHG -> switch (n) {
                case "benchtop" -> new EnergyProfile(kind, n, SHG_BENCH_SHOT_S, SHG_BENCH_LASER_W * SHG_BENCH_SHOT_S,
                        SHG_BENCH_SLM_W * SHG_BENCH_SHOT_S, SHG_BENCH_SPECTROMETER_W * SHG_BENCH_SHOT_S,
                        SHG_BENCH_MCU_W, 0); // the SLM rewrites its whole frame every shot: a load costs nothing extra
                case "integrated" -> new EnergyProfile(kind, n, SHG_CHIP_SHOT_S, SHG_CHIP_SOURCE_J,
                        SHG_CHIP_MODULATOR_J, SHG_CHIP_DETECTOR_J, SHG_CHIP_STATIC_W, 0);
                default -> throw unknown(n);
            };
            case CIRCUIT -> switch (n) {
                case "benchtop" -> new EnergyProfile(kind, n, CIRCUIT_BENCH_SHOT_S, CIRCUIT_BENCH_DRIVE_J,
                        (CIRCUIT_BENCH_DAC_W + CIRCUIT_BENCH_OPAMP_W) * CIRCUIT_BENCH_SHOT_S, CIRCUIT_BENCH_ADC_J,
                        CIRCUIT_BENCH_MCU_W, CIRCUIT_BENCH_MCU_W * 50e-6); // 16 parameters into RAM: ~50 µs of MCU
                case "integrated" -> new EnergyProfile(kind, n, CIRCUIT_ASIC_SHOT_S, CIRCUIT_ASIC_DRIVE_J,
                        CIRCUIT_ASIC_DAC_J, CIRCUIT_ASIC_ADC_J, CIRCUIT_ASIC_STATIC_W, 0);
                default -> throw unknown(n);
            };
        };
    }

    /** Checks a profile name without a physics (configuration): the names are the same for every physics. */
    public static String requireKnown(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw unknown(n);
        }
        return n;
    }

    private static IllegalArgumentException unknown(String n) {
        return new IllegalArgumentException("unknown energy profile '" + n + "' (known: " + String.join(", ", NAMES)
                + ")");
    }
}
