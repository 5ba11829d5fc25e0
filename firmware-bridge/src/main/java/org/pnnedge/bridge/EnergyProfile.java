package org.pnnedge.bridge;

import java.util.List;
import java.util.Locale;

/**
 * What one shot of a physical layer costs, by physics and profile: the energy model of physics.md ("Energy per
 * shot"). Two profiles per physics: {@code benchtop}, a device of the paper's kind (femtosecond laser, SLM pulse
 * shaper, spectrometer; or a hand-soldered analog board with an MCU), and {@code integrated}, a projected chip
 * (thin-film lithium niobate SHG; an ASIC-scale analog circuit). Every figure's source or derivation, or "assumed, no
 * source found" with the reason, is in physics.md's "Sources" table; each constant below names its source in short.
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
     * Green pump of the Ti:sapphire oscillator at the wall: 5 W of light / its wall-plug efficiency.
     * source: 5 W pump for ≈ 500 mW, Optics Express 12(7) 1409 (2004) [S1]. The efficiency is derived (physics.md,
     * "SHG, bench-top"): ≈ 25 % electrical-to-optical for diode-pumped lasers counted at the diodes [S2] × 11 W of
     * 532 nm from 33 W of 1064 nm by SHG [S13] = 8.3 %, an upper bound (supply and cooling not counted).
     */
    static final double SHG_BENCH_PUMP_OPTICAL_W = 5.0;
    static final double SHG_BENCH_PUMP_WALL_PLUG_EFFICIENCY = 0.25 * (11.0 / 33.0);
    static final double SHG_BENCH_LASER_W = SHG_BENCH_PUMP_OPTICAL_W / SHG_BENCH_PUMP_WALL_PLUG_EFFICIENCY;
    /**
     * LC SLM with its drive electronics. source: none found in two searches (assumed; physics.md, "The SLM's power",
     * lists what was searched and bounds the effect: no conclusion changes for any value ≥ 0).
     */
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

    // SHG, projected thin-film lithium niobate chip (physics.md, "SHG, integrated"). A projection: the shot time,
    // source, DACs and control are assumed, no source found; the modulator and ADC figures are cited.
    static final double SHG_CHIP_SHOT_S = 100e-9;
    static final double SHG_CHIP_SOURCE_J = 10e-12;
    /** Lithium niobate photonic-crystal modulator: 22 fJ bit-switching energy [S15]. */
    static final double TFLN_MODULATOR_SWITCH_J = 22e-15;
    /** The DAC that sets one modulator's level, per update: assumed, no source found. */
    static final double SHG_CHIP_DAC_J = 10e-12;
    static final double SHG_CHIP_MODULATOR_J = 48 * (TFLN_MODULATOR_SWITCH_J + SHG_CHIP_DAC_J);
    /**
     * One 10-bit conversion at 10 MS/s (one per detector per 100 ns shot): 9.8 pJ, 98 µW / 10 MS/s, Liu et al.,
     * VLSI 2010 paper 23.3, as tabulated in Murmann's ADC Performance Survey [S14].
     */
    static final double SAR_ADC_10B_10MSPS_J = 98e-6 / 10e6;
    static final double SHG_CHIP_DETECTOR_J = 16 * SAR_ADC_10B_10MSPS_J;
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
    /**
     * Power the DAC delivers into the R-L-C-diode network, bounded by its full-scale DC operating point: VREF 2.5 V
     * into R1 + DCR = 1525 Ω with the node at 1.5672 V (v/Rb + i_D(v) = (VREF − v)/(R1 + DCR), 1N4148 model).
     * source: derived from the schematic's documented values (physics.md, "Circuit, bench-top").
     */
    static final double CIRCUIT_BENCH_DRIVE_W = 2.5 * (2.5 - 1.5672) / 1525.0;
    /** The waveform's 32 segments of 5 µs. */
    static final double CIRCUIT_BENCH_DRIVE_S = 160e-6;
    static final double CIRCUIT_BENCH_DRIVE_J = CIRCUIT_BENCH_DRIVE_W * CIRCUIT_BENCH_DRIVE_S;
    /** Sequencing board: the same Teensy 4.1 as the SHG rig (see SEQUENCER_W). */
    static final double CIRCUIT_BENCH_MCU_W = SEQUENCER_W;
    /**
     * A parameter load keeps the board busy while its frames cross the link: LOAD_PARAMS of 16 codes is 14 + 3 + 32
     * = 49 bytes, its answer 14, at the default 10 MHz SCLK: 63 × 8 bit / 10 MHz = 50.4 µs (storing 16 codes at
     * 600 MHz is negligible). source: derived from protocol.md's frame layout (physics.md, "Circuit, bench-top").
     */
    static final double CIRCUIT_BENCH_LOAD_S = (14 + 3 + 2 * 16 + 14) * 8 / 10e6;

    // Circuit, projected ASIC (physics.md, "Circuit, integrated"). A projection: the shot time, drive, DAC and
    // control are assumed, no source found; the ADC figure is cited.
    static final double CIRCUIT_ASIC_SHOT_S = 10e-6;
    static final double CIRCUIT_ASIC_DRIVE_J = 100e-6 * 10e-6;
    static final double CIRCUIT_ASIC_DAC_J = 32 * 1e-12;
    /**
     * One 13-bit conversion at 2 MS/s (16 per 10 µs shot = 1.6 MS/s): 7.55 pJ, 15.1 µW / 2 MS/s, Lee et al.,
     * ISSCC 2024 paper 9.9, as tabulated in Murmann's ADC Performance Survey [S14].
     */
    static final double SAR_ADC_13B_2MSPS_J = 15.1e-6 / 2e6;
    static final double CIRCUIT_ASIC_ADC_J = 16 * SAR_ADC_13B_2MSPS_J;
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
