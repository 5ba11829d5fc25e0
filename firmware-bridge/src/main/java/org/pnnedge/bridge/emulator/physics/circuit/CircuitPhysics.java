package org.pnnedge.bridge.emulator.physics.circuit;

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
 * Analog-electronic PNN board: a 12-bit DAC drives a series R–L into a node with C, a bleed resistor and a
 * diode (with series resistor) to ground; a rail-to-rail buffer with gain feeds a 12-bit ADC that samples the
 * transient 16 times. After the analog PNN of Wright, Onodera et al., Nature 601, 549 (2022).
 *
 * <pre>
 *  DAC ──R1──L(+DCR)──┬──────┬───────┬──────── (+) buffer ×G ── ADC (ref = AVDD)
 *  0..VREF            │      │       │
 *                     C      Rb      Rd
 *                     │      │       │
 *                     ⏚      ⏚      ─▶─ D (1N4148) ── ⏚
 * </pre>
 *
 * <p>Waveform: 32 segments of {@value #SEGMENT_MICROS} µs, interleaved {@code p0 x0 p1 x1 … p15 x15}
 * (parameter k, then input k). Output k is sampled {@value #SAMPLE_LEAD_MICROS} µs before the end of input
 * segment k, so it depends on p0..pk and x0..xk only (causal). The state is integrated with the trapezoidal
 * rule (A-stable) with a scalar Newton solve on the diode junction voltage per step; see physics.md.
 *
 * <p>Manufacturing mismatch is drawn once from the seed; noise only when {@link PhysicsState#noise()};
 * temperature coefficients and supply wander only when {@link PhysicsState#drift()}.
 * Not thread-safe: one instance belongs to one emulated device. {@link #shot} does not allocate.
 *
 * <p>Over 400 lines (and {@code integrate} over 60) on purpose: one model's equations stay in one class, in the
 * order physics.md derives them, so the two can be checked against each other line by line; the per-shot loop
 * stays one method because it must not allocate and its outputs are pinned bit for bit.
 */
public final class CircuitPhysics implements Physics {

    // ------------------------------------------------------------------ layout and timing
    public static final int CHANNELS = 16;
    public static final int SEGMENTS = 2 * CHANNELS;
    public static final int SEGMENT_MICROS = 5;
    /** Integration steps per segment: h = 0.5 µs, well below the fastest time constant (~1.5 µs). */
    static final int STEPS_PER_SEGMENT = 10;
    public static final double SEGMENT_SECONDS = SEGMENT_MICROS * 1e-6;
    static final double H = SEGMENT_SECONDS / STEPS_PER_SEGMENT;
    /** ADC trigger this long before the end of each input segment (clear of the next DAC update). */
    public static final int SAMPLE_LEAD_MICROS = 1;
    /** Quiet time with the DAC at code 0 before each shot so the circuit rings down to rest (~9 slowest τ). */
    public static final int SETTLE_MICROS = 100;
    /** SPI readout of the 16 ADC results and shot bookkeeping after the waveform. */
    public static final int READOUT_MICROS = 20;
    public static final long SHOT_MICROS = (long) SEGMENTS * SEGMENT_MICROS + SETTLE_MICROS + READOUT_MICROS;

    static final int DAC_BITS = 12;
    static final int ADC_BITS = 12;
    static final int DAC_CODES = 1 << DAC_BITS;
    static final int ADC_CODES = 1 << ADC_BITS;

    // ------------------------------------------------------------------ physical constants
    static final double K_B = 1.380649e-23;
    static final double Q_E = 1.602176634e-19;
    static final double T0_K = 298.15;
    static final double T0_C = 25.0;

    // ------------------------------------------------------------------ nominal board (see physics.md)
    // Convention: a tolerance *_TOL (and a tempco *_SPREAD) is drawn as a Gaussian with σ = tol/2 truncated at
    // ±tol; offsets and gain errors are given as σ (*_SIGMA) and drawn with the same rule at tol = 2σ.
    static final double R1 = 1.5e3, R1_TOL = 0.01;        // thick film 1 %, 100 ppm/K
    static final double RB = 10e3, RB_TOL = 0.01;         // bleed resistor
    static final double RD = 2.2e3, RD_TOL = 0.01;        // diode series resistor (softens the knee)
    static final double RF = 8.2e3, RG = 10e3;            // buffer gain 1 + RF/RG = 1.82
    static final double R_TOL = 0.01;
    static final double R_TC = 100e-6, R_TC_SPREAD = 25e-6;
    static final double L = 10e-3, L_TOL = 0.10, L_TC = 200e-6, L_TC_SPREAD = 50e-6;
    static final double L_DCR = 25.0, L_DCR_TOL = 0.15, CU_TC = 3.93e-3;
    static final double C = 1e-9, C_TOL = 0.05, C_TC = 0.0, C_TC_SPREAD = 15e-6;  // C0G/NP0
    // 1N4148, NXP PSPICE model: IS = 4.352 nA, N = 1.906, RS = 0.6458 Ω; SPICE defaults XTI = 3, EG = 1.11 eV
    static final double D_IS = 4.352e-9, D_IS_SIGMA_LN = Math.log(2.0) / 2.0;   // factor 2 at 2σ
    static final double D_N = 1.906, D_N_TOL = 0.02, D_RS = 0.6458, D_XTI = 3.0, D_EG = 1.11;
    // DAC: MCP4922, gain 1x, buffered VREF from a 2.5 V reference (REF30xx class)
    static final double VREF = 2.5, VREF_TOL = 0.002, VREF_TC = 10e-6, VREF_TC_SPREAD = 15e-6;
    static final double DAC_OFFSET_SIGMA = 2e-3, DAC_GAIN_SIGMA = 0.001, DAC_INL_SIGMA = 1.0;
    static final double DAC_SLEW = 0.55e6, DAC_SLEW_TOL = 0.10, DAC_TAU = 0.4e-6;
    // Buffer op-amp: MCP6021 class (10 MHz GBW, rail-to-rail), its lag is modelled as a pure delay G/(2π GBW)
    static final double OPAMP_VOS_SIGMA = 0.2e-3, OPAMP_VOS_TC = 2e-6, OPAMP_SWING = 5e-3, OPAMP_GBW = 10e6;
    // ADC: ADS7042 class, reference = AVDD
    static final double ADC_OFFSET_SIGMA = 1.0, ADC_GAIN_SIGMA = 0.0005, ADC_INL_SIGMA = 0.5;
    // Supply: 3.3 V LDO
    static final double VDD = 3.3, VDD_TOL = 0.01, VDD_TC = 50e-6;
    static final double VDD_WANDER_SIGMA = 2e-3, VDD_WANDER_TAU = 600.0;
    // Timing: crystal-clocked timer; per-trigger static skew from ISR/DMA latency
    static final double CLOCK_PPM_SIGMA = 10e-6, SKEW_SIGMA = 10e-9;
    // Noise
    static final double DAC_NOISE_DENSITY = 50e-9;       // V/√Hz at the DAC output (assumed class figure)
    static final double VREF_NOISE_RMS = 5e-6;           // per shot, 0.1–10 Hz class figure of the reference
    static final double VDD_NOISE_RMS = 30e-6;           // LDO wideband noise, per sample
    static final double ADC_NOISE_LSB = 0.6;             // ADC transition noise + driver + board pickup
    // Sensors
    static final double TEMP_SENSOR_SIGMA = 0.2, TEMP_SENSOR_LSB = 0.0625, SUPPLY_MON_GAIN_SIGMA = 0.002;
    // Self-test limits
    static final double DARK_LIMIT_CODES = 40.0;
    static final double SUPPLY_LIMIT_V = 0.1;

    // ------------------------------------------------------------------ this device (mismatch drawn once)
    private final PhysicsSpec spec;
    private final double r1, rb, rd, rf, rg, l, lDcr, c;
    private final double r1Tc, rbTc, rdTc, lTc, cTc, vrefTc;
    private final double dIs, dN;
    private final double vref, dacOffset, dacSlew;
    private final double opVos, vdd, adcOffset, adcGain, adcInl;
    private final double tempSensorOffset, supplyMonGain;
    /** DAC transfer without reference and offset: (code + INL(code)) / 4096 · (1 + gain error). */
    private final double[] dacNorm = new double[DAC_CODES];
    /** Global integration step in which output k is sampled, and the fraction of that step. */
    private final int[] sampleStep = new int[CHANNELS];
    private final double[] sampleFrac = new double[CHANNELS];
    private final double hStep;

    // noise figures (configured)
    private final double nodeNoiseVolts;
    private final double bufferGainNominal;

    // ------------------------------------------------------------------ drift state
    private final long wanderSeed;
    private SplittableRandom wanderRandom;
    private double wander;            // supply wander, V (Ornstein–Uhlenbeck)
    private double wanderTime = Double.NaN;

    // ------------------------------------------------------------------ work arrays (no allocation in shot)
    private final double[] segVolts = new double[SEGMENTS];
    private final double[] sampled = new double[CHANNELS];
    private final int[] zeroCodes = new int[CHANNELS];
    private final int[] scratchOut = new int[CHANNELS];

    // operating point of the current shot, recomputed from temperature and supply
    private double eR1, eRb, eRd, eL, eC, eRs, eIs, eNvt, eVref, eVdd, eVos, eGain;

    public CircuitPhysics(long seed, boolean mismatch) {
        this.spec = new PhysicsSpec(PhysicsKind.CIRCUIT, CHANNELS, CHANNELS, CHANNELS, DAC_BITS, ADC_BITS,
                SHOT_MICROS);
        Tolerances t = new Tolerances(new SplittableRandom(seed ^ 0x5DEECE66DL), mismatch);
        r1 = R1 * t.rel(R1_TOL);
        rb = RB * t.rel(RB_TOL);
        rd = RD * t.rel(RD_TOL);
        rf = RF * t.rel(R_TOL);
        rg = RG * t.rel(R_TOL);
        l = L * t.rel(L_TOL);
        lDcr = L_DCR * t.rel(L_DCR_TOL);
        c = C * t.rel(C_TOL);
        r1Tc = R_TC + t.abs(R_TC_SPREAD);
        rbTc = R_TC + t.abs(R_TC_SPREAD);
        rdTc = R_TC + t.abs(R_TC_SPREAD);
        lTc = L_TC + t.abs(L_TC_SPREAD);
        cTc = C_TC + t.abs(C_TC_SPREAD);
        dIs = D_IS * Math.exp(t.abs(D_IS_SIGMA_LN * 2.0));   // abs() uses σ = tol/2, so pass 2σ as "tol"
        dN = D_N * t.rel(D_N_TOL);
        vref = VREF * t.rel(VREF_TOL);
        vrefTc = VREF_TC + t.abs(VREF_TC_SPREAD);
        dacOffset = t.abs(2 * DAC_OFFSET_SIGMA);
        double dacGainErr = t.abs(2 * DAC_GAIN_SIGMA);
        double inlA = t.abs(2 * DAC_INL_SIGMA), inlB = t.abs(2 * DAC_INL_SIGMA);
        dacSlew = DAC_SLEW * t.rel(DAC_SLEW_TOL);
        opVos = t.abs(2 * OPAMP_VOS_SIGMA);
        vdd = VDD * t.rel(VDD_TOL);
        adcOffset = t.abs(2 * ADC_OFFSET_SIGMA);
        adcGain = 1.0 + t.abs(2 * ADC_GAIN_SIGMA);
        adcInl = t.abs(2 * ADC_INL_SIGMA);
        double clock = 1.0 + t.abs(2 * CLOCK_PPM_SIGMA);
        tempSensorOffset = t.abs(2 * TEMP_SENSOR_SIGMA);
        supplyMonGain = 1.0 + t.abs(2 * SUPPLY_MON_GAIN_SIGMA);

        for (int code = 0; code < DAC_CODES; code++) {
            double x = (double) code / DAC_CODES;
            double inl = inlA * Math.sin(Math.PI * x) + inlB * Math.sin(2 * Math.PI * x);  // smooth bow, LSB
            dacNorm[code] = (code + inl) / DAC_CODES * (1.0 + dacGainErr);
        }
        // One timer clocks both DAC updates and ADC triggers, so a clock error stretches the whole shot.
        hStep = H * clock;
        double gainNominal = 1.0 + rf / rg;
        double bufferDelaySteps = gainNominal / (2 * Math.PI * OPAMP_GBW) / H;
        for (int k = 0; k < CHANNELS; k++) {
            double skew = t.abs(2 * SKEW_SIGMA) / H;
            double pos = (segmentOfInput(k) + 1) * STEPS_PER_SEGMENT - SAMPLE_LEAD_MICROS * 1e-6 / H
                    + skew - bufferDelaySteps;
            sampleStep[k] = (int) Math.floor(pos);          // step k covers [k·h, (k+1)·h]
            sampleFrac[k] = pos - Math.floor(pos);
        }
        // Referred-to-node noise: kT/C of the node (∫4kTR over the RC bandwidth) plus DAC output noise over
        // the circuit's equivalent noise bandwidth (~π/2 · 60 kHz); both far below one ADC LSB.
        double thermal = K_B * T0_K / c;
        double enbw = Math.PI / 2 * 60e3;
        double dacNoise = DAC_NOISE_DENSITY * DAC_NOISE_DENSITY * enbw;
        nodeNoiseVolts = Math.sqrt(thermal + dacNoise);
        bufferGainNominal = gainNominal;
        wanderSeed = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        wanderRandom = new SplittableRandom(wanderSeed);
    }

    /** Another session: the supply somewhere in its stationary wander (session 0 starts at nominal, just powered). */
    @Override
    public void startSession(long session) {
        wanderRandom = new SplittableRandom(Physics.sessionSeed(wanderSeed, session));
        wander = VDD_WANDER_SIGMA * wanderRandom.nextGaussian();
        wanderTime = Double.NaN;
    }

    // ------------------------------------------------------------------ layout helpers (public for tests/docs)

    /** Waveform segment (0-based, 5 µs each) that carries parameter k. */
    public static int segmentOfParam(int k) {
        return 2 * k;
    }

    /** Waveform segment that carries input k. */
    public static int segmentOfInput(int k) {
        return 2 * k + 1;
    }

    // ------------------------------------------------------------------ noise figures (configured)

    /** ADC input-referred noise (transition noise, driver, pickup), LSB rms. */
    public double adcNoiseLsb() {
        return ADC_NOISE_LSB;
    }

    /** Noise at the sampled node (kT/C thermal + DAC output noise), V rms, before the buffer gain. */
    public double nodeNoiseVolts() {
        return nodeNoiseVolts;
    }

    /** Level-independent noise at the ADC input, LSB rms, excluding quantization (1/√12 LSB). */
    public double noiseStdLsb() {
        double node = bufferGainNominal * nodeNoiseVolts / (VDD / ADC_CODES);
        return Math.hypot(ADC_NOISE_LSB, node);
    }

    /**
     * Expected output noise at a mean code, LSB rms, excluding quantization: {@link #noiseStdLsb()} plus the
     * reference terms that scale with the signal (AVDD noise per sample, DAC reference noise per shot; the
     * latter is an upper bound since the circuit compresses it).
     */
    public double expectedNoiseStdLsb(double code) {
        double rel = Math.hypot(VDD_NOISE_RMS / VDD, VREF_NOISE_RMS / VREF);
        return Math.hypot(noiseStdLsb(), code * rel);
    }

    // ------------------------------------------------------------------ Physics

    @Override
    public PhysicsSpec spec() {
        return spec;
    }

    @Override
    public void shot(int[] paramCodes, int[] inputCodes, int[] outCodes, PhysicsState state) {
        boolean noise = state.noise();
        RandomGenerator rnd = state.noiseRandom();
        updateOperatingPoint(state);

        // Drive voltages of the 32 segments; the reference noise is slow (0.1–10 Hz), hence one draw per shot.
        double vr = eVref * (noise ? 1.0 + VREF_NOISE_RMS / VREF * rnd.nextGaussian() : 1.0);
        for (int k = 0; k < CHANNELS; k++) {
            segVolts[segmentOfParam(k)] = dacVolts(paramCodes[k], vr);
            segVolts[segmentOfInput(k)] = dacVolts(inputCodes[k], vr);
        }
        integrate(dacVolts(0, vr));

        double lsb = eVdd / ADC_CODES;
        for (int k = 0; k < CHANNELS; k++) {
            double vin = sampled[k];
            double ref = eVdd;
            if (noise) {
                vin += eGain * nodeNoiseVolts * rnd.nextGaussian() + ADC_NOISE_LSB * lsb * rnd.nextGaussian();
                ref += VDD_NOISE_RMS * rnd.nextGaussian();
            }
            outCodes[k] = adcCode(vin, ref);
        }
    }

    @Override
    public void readSensors(PhysicsState state, ObjDoubleConsumer<Sensor> sink) {
        sink.accept(Sensor.SUPPLY_VOLTAGE, measuredSupply(state));
        double t = state.deviceTemperatureC() + tempSensorOffset;
        if (state.noise()) {
            t += 0.03 * state.noiseRandom().nextGaussian();
        }
        sink.accept(Sensor.BOARD_TEMPERATURE, Math.round(t / TEMP_SENSOR_LSB) * TEMP_SENSOR_LSB);
    }

    @Override
    public List<SelfTestCheck> selfTest(PhysicsState state) {
        shot(zeroCodes, zeroCodes, scratchOut, state);
        double dark = 0;
        for (int code : scratchOut) {
            dark += code;
        }
        dark /= CHANNELS;
        double supply = measuredSupply(state);
        return List.of(
                new SelfTestCheck(SelfTestCheck.DARK_LEVEL, dark <= DARK_LIMIT_CODES, dark),
                new SelfTestCheck(SelfTestCheck.SOURCE_LEVEL, Math.abs(supply - VDD) <= SUPPLY_LIMIT_V, supply));
    }

    // ------------------------------------------------------------------ internals

    /** Temperature- and supply-dependent values for this shot; frozen at 25 °C when drift is off. */
    private void updateOperatingPoint(PhysicsState state) {
        boolean drift = state.drift();
        advanceWander(state);
        double tc = drift ? state.deviceTemperatureC() : T0_C;
        double dt = tc - T0_C;
        double tk = tc + 273.15;
        eR1 = r1 * (1 + r1Tc * dt);
        eRb = rb * (1 + rbTc * dt);
        eRd = rd * (1 + rdTc * dt) + D_RS;
        eL = l * (1 + lTc * dt);
        eC = c * (1 + cTc * dt);
        eRs = eR1 + lDcr * (1 + CU_TC * dt);
        double vt = K_B * tk / Q_E;
        eNvt = dN * vt;
        // SPICE junction model: IS(T) = IS·(T/T0)^(XTI/N)·exp((EG/(N·Vt))·(T/T0 − 1)), roughly ×2 per 8 K
        double ratio = tk / T0_K;
        eIs = dIs * Math.pow(ratio, D_XTI / dN) * Math.exp(D_EG / eNvt * (ratio - 1));
        eVref = vref * (1 + vrefTc * dt);
        eVdd = vdd * (1 + VDD_TC * dt) + (drift ? wander : 0.0);
        eVos = opVos + OPAMP_VOS_TC * dt;
        eGain = 1.0 + rf / rg;    // ratio of like resistors: tempcos track to first order
    }

    /** Slow supply wander: exact Ornstein–Uhlenbeck update over the elapsed time, own seeded generator. */
    private void advanceWander(PhysicsState state) {
        if (!state.drift()) {
            return;
        }
        double now = state.timeSeconds();
        if (Double.isNaN(wanderTime)) {
            wanderTime = now;
            return;
        }
        double dt = now - wanderTime;
        if (dt <= 0) {
            return;
        }
        double decay = Math.exp(-dt / VDD_WANDER_TAU);
        wander = wander * decay + VDD_WANDER_SIGMA * Math.sqrt(1 - decay * decay) * wanderRandom.nextGaussian();
        wanderTime = now;
    }

    private double measuredSupply(PhysicsState state) {
        updateOperatingPoint(state);
        double v = eVdd * supplyMonGain;
        if (state.noise()) {
            v += 1e-3 * state.noiseRandom().nextGaussian();
        }
        return v;
    }

    /** DAC output for a code; a unipolar output amplifier cannot go below ground (dead band for offset < 0). */
    private double dacVolts(int code, double vr) {
        return Math.max(0.0, vr * dacNorm[code] + dacOffset);
    }

    /** ADS7042-style conversion: code = round(vin / (ref/4096)) with gain, offset and INL; clamped. */
    private int adcCode(double vin, double ref) {
        double x = Math.min(Math.max(vin, 0.0), ref) / ref * ADC_CODES;
        x = x * adcGain + adcOffset + adcInl * Math.sin(Math.PI * x / ADC_CODES);
        long code = (long) Math.floor(x + 0.5);
        return (int) Math.min(Math.max(code, 0), ADC_CODES - 1);
    }

    /**
     * Integrates the circuit from rest over the 32 segments (trapezoidal rule, step hStep) and fills
     * {@link #sampled} with the buffer output at the 16 sampling instants.
     *
     * <p>States: inductor current i, node voltage v, DAC output vd (slew-limited first-order response,
     * advanced exactly). Per step, i is linear in v and v is an explicit function of the diode junction
     * voltage vj, so one monotone scalar equation G(vj) = 0 is solved by Newton, warm-started.
     */
    private void integrate(double vRest) {
        final double h = hStep;
        final double rs = eRs, ind = eL, cap = eC, gb = 1.0 / eRb, rt = eRd, is = eIs, nvt = eNvt;
        final double kk = 1.0 / (1.0 + h * rs / (2 * ind));
        final double b = -kk * h / (2 * ind);
        final double beta = h / (2 * cap);
        final double alpha = 1.0 + beta * (gb - b);
        final double kappa = alpha * rt + beta;
        final double eTau = Math.exp(-h / DAC_TAU);
        final double lin = dacSlew * DAC_TAU;
        final double vLo = OPAMP_SWING, vHi = eVdd - OPAMP_SWING;
        final double gain = eGain, vos = eVos;

        // Rest state with the DAC at code 0 (diode current of a few mV bias < 1 nA, neglected).
        double vd = vRest;
        double v = vd * eRb / (rs + eRb);
        double i = v * gb;
        double vj = v;
        double vjOld = v;
        double id = 0.0;
        double fi = (vd - v - rs * i) / ind;
        double fv = (i - v * gb - id) / cap;
        double vo = clamp(gain * (v + vos), vLo, vHi);

        int step = 0;
        int next = 0;           // next output to sample
        for (int seg = 0; seg < SEGMENTS; seg++) {
            double target = segVolts[seg];
            for (int s = 0; s < STEPS_PER_SEGMENT; s++, step++) {
                // DAC: exponential approach with slew-rate limit (derivative continuous at the switch-over)
                double diff = target - vd;
                double ad = Math.abs(diff);
                double vd1;
                if (ad <= lin) {
                    vd1 = target - diff * eTau;
                } else {
                    double sgn = Math.signum(diff);
                    double ts = (ad - lin) / dacSlew;
                    vd1 = ts >= h ? vd + sgn * dacSlew * h : target - sgn * lin * Math.exp(-(h - ts) / DAC_TAU);
                }
                // Trapezoidal step: i1 = a + b·v1, and G(vj) = α·vj + κ·iD(vj) − r = 0 (increasing, convex).
                double a = kk * (i + 0.5 * h * fi + h / (2 * ind) * vd1);
                double r = v + 0.5 * h * fv + beta * a;
                // Predictor: linear extrapolation, limited upwards so it never lands deep in the exponential.
                double trend = vj - vjOld;
                vjOld = vj;
                vj += Math.min(trend, 2 * nvt);
                for (int it = 0; it < 60; it++) {
                    double e = Math.exp(vj / nvt);
                    id = is * (e - 1.0);
                    double dIdv = is * e / nvt;
                    double delta = (alpha * vj + kappa * id - r) / (alpha + kappa * dIdv);
                    double vjNew = vj - delta;
                    if (vjNew - vj > 4 * nvt && r > 0) {
                        // Large upward jump: cap at the bound κ·iD ≤ r (from G = 0 with vj ≥ 0); from there
                        // Newton descends monotonically on the convex G.
                        vjNew = Math.min(vjNew, nvt * Math.log1p(r / (kappa * is)));
                    }
                    // Quadratic convergence: after a step of δ the error is ~δ²/(2·N·Vt) < 1e-9 V for δ < 10 µV,
                    // so the last step is applied to iD linearly instead of paying another exp.
                    if (Math.abs(delta) < 1e-5) {
                        id += dIdv * (vjNew - vj);
                        vj = vjNew;
                        break;
                    }
                    vj = vjNew;
                }
                double v1 = (r - beta * id) / alpha;
                double i1 = a + b * v1;
                fi = (vd1 - v1 - rs * i1) / ind;
                fv = (i1 - v1 * gb - id) / cap;
                double vo1 = clamp(gain * (v1 + vos), vLo, vHi);
                while (next < CHANNELS && sampleStep[next] == step) {
                    sampled[next] = vo + (vo1 - vo) * sampleFrac[next];
                    next++;
                }
                v = v1;
                i = i1;
                vd = vd1;
                vo = vo1;
            }
        }
    }

    private static double clamp(double x, double lo, double hi) {
        return x < lo ? lo : Math.min(x, hi);
    }

    /** Draws per-device deviations; everything is nominal (zero deviation) when mismatch is off. */
    private static final class Tolerances {
        private final SplittableRandom random;
        private final boolean on;

        Tolerances(SplittableRandom random, boolean on) {
            this.random = random;
            this.on = on;
        }

        /** Gaussian with σ = tol/2, truncated at ±tol (the datasheet tolerance). */
        double abs(double tol) {
            if (!on || tol == 0) {
                return 0.0;
            }
            double g = random.nextGaussian() * tol / 2;
            return Math.max(-tol, Math.min(tol, g));
        }

        double rel(double tol) {
            return 1.0 + abs(tol);
        }
    }
}
