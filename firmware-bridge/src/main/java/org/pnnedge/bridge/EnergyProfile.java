package org.pnnedge.bridge;

import java.util.List;
import java.util.Locale;

/**
 * What one shot of a physical layer costs, by physics and profile: the energy model of physics.md ("Energy per
 * shot"). Two profiles per physics: {@code benchtop}, a device of the paper's kind (femtosecond laser, SLM pulse
 * shaper, spectrometer; or a hand-soldered analog board with an MCU), and {@code integrated}, a projected chip
 * (thin-film lithium niobate SHG; an ASIC-scale analog circuit). Every figure's source, or "assumed, no source
 * found" with the reason, is in physics.md's "Sources" table; each constant below names its source in short.
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

    // SHG, bench-top (physics.md, "SHG, bench-top"; every figure's source is in its "Sources" table).
    // source: the emulator's shot (physics.md §6: one 60 Hz SLM frame + 2.5 ms integration + readout).
    static final double SHG_BENCH_SHOT_S = 20e-3;
    /**
     * Green pump of the Ti:sapphire oscillator at the wall: 5 W of light / 5 % wall-plug efficiency.
     * source: 5 W pump for ≈ 500 mW, Optics Express 12(7) 1409 (2004); the 5 % is assumed, no source found.
     */
    static final double SHG_BENCH_PUMP_OPTICAL_W = 5.0;
    static final double SHG_BENCH_PUMP_WALL_PLUG_EFFICIENCY = 0.05;
    static final double SHG_BENCH_LASER_W = SHG_BENCH_PUMP_OPTICAL_W / SHG_BENCH_PUMP_WALL_PLUG_EFFICIENCY;
    /** LC SLM with its drive electronics. source: none found (assumed; physics.md says why). */
    static final double SHG_BENCH_SLM_W = 10.0;
    /**
     * USB CCD spectrometer, bus-powered: at most 500 mA × 5 V.
     * source: USB4000 Data Sheet 211-00000-000-05-201604 p. 1 ("operates from the +5V power, provided through the
     * USB"); USB 2.0 allows a device "up to a maximum of 500mA" (cablesupply.com, "USB Power Specifications").
     */
    static final double SHG_BENCH_SPECTROMETER_W = 5.0 * 0.5;
    /**
     * Sequencing board, a Teensy 4.1 at 600 MHz: about 100 mA from the 5 V USB supply.
     * source: circuitpython.org/board/teensy41, "Power Consumption &amp; Management" (≈ 100 mA at 600 MHz).
     */
    static final double SEQUENCER_W = 5.0 * 100e-3;

    // SHG, projected thin-film lithium niobate chip (physics.md, "SHG, integrated").
    // source: none found, a projection (every figure assumed; physics.md gives the reasoning).
    static final double SHG_CHIP_SHOT_S = 100e-9;
    static final double SHG_CHIP_SOURCE_J = 10e-12;
    static final double SHG_CHIP_MODULATOR_J = 48 * 10e-12;
    static final double SHG_CHIP_DETECTOR_J = 16 * 10e-12;
    static final double SHG_CHIP_STATIC_W = 10e-3;

    // Circuit, bench-top board of physics.md's schematic: 280 µs shot (the emulator's circuit timing).
    static final double CIRCUIT_BENCH_SHOT_S = 280e-6;
    /** MCP4922 I_DD 250 µA typical at 3 V, at AVDD 3.3 V. source: Microchip DS22250A, Electrical Characteristics. */
    static final double CIRCUIT_BENCH_DAC_W = 3.3 * 250e-6;
    /** MCP6021 buffer, 1 mA typical at 3.3 V. source: Microchip DS21685, Features ("Low Supply Current: 1 mA"). */
    static final double CIRCUIT_BENCH_OPAMP_W = 3.3 * 1e-3;
    /**
     * ADS7042 ADC: 16 conversions at 0.709 nJ each (709 nW measured at 1 ksps, AVDD 3.3 V).
     * source: TI SBAA253B, "Low-power sensor measurements: 3.3-V, 1-ksps, 12-bit single-ended, single-supply
     * circuit", specification table, "AVDD Supply Power (1ksps)" measured 709 nW.
     */
    static final double CIRCUIT_BENCH_ADC_J = 16 * 709e-9 / 1e3;
    /** R-L-C-diode network while driven: 2 mW over 160 µs. source: none found (assumed, < 5 mW per physics.md). */
    static final double CIRCUIT_BENCH_DRIVE_J = 2e-3 * 160e-6;
    /** Sequencing board: the same Teensy 4.1 as the SHG rig (see SEQUENCER_W). */
    static final double CIRCUIT_BENCH_MCU_W = SEQUENCER_W;
    /** A parameter load (16 codes into RAM) keeps the board busy about 50 µs. source: none found (assumed). */
    static final double CIRCUIT_BENCH_LOAD_S = 50e-6;

    // Circuit, projected ASIC (physics.md, "Circuit, integrated").
    // source: none found, a projection (every figure assumed; physics.md gives the reasoning).
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
                        SEQUENCER_W, 0); // the SLM rewrites its whole frame every shot: a load costs nothing extra
                case "integrated" -> new EnergyProfile(kind, n, SHG_CHIP_SHOT_S, SHG_CHIP_SOURCE_J,
                        SHG_CHIP_MODULATOR_J, SHG_CHIP_DETECTOR_J, SHG_CHIP_STATIC_W, 0);
                default -> throw unknown(n);
            };
            case CIRCUIT -> switch (n) {
                case "benchtop" -> new EnergyProfile(kind, n, CIRCUIT_BENCH_SHOT_S, CIRCUIT_BENCH_DRIVE_J,
                        (CIRCUIT_BENCH_DAC_W + CIRCUIT_BENCH_OPAMP_W) * CIRCUIT_BENCH_SHOT_S, CIRCUIT_BENCH_ADC_J,
                        CIRCUIT_BENCH_MCU_W, CIRCUIT_BENCH_MCU_W * CIRCUIT_BENCH_LOAD_S);
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
