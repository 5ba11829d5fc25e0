package org.pnnedge.bridge.emulator.physics.shg;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The as-built parameters of one emulated SHG device: nominal datasheet values, optionally perturbed by
 * manufacturing mismatch drawn deterministically from a seed. Immutable after construction (arrays are
 * never handed out). Units and sources of every value are in {@code src/site/markdown/physics.md}.
 *
 * <p>Coordinates: SLM bins {@code b = 0..47} are equally spaced in optical frequency (the 4f shaper maps
 * frequency approximately linearly onto the mask); second-harmonic (SH) bins {@code s = i + j = 0..94}
 * are the sum-frequency grid of the autoconvolution, with the same frequency pitch.
 */
final class ShgDevice {
    /** Number of SLM spectral bins (inputs + params). */
    static final int BINS = 48;
    /** Number of SH sum-frequency bins of the autoconvolution. */
    static final int SH_BINS = 2 * BINS - 1;
    /** Centre of the SLM window in bin units (800 nm). */
    static final double CENTRE_BIN = (BINS - 1) / 2.0;
    /** Centre of the SH grid (400 nm). */
    static final double SH_CENTRE = 2 * CENTRE_BIN;
    /** Frequency pitch of one SLM bin, THz (1.25 nm at 800 nm). */
    static final double BIN_THZ = 0.5856;

    // ---- nominal (datasheet) values -----------------------------------------------------------------
    static final double NOM_LASER_FWHM_BINS = 36.0;   // intensity FWHM ≈ 21 THz ≈ 45 nm at 800 nm
    static final double NOM_GAMMA = 0.70;             // retardance ∝ code^γ of the uncalibrated LC mask
    static final double NOM_STROKE = 1.0;             // retardance at code 4095, in units of π
    static final double NOM_LEAKAGE = 1.0 / 500;      // polariser extinction ratio 500:1 (intensity)
    static final double NOM_CROSSTALK = 0.08;         // field fraction taken from each neighbour
    static final double NOM_AP_COUPLING = 0.25;       // residual amplitude-to-phase coupling of the mask
    static final double NOM_GDD_RAD = 1.0;            // quadratic phase at the window edge (≈ 270 fs²)
    static final double NOM_TOD_RAD = 0.5;            // cubic phase at the window edge (≈ 4600 fs³)
    static final double NOM_PM_WIDTH = 44.0;          // SH bins to first sinc zero (≈ 0.2 mm BBO equivalent)
    static final double PM_TEMP_COEFF = -0.19;        // SH bins per K (dλ_F/dT ≈ 0.12 nm/K, red-shifts)
    static final double LC_TEMP_COEFF = -0.002;       // relative LC birefringence change per K
    static final double NOM_CHANNEL_WIDTH = 2.5;      // SH bins per spectrometer channel (0.78 nm)
    static final double NOM_PEDESTAL = 1000.0;        // ADC bias offset, counts
    static final double NOM_DARK_25C = 20.0;          // dark signal at 25 °C for one integration, counts
    static final double DARK_DOUBLING_K = 7.0;        // dark current doubles every 7 K
    static final double NOM_NONLINEARITY = 0.03;      // detector compression at full scale (3 %)
    static final double READ_NOISE_COUNTS = 12.0;     // rms, per binned channel
    static final double ELECTRONS_PER_COUNT = 2.0;    // conversion gain (full scale ≈ 131 ke⁻)
    static final double LASER_RIN = 0.007;            // shot-to-shot relative power fluctuation, rms
    static final double DRIFT_SIGMA = 0.02;           // stationary rms of the slow relative power drift
    static final double DRIFT_TAU_S = 300.0;          // correlation time of the power drift
    static final double NOM_LASER_POWER_MW = 1000.0;  // average output of the Ti:sapphire oscillator
    static final double REFERENCE_TEMP_C = 25.0;

    // ---- configuration flags (the ideal device switches realism off) ---------------------------------
    final boolean linearSlm;

    // ---- SLM and pulse (per SLM bin) ----------------------------------------------------------------
    /** Complex spectral field before the mask: laser envelope × ripple × exp(i φ_static). */
    final double[] fieldRe = new double[BINS];
    final double[] fieldIm = new double[BINS];
    final double[] gamma = new double[BINS];
    final double[] stroke = new double[BINS];
    final double[] retOffset = new double[BINS];
    final double leakage;
    /** Fraction of the left / right neighbour's transmitted field seen by each bin. */
    final double[] kLeft = new double[BINS];
    final double[] kRight = new double[BINS];
    final double apCoupling;

    // ---- crystal ------------------------------------------------------------------------------------
    final double pmCentre;
    final double pmWidth;

    // ---- spectrometer (per output channel) ----------------------------------------------------------
    final double[] edges;
    final double[] detGain;
    final double[] pedestal;
    final double[] dark25;
    final double nonlinearity;
    final double readNoise;
    final double electronsPerCount;

    // ---- source and housekeeping --------------------------------------------------------------------
    final double efficiency;
    final double laserPowerMw;
    final double laserRin;
    final double tempSensorOffset;

    private ShgDevice(boolean linearSlm, double leakage, double apCoupling, double pmCentre, double pmWidth,
                      double[] edges, double[] detGain, double[] pedestal, double[] dark25, double nonlinearity,
                      double readNoise, double efficiency, double laserPowerMw, double laserRin,
                      double tempSensorOffset) {
        this.linearSlm = linearSlm;
        this.leakage = leakage;
        this.apCoupling = apCoupling;
        this.pmCentre = pmCentre;
        this.pmWidth = pmWidth;
        this.edges = edges;
        this.detGain = detGain;
        this.pedestal = pedestal;
        this.dark25 = dark25;
        this.nonlinearity = nonlinearity;
        this.readNoise = readNoise;
        this.electronsPerCount = ELECTRONS_PER_COUNT;
        this.efficiency = efficiency;
        this.laserPowerMw = laserPowerMw;
        this.laserRin = laserRin;
        this.tempSensorOffset = tempSensorOffset;
    }

    /** The datasheet device: every unit built exactly to the nominal values. */
    static ShgDevice nominal(int outputs) {
        ShgDevice d = new ShgDevice(false, NOM_LEAKAGE, NOM_AP_COUPLING, SH_CENTRE, NOM_PM_WIDTH,
                nominalEdges(outputs, 0, 0, null), filled(outputs, 1), filled(outputs, NOM_PEDESTAL),
                filled(outputs, NOM_DARK_25C), NOM_NONLINEARITY, READ_NOISE_COUNTS, 1.0, NOM_LASER_POWER_MW,
                LASER_RIN, 0.0);
        for (int b = 0; b < BINS; b++) {
            d.setField(b, envelope(b, 0, NOM_LASER_FWHM_BINS), staticPhase(b, NOM_GDD_RAD, NOM_TOD_RAD));
            d.gamma[b] = NOM_GAMMA;
            d.stroke[b] = NOM_STROKE;
            d.kLeft[b] = b > 0 ? NOM_CROSSTALK : 0;
            d.kRight[b] = b < BINS - 1 ? NOM_CROSSTALK : 0;
        }
        return d;
    }

    /**
     * The textbook device for the scaling test: linear amplitude mask, no leakage, crosstalk, phase
     * coupling, dark signal, offset or detector nonlinearity. SH is then exactly quartic in a common
     * amplitude. Laser envelope, spectral phase and phase matching are kept (they are multiplicative).
     */
    static ShgDevice ideal(int outputs) {
        ShgDevice d = new ShgDevice(true, 0, 0, SH_CENTRE, NOM_PM_WIDTH, nominalEdges(outputs, 0, 0, null),
                filled(outputs, 1), filled(outputs, 0), filled(outputs, 0), 0, READ_NOISE_COUNTS, 1.0,
                NOM_LASER_POWER_MW, LASER_RIN, 0.0);
        for (int b = 0; b < BINS; b++) {
            d.setField(b, envelope(b, 0, NOM_LASER_FWHM_BINS), staticPhase(b, NOM_GDD_RAD, NOM_TOD_RAD));
            d.gamma[b] = 1;
            d.stroke[b] = 1;
        }
        return d;
    }

    /**
     * One unit off the production line. Draw order is fixed, so a seed always builds the same device.
     * Gaussian draws are truncated at ±3σ so no unit is absurd.
     */
    static ShgDevice withMismatch(int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5D6A_11C3_9E37_79B9L);
        // Global (per-unit) quantities first.
        double laserCentre = g(r, 1.0);                       // bins; oscillator centre wavelength ±1.25 nm
        double laserFwhm = NOM_LASER_FWHM_BINS * (1 + g(r, 0.05));
        double gdd = NOM_GDD_RAD + g(r, 0.4);
        double tod = NOM_TOD_RAD + g(r, 0.3);
        double gammaUnit = NOM_GAMMA + g(r, 0.05);
        double strokeUnit = NOM_STROKE * (1 + g(r, 0.03));
        double offsetUnit = g(r, 0.03);
        double leakage = NOM_LEAKAGE * Math.exp(g(r, 0.4));  // extinction ≈ 300:1 … 800:1
        double xtalk = NOM_CROSSTALK + g(r, 0.02);
        double xtalkAsym = g(r, 0.015);
        double apCoupling = NOM_AP_COUPLING + g(r, 0.08);
        double pmCentre = SH_CENTRE + g(r, 1.5);
        double pmWidth = NOM_PM_WIDTH * (1 + g(r, 0.08));
        double edgeShift = g(r, 0.3);
        double channelWidth = NOM_CHANNEL_WIDTH * (1 + g(r, 0.01));
        double nonlinearity = Math.max(0, NOM_NONLINEARITY + g(r, 0.01));
        double efficiency = 1 + g(r, 0.05);
        double laserPower = NOM_LASER_POWER_MW * (1 + g(r, 0.03));
        double tempOffset = g(r, 0.2);

        double[] edges = nominalEdges(outputs, edgeShift, channelWidth - NOM_CHANNEL_WIDTH, r);
        double[] detGain = new double[outputs];
        double[] pedestal = new double[outputs];
        double[] dark = new double[outputs];
        for (int m = 0; m < outputs; m++) {
            detGain[m] = 1 + g(r, 0.03);                      // PRNU + grating efficiency
            pedestal[m] = NOM_PEDESTAL + g(r, 40);
            dark[m] = NOM_DARK_25C * Math.exp(g(r, 0.25));
        }
        ShgDevice d = new ShgDevice(false, leakage, apCoupling, pmCentre, pmWidth, edges, detGain, pedestal,
                dark, nonlinearity, READ_NOISE_COUNTS, efficiency, laserPower, LASER_RIN, tempOffset);
        for (int b = 0; b < BINS; b++) {
            double amp = envelope(b, laserCentre, laserFwhm) * (1 + g(r, 0.03));   // ripple
            double phase = staticPhase(b, gdd, tod) + g(r, 0.08);               // pixel flatness
            d.setField(b, amp, phase);
            d.gamma[b] = gammaUnit + g(r, 0.015);
            d.stroke[b] = strokeUnit * (1 + g(r, 0.01));
            d.retOffset[b] = offsetUnit + g(r, 0.03);
            double kb = 1 + g(r, 0.10);
            d.kLeft[b] = b > 0 ? Math.max(0, (xtalk + xtalkAsym) * kb) : 0;
            d.kRight[b] = b < BINS - 1 ? Math.max(0, (xtalk - xtalkAsym) * kb) : 0;
        }
        return d;
    }

    private void setField(int b, double amplitude, double phase) {
        fieldRe[b] = amplitude * Math.cos(phase);
        fieldIm[b] = amplitude * Math.sin(phase);
    }

    /** Field amplitude of a Gaussian intensity spectrum with the given FWHM (bins), centred near 800 nm. */
    static double envelope(int b, double centreOffset, double fwhmBins) {
        double dx = (b - CENTRE_BIN - centreOffset) / fwhmBins;
        return Math.exp(-2 * Math.log(2) * dx * dx);
    }

    /** Residual spectral phase: quadratic (GDD) + cubic (TOD), given as phase at the window edge. */
    static double staticPhase(int b, double quadRad, double cubicRad) {
        double x = (b - CENTRE_BIN) / CENTRE_BIN;
        return quadRad * x * x + cubicRad * x * x * x;
    }

    /** Spectrometer bin edges in SH-bin coordinates, centred on the SH centre, optionally jittered. */
    private static double[] nominalEdges(int outputs, double shift, double widthDelta, SplittableRandom jitter) {
        double w = NOM_CHANNEL_WIDTH + widthDelta;
        double[] e = new double[outputs + 1];
        for (int m = 0; m <= outputs; m++) {
            e[m] = SH_CENTRE + shift + (m - outputs / 2.0) * w;
            if (jitter != null) {
                e[m] += g(jitter, 0.08);
            }
        }
        return e;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Truncated Gaussian with the given sigma. */
    private static double g(SplittableRandom r, double sigma) {
        double z = r.nextGaussian();
        return sigma * Math.max(-3, Math.min(3, z));
    }
}
