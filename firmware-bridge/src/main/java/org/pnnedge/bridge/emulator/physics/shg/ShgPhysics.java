package org.pnnedge.bridge.emulator.physics.shg;

// About 400 lines: one shot's pipeline in one place, each step next to its equation (physics.md).

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ObjDoubleConsumer;
import java.util.random.RandomGenerator;

import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.SelfTestCheck;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.emulator.physics.PhysicsSpec;
import org.pnnedge.bridge.emulator.physics.PhysicsState;

/**
 * Optical second-harmonic-generation PNN (after Wright, Onodera et al., Nature 601, 549 (2022)): a
 * liquid-crystal amplitude mask in a 4f pulse shaper sets the spectral amplitudes of 48 bins of a
 * femtosecond Ti:sapphire pulse, a thin χ(2) crystal produces the second harmonic (the autoconvolution
 * of the shaped spectral field, weighted by a phase-matching sinc), and a spectrometer bins the SH
 * spectrum into 16 channels read by a 16-bit ADC.
 *
 * <p>Pipeline of one shot (equations and parameter sources in {@code physics.md}):
 * <ol>
 *   <li>code → LC retardance Γ = π·stroke·u^γ + Γ₀ → amplitude t = √(ε + (1−ε) sin²(Γ/2)), with a
 *       residual phase κ_ap·Γ/2 (amplitude-to-phase coupling);</li>
 *   <li>fringing-field / focal-spot crosstalk mixes each bin's complex transmission with its neighbours;</li>
 *   <li>times the laser spectral field (Gaussian envelope, ripple, GDD/TOD + pixel phase errors);</li>
 *   <li>E_SH(s) = Σ_{i+j=s} E_i E_j, I(s) = |E_SH(s)|²·sinc²(π(s − s_c(T))/W);</li>
 *   <li>spectrometer channels integrate I(s) over jittered bin edges, per-channel gain, laser power²,
 *       detector compression, pedestal, temperature-dependent dark signal, shot/read noise, rounding
 *       and clipping to [0, 65535].</li>
 * </ol>
 *
 * <p>Channel layout (interleaved, so every output sees input×input, input×param and param×param
 * products): SLM bin {@code 3k} = param {@code 2k}, {@code 3k+1} = input {@code k}, {@code 3k+2} =
 * param {@code 2k+1}, for {@code k = 0..15}.
 *
 * <p>Not thread-safe (work arrays and drift state are per instance); the emulated firmware serialises
 * calls. {@link #shot} allocates nothing.
 *
 * <p>Over 400 lines (and {@code opticalSignal} over 60) on purpose: one model's equations stay in one class, in the
 * order physics.md derives them, so the two can be checked against each other line by line; the per-shot loop
 * stays one method because it must not allocate and its outputs are pinned bit for bit.
 */
public final class ShgPhysics implements Physics {
    public static final int INPUTS = 16;
    public static final int PARAMS = 32;
    public static final int OUTPUTS = 16;
    public static final int DAC_BITS = 12;
    public static final int ADC_BITS = 16;
    /** 16.7 ms SLM frame (60 Hz, LC settles within it) + 2.5 ms integration + 0.8 ms readout ≈ 20 ms. */
    public static final long TYPICAL_SHOT_MICROS = 20_000;

    /** Fraction of ADC full scale the brightest channel of the nominal device reaches at all-2048 codes. */
    static final double NOMINAL_MID_PEAK = 0.50;
    /** Fraction of full scale the brightest channel of the ideal device reaches at all-4095 codes. */
    static final double IDEAL_FULL_PEAK = 0.90;
    /** Self-test limits. */
    static final double DARK_MIN_COUNTS = 500;
    static final double DARK_MAX_COUNTS = 2500;
    static final double SOURCE_TOLERANCE = 0.20;
    /** Monitor photodiode and oven thermistor noise, when noise is on. */
    static final double POWER_SENSOR_NOISE = 0.002;
    static final double TEMP_SENSOR_NOISE_C = 0.02;

    private static final int BINS = ShgDevice.BINS;

    private final PhysicsSpec spec = new PhysicsSpec(PhysicsKind.SHG, INPUTS, PARAMS, OUTPUTS, DAC_BITS,
            ADC_BITS, TYPICAL_SHOT_MICROS);
    private final ShgDevice dev;
    /** Counts per unit of the dimensionless SH integral (includes the unit's conversion efficiency). */
    private final double countsScale;
    private final double fullScale = spec.maxAdcCode();
    private final double invMaxDac = 1.0 / spec.maxDacCode();

    // Layout: for each SLM bin, whether it carries an input and which index.
    private final boolean[] binIsInput = new boolean[BINS];
    private final int[] binIndex = new int[BINS];

    // Spectrometer integration weights, flattened: channel m uses SH bins chFirst[m] .. chFirst[m]+chLen[m]-1.
    private final int[] chFirst = new int[OUTPUTS];
    private final int[] chLen = new int[OUTPUTS];
    private final int[] chOffset = new int[OUTPUTS];
    private final double[] chWeight;
    private final int shLo;
    private final int shHi;

    // Work arrays (preallocated: shot() must not allocate).
    private final double[] maskRe = new double[BINS];
    private final double[] maskIm = new double[BINS];
    private final double[] eRe = new double[BINS];
    private final double[] eIm = new double[BINS];
    private final double[] shIntensity = new double[ShgDevice.SH_BINS];
    private final double[] signal = new double[OUTPUTS];
    private final int[] zeroParams = new int[PARAMS];
    private final int[] zeroInputs = new int[INPUTS];
    private final int[] selfTestOut = new int[OUTPUTS];

    // Slow laser power drift: Ornstein-Uhlenbeck process on the relative power, driven by time deltas.
    private final long driftSeed;
    private RandomGenerator driftRandom;
    private double driftX;
    private double driftTime = Double.NaN;

    /** The device built from {@code seed}; {@code mismatch=false} is the nominal unit (seed only drives drift). */
    public ShgPhysics(long seed, boolean mismatch) {
        this(mismatch ? ShgDevice.withMismatch(OUTPUTS, seed) : ShgDevice.nominal(OUTPUTS), Scales.NOMINAL, seed);
    }

    private ShgPhysics(ShgDevice dev, double scale, long seed) {
        this.dev = dev;
        this.countsScale = scale * dev.efficiency;
        for (int k = 0; k < INPUTS; k++) {
            binIndex[3 * k] = 2 * k;
            binIsInput[3 * k + 1] = true;
            binIndex[3 * k + 1] = k;
            binIndex[3 * k + 2] = 2 * k + 1;
        }
        // Overlap of SH bin s (covering [s-0.5, s+0.5)) with channel m (covering [e_m, e_{m+1})).
        int total = 0;
        int lo = ShgDevice.SH_BINS;
        int hi = -1;
        for (int m = 0; m < OUTPUTS; m++) {
            int first = Math.max(0, (int) Math.floor(dev.edges[m] + 0.5));
            int last = Math.min(ShgDevice.SH_BINS - 1, (int) Math.floor(dev.edges[m + 1] + 0.5));
            chFirst[m] = first;
            chLen[m] = Math.max(0, last - first + 1);
            chOffset[m] = total;
            total += chLen[m];
            lo = Math.min(lo, first);
            hi = Math.max(hi, last);
        }
        chWeight = new double[total];
        for (int m = 0; m < OUTPUTS; m++) {
            for (int j = 0; j < chLen[m]; j++) {
                int s = chFirst[m] + j;
                double a = Math.max(s - 0.5, dev.edges[m]);
                double b = Math.min(s + 0.5, dev.edges[m + 1]);
                chWeight[chOffset[m] + j] = Math.max(0, b - a);
            }
        }
        shLo = lo;
        shHi = hi;
        driftSeed = seed ^ 0x2545_F491_4F6C_DD1DL;
        driftRandom = new SplittableRandom(driftSeed);
        // Start the drift in its stationary distribution: the laser has been on for a while.
        driftX = ShgDevice.DRIFT_SIGMA * driftRandom.nextGaussian();
    }

    @Override
    public void startSession(long session) {
        driftRandom = new SplittableRandom(Physics.sessionSeed(driftSeed, session));
        driftX = ShgDevice.DRIFT_SIGMA * driftRandom.nextGaussian();
        driftTime = Double.NaN;
    }

    /**
     * The textbook device: linear amplitude mask, no crosstalk, leakage, phase coupling, pedestal, dark
     * signal or detector compression. With noise and drift off, outputs scale exactly with the 4th power of
     * a common code (up to rounding). Scaled so all-4095 codes put the brightest channel at 90 % of full scale.
     */
    public static ShgPhysics ideal() {
        return new ShgPhysics(ShgDevice.ideal(OUTPUTS), Scales.IDEAL, 0);
    }

    @Override
    public PhysicsSpec spec() {
        return spec;
    }

    @Override
    public void shot(int[] paramCodes, int[] inputCodes, int[] outCodes, PhysicsState state) {
        advanceDrift(state.timeSeconds());
        boolean drift = state.drift();
        double temp = drift ? state.deviceTemperatureC() : ShgDevice.REFERENCE_TEMP_C;
        double power = drift ? 1 + driftX : 1;
        boolean noise = state.noise();
        RandomGenerator rnd = noise ? state.noiseRandom() : null;
        if (noise) {
            // Shot-to-shot laser intensity noise: common to all channels of this shot.
            power *= 1 + dev.laserRin * rnd.nextGaussian();
        }
        opticalSignal(paramCodes, inputCodes, temp, power, signal);
        double darkFactor = darkFactor(temp);
        for (int m = 0; m < OUTPUTS; m++) {
            double dark = dev.dark25[m] * darkFactor;
            double v = dev.pedestal[m] + dark + signal[m];
            if (noise) {
                // Shot noise of photo- and dark electrons plus read noise, in counts (one combined Gaussian).
                double var = dev.readNoise * dev.readNoise + (signal[m] + dark) / dev.electronsPerCount;
                v += Math.sqrt(var) * rnd.nextGaussian();
            }
            outCodes[m] = clampAdc(v);
        }
    }

    /**
     * Noise-free optical signal per channel in ADC counts above pedestal and dark (after detector
     * compression), for a given crystal/SLM temperature and relative laser power.
     */
    private void opticalSignal(int[] paramCodes, int[] inputCodes, double temp, double power, double[] out) {
        double dT = temp - ShgDevice.REFERENCE_TEMP_C;
        double lcScale = 1 + ShgDevice.LC_TEMP_COEFF * dT;
        // 1. SLM: code -> complex transmission of each bin.
        for (int b = 0; b < BINS; b++) {
            int code = binIsInput[b] ? inputCodes[binIndex[b]] : paramCodes[binIndex[b]];
            double u = code * invMaxDac;
            if (dev.linearSlm) {
                maskRe[b] = u;
                maskIm[b] = 0;
            } else {
                double ret = Math.PI * dev.stroke[b] * lcScale * Math.pow(u, dev.gamma[b]) + dev.retOffset[b];
                double sn = Math.sin(0.5 * ret);
                double t = Math.sqrt(dev.leakage + (1 - dev.leakage) * sn * sn);
                double psi = dev.apCoupling * 0.5 * ret;
                maskRe[b] = t * Math.cos(psi);
                maskIm[b] = t * Math.sin(psi);
            }
        }
        // 2. Crosstalk between neighbouring bins, then 3. multiply by the laser's spectral field.
        for (int b = 0; b < BINS; b++) {
            double kl = dev.kLeft[b];
            double kr = dev.kRight[b];
            double c = 1 - kl - kr;
            double re = c * maskRe[b];
            double im = c * maskIm[b];
            if (b > 0) {
                re += kl * maskRe[b - 1];
                im += kl * maskIm[b - 1];
            }
            if (b < BINS - 1) {
                re += kr * maskRe[b + 1];
                im += kr * maskIm[b + 1];
            }
            double fr = dev.fieldRe[b];
            double fi = dev.fieldIm[b];
            eRe[b] = fr * re - fi * im;
            eIm[b] = fr * im + fi * re;
        }
        // 4. Second harmonic: autoconvolution, only over the SH bins the spectrometer sees.
        double pmCentre = dev.pmCentre + ShgDevice.PM_TEMP_COEFF * dT;
        double pmK = Math.PI / dev.pmWidth;
        for (int s = shLo; s <= shHi; s++) {
            double re = 0;
            double im = 0;
            int iLo = Math.max(0, s - (BINS - 1));
            int iHi = Math.min(BINS - 1, s);
            for (int i = iLo; i <= iHi; i++) {
                int j = s - i;
                re += eRe[i] * eRe[j] - eIm[i] * eIm[j];
                im += eRe[i] * eIm[j] + eIm[i] * eRe[j];
            }
            double x = pmK * (s - pmCentre);
            double sinc = Math.abs(x) < 1e-9 ? 1 : Math.sin(x) / x;
            shIntensity[s] = (re * re + im * im) * sinc * sinc;
        }
        // 5. Spectrometer binning, per-channel gain, SH ∝ P², detector compression near full scale.
        double p2 = power * power;
        for (int m = 0; m < OUTPUTS; m++) {
            double acc = 0;
            int off = chOffset[m];
            int first = chFirst[m];
            for (int j = 0; j < chLen[m]; j++) {
                acc += chWeight[off + j] * shIntensity[first + j];
            }
            double sig = countsScale * dev.detGain[m] * p2 * acc;
            out[m] = sig * (1 - dev.nonlinearity * Math.min(sig, fullScale) / fullScale);
        }
    }

    private int clampAdc(double v) {
        long r = Math.round(v);
        return (int) Math.max(0, Math.min((long) fullScale, r));
    }

    private static double darkFactor(double tempC) {
        return Math.pow(2, (tempC - ShgDevice.REFERENCE_TEMP_C) / ShgDevice.DARK_DOUBLING_K);
    }

    /**
     * Advances the Ornstein-Uhlenbeck power drift to time {@code t} with the exact discretisation
     * x' = a·x + σ·√(1−a²)·N, a = exp(−Δt/τ): one draw from the private drift generator per positive time
     * step, so the path depends only on the seed and the sequence of times. Time running backwards (a new
     * emulated world) just re-anchors the clock.
     */
    private void advanceDrift(double t) {
        if (Double.isNaN(driftTime) || t <= driftTime) {
            driftTime = t;
            return;
        }
        double a = Math.exp(-(t - driftTime) / ShgDevice.DRIFT_TAU_S);
        driftX = a * driftX + ShgDevice.DRIFT_SIGMA * Math.sqrt(1 - a * a) * driftRandom.nextGaussian();
        driftTime = t;
    }

    @Override
    public void readSensors(PhysicsState state, ObjDoubleConsumer<Sensor> sink) {
        sink.accept(Sensor.LASER_POWER, laserPowerMw(state));
        double temp = state.deviceTemperatureC() + dev.tempSensorOffset;
        if (state.noise()) {
            temp += TEMP_SENSOR_NOISE_C * state.noiseRandom().nextGaussian();
        }
        sink.accept(Sensor.CRYSTAL_TEMPERATURE, temp);
    }

    private double laserPowerMw(PhysicsState state) {
        advanceDrift(state.timeSeconds());
        double p = dev.laserPowerMw * (state.drift() ? 1 + driftX : 1);
        if (state.noise()) {
            p *= 1 + POWER_SENSOR_NOISE * state.noiseRandom().nextGaussian();
        }
        return p;
    }

    @Override
    public List<SelfTestCheck> selfTest(PhysicsState state) {
        // Dark frame: all-zero codes leave only polariser leakage (SH ∝ ε², ≈ 10⁻⁵ of full scale).
        shot(zeroParams, zeroInputs, selfTestOut, state);
        double mean = 0;
        for (int v : selfTestOut) {
            mean += v;
        }
        mean /= OUTPUTS;
        boolean darkOk = mean >= DARK_MIN_COUNTS && mean <= DARK_MAX_COUNTS;
        double power = laserPowerMw(state);
        boolean sourceOk = Math.abs(power / ShgDevice.NOM_LASER_POWER_MW - 1) <= SOURCE_TOLERANCE;
        return List.of(new SelfTestCheck(SelfTestCheck.DARK_LEVEL, darkOk, mean),
                new SelfTestCheck(SelfTestCheck.SOURCE_LEVEL, sourceOk, power));
    }

    // ---- layout and configured noise, public for tests and documentation ---------------------------------

    /** SLM bin (0..47, increasing optical frequency) that carries input {@code i}. */
    public static int slmBinOfInput(int i) {
        return 3 * i + 1;
    }

    /** SLM bin (0..47) that carries parameter {@code p}. */
    public static int slmBinOfParam(int p) {
        return 3 * (p / 2) + 2 * (p % 2);
    }

    /** Read noise per channel, ADC counts rms. */
    public double readNoiseCounts() {
        return dev.readNoise;
    }

    /** Conversion gain, electrons per ADC count (shot-noise variance in counts = signal / gain). */
    public double electronsPerCount() {
        return dev.electronsPerCount;
    }

    /** Shot-to-shot relative laser power fluctuation, rms (SH fluctuates twice as much). */
    public double laserRin() {
        return dev.laserRin;
    }

    /** ADC bias offset of a channel, counts. */
    public double pedestalCounts(int channel) {
        return dev.pedestal[channel];
    }

    /** Dark signal of a channel at a device temperature (drift on; with drift off use 25 °C), counts. */
    public double darkCounts(int channel, double temperatureC) {
        return dev.dark25[channel] * darkFactor(temperatureC);
    }

    /** Nominal average laser power of this unit, mW (before drift). */
    public double laserPowerMw() {
        return dev.laserPowerMw;
    }

    /** Current relative laser power drift (P/P_unit − 1); the value applied when drift is on. */
    public double laserDrift() {
        return driftX;
    }

    /**
     * Expected standard deviation of a channel's ADC code for a given noise-free mean code at a temperature
     * (use 25 °C when drift is off): read noise, shot noise of photo- and dark electrons, laser intensity
     * noise (×2 for SH) on the optical part, and ±0.5-count rounding. Neglects clipping.
     */
    public double expectedNoiseStd(int channel, double meanCounts, double temperatureC) {
        double dark = darkCounts(channel, temperatureC);
        double optical = Math.max(0, meanCounts - dev.pedestal[channel] - dark);
        double rin = 2 * dev.laserRin * optical;
        double var = dev.readNoise * dev.readNoise + (optical + dark) / dev.electronsPerCount + rin * rin
                + 1.0 / 12;
        return Math.sqrt(var);
    }

    /** Global scales, computed once from the nominal and ideal devices so that the ranges are as specified. */
    private static final class Scales {
        static final double NOMINAL = scaleFor(ShgDevice.nominal(OUTPUTS), 2048, NOMINAL_MID_PEAK);
        static final double IDEAL = scaleFor(ShgDevice.ideal(OUTPUTS), 4095, IDEAL_FULL_PEAK);

        private static double scaleFor(ShgDevice d, int code, double peakFraction) {
            ShgPhysics p = new ShgPhysics(d, 1.0, 0);
            int[] params = new int[PARAMS];
            int[] inputs = new int[INPUTS];
            Arrays.fill(params, code);
            Arrays.fill(inputs, code);
            double[] out = new double[OUTPUTS];
            p.opticalSignal(params, inputs, ShgDevice.REFERENCE_TEMP_C, 1, out);
            double max = 0;
            for (double v : out) {
                max = Math.max(max, v);
            }
            // Compression is tiny at scale 1 (signals ≪ 1 count), so a linear rescale is exact enough.
            return peakFraction * p.fullScale / max;
        }
    }
}
