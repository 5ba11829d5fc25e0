package org.pnnedge.runtime.ota;

import org.pnnedge.runtime.device.DeviceAccess;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.models.pnn.PnnTrainer;

/**
 * The default self-test: the candidate's reference probes are shot again on this device and must reproduce
 * what the device they were recorded on gave; optionally a labelled {@link CanarySet} must be classified at or
 * above a threshold.
 *
 * <p>Probes: for each probe, the parameters (the probe's own {@code params}, else the candidate's trained codes
 * of the probe's {@code layer}) are loaded into a <b>spare parameter slot</b> — by default the device's last
 * slot, which must not be one the model uses (layer l serves from slot l) — so the slots of the serving model
 * are never touched; the probe's input is shot {@code min(repeats, maxShots)} times and the mean of each
 * output channel k is compared with the recorded {@code expectedOutput[k]}. Channel k is within tolerance when
 * <pre>|mean_k − g·expected_k| ≤ max(sigmas · g·outputStd_k, relative · g·|expected_k|, absolute · maxAdcCode)</pre>
 * with g one gain fitted over all probes (least squares), used when within ±{@link #MAX_COMMON_GAIN_DEVIATION}
 * of 1 (pump-power drift), else 1.
 * A probe passes when at least {@code minChannelFraction} of its channels are within tolerance; the check
 * passes when at least {@code minProbeFraction} of the probes pass. The canary set runs the whole candidate
 * network through the same spare slot (one layer at a time).
 *
 * <p>After the test the spare slot holds candidate parameters: any other user of that slot (recalibration)
 * must load its own parameters before each use.
 */
public final class ProbeSelfTest implements SelfTest {
    /**
     * Largest common gain (|g − 1|) between the recorded probes and this device that is taken as drift rather than
     * a fault: the probes are compared with {@code g · expected}, g fitted over all probes. An optical PNN's pump
     * power drifts (the emulated SHG laser by 2 % rms in power, ≈ 4 % in output) between the end of training and the
     * self-test; the dark-referenced readout ignores such a gain and recalibration corrects it for the affine one.
     * A wrong unit, wrong parameters or a broken channel do not look like one gain; a 30 % change still fails.
     */
    public static final double MAX_COMMON_GAIN_DEVIATION = 0.15;

    /**
     * Acceptance criteria.
     *
     * @param sigmas             tolerance in units of the probe's recorded per-shot standard deviation
     * @param relative           tolerance relative to the expected value
     * @param absolute           tolerance as a fraction of the ADC full scale (a floor for dark channels and
     *                           noise-free recordings)
     * @param minChannelFraction fraction of a probe's output channels that must be within tolerance
     * @param minProbeFraction   fraction of the probes that must pass
     * @param maxShots           at most this many shots per probe (fewer when the probe recorded fewer repeats)
     * @param requireProbes      fail a bundle that has no probes (default: pass it, saying it was not checked)
     * @param spareSlot          the parameter slot to test in; negative = the device's last slot
     */
    public record Criteria(double sigmas, double relative, double absolute, double minChannelFraction,
                           double minProbeFraction, int maxShots, boolean requireProbes, int spareSlot) {
        public Criteria {
            if (!(sigmas >= 0) || !(relative >= 0) || !(absolute >= 0)) {
                throw new IllegalArgumentException("tolerances must be ≥ 0");
            }
            if (!(minChannelFraction > 0 && minChannelFraction <= 1) || !(minProbeFraction > 0 && minProbeFraction <= 1)) {
                throw new IllegalArgumentException("fractions must be in (0, 1]");
            }
            if (maxShots < 1) {
                throw new IllegalArgumentException("maxShots must be ≥ 1");
            }
        }

        /** 4σ, 5 % relative, 0.5 % of full scale; 90 % of channels; every probe; up to 16 shots; last slot. */
        public static Criteria defaults() {
            return new Criteria(4, 0.05, 0.005, 0.9, 1.0, 16, false, -1);
        }
    }

    private final DeviceAccess access;
    private final Criteria criteria;
    private final CanarySet canary;

    /**
     * @param canary optional labelled set ({@code null}: probes only)
     */
    public ProbeSelfTest(DeviceAccess access, Criteria criteria, CanarySet canary) {
        this.access = Objects.requireNonNull(access, "access");
        this.criteria = Objects.requireNonNull(criteria, "criteria");
        this.canary = canary;
    }

    /** Default criteria, no canary set, no locking (the caller owns the link meanwhile). */
    public ProbeSelfTest(DeviceLink link) {
        this(DeviceAccess.unshared(link), Criteria.defaults(), null);
    }

    public Criteria criteria() {
        return criteria;
    }

    @Override
    public Result run(ModelBundle candidate) {
        PnnModel model;
        try {
            model = PnnBundles.model(candidate.manifest());
        } catch (IllegalArgumentException e) {
            return Result.fail(OtaStatus.REASON_SELF_TEST_ERROR, "cannot build the network: " + e.getMessage());
        }
        String implausible = model.implausibleParameter();
        if (implausible != null) {
            return Result.fail(OtaStatus.REASON_SELF_TEST_DEGENERATE, "implausible network parameter " + implausible
                    + " (beyond ±" + PnnModel.MAX_PLAUSIBLE_MAGNITUDE + "): the model would answer nonsense");
        }
        Result[] out = new Result[1];
        access.run(link -> out[0] = runOn(link, model, candidate.manifest().probes()));
        return out[0];
    }

    private Result runOn(DeviceLink link, PnnModel model, List<Probe> probes) {
        DeviceInfo info = link.info();
        int layers = model.architecture().layers();
        int slot = criteria.spareSlot() < 0 ? info.slots() - 1 : criteria.spareSlot();
        if (slot < layers || slot >= info.slots()) {
            return Result.fail(OtaStatus.REASON_SELF_TEST_ERROR, "no spare parameter slot: the model uses slots 0.."
                    + (layers - 1) + " of the device's " + info.slots() + ", test slot " + slot + " is not free");
        }
        String probeSummary;
        if (probes.isEmpty()) {
            if (criteria.requireProbes()) {
                return Result.fail(OtaStatus.REASON_SELF_TEST_PROBES, "the bundle has no reference probes, and "
                        + "probes are required");
            }
            probeSummary = "no reference probes in the bundle (not checked)";
        } else {
            ProbeOutcome p = probes(link, info, slot, model, probes);
            if (p.failure != null) {
                return Result.fail(OtaStatus.REASON_SELF_TEST_PROBES, p.failure);
            }
            probeSummary = p.summary;
        }
        if (canary == null) {
            return Result.pass(probeSummary);
        }
        String canaryMessage;
        double acc;
        try {
            acc = canaryAccuracy(link, slot, model);
        } catch (IllegalArgumentException e) {
            return Result.fail(OtaStatus.REASON_SELF_TEST_ERROR, probeSummary + "; canary set unusable: "
                    + e.getMessage());
        }
        canaryMessage = String.format(Locale.ROOT, "canary accuracy %.3f on %d samples (required %.3f)", acc,
                canary.labels().size(), canary.minAccuracy());
        if (acc < canary.minAccuracy()) {
            return Result.fail(OtaStatus.REASON_SELF_TEST_CANARY, probeSummary + "; " + canaryMessage);
        }
        return Result.pass(probeSummary + "; " + canaryMessage);
    }

    private record ProbeOutcome(String summary, String failure) {
    }

    private ProbeOutcome probes(DeviceLink link, DeviceInfo info, int slot, PnnModel model, List<Probe> probes) {
        int needChannels = (int) Math.ceil(criteria.minChannelFraction() * info.outputs() - 1e-9);
        int needProbes = (int) Math.ceil(criteria.minProbeFraction() * probes.size() - 1e-9);
        Measured m = shoot(link, slot, model.thetaCodes(), probes);
        // one common gain for all probes (least squares through the origin): the pump power of an optical
        // device drifts by a few per cent between the lab and the field and scales every output alike
        double num = 0;
        double den = 0;
        for (int i = 0; i < probes.size(); i++) {
            if (m.means()[i] != null) {
                double[] e = probes.get(i).expectedOutput();
                for (int k = 0; k < e.length; k++) {
                    num += m.means()[i][k] * e[k];
                    den += e[k] * e[k];
                }
            }
        }
        double fitted = den > 0 ? num / den : 1;
        double gain = Math.abs(fitted - 1) <= MAX_COMMON_GAIN_DEVIATION ? fitted : 1;
        Compared c = compare(probes, m, gain, info.maxAdcCode(), needChannels);
        String gainNote = gain != 1 ? String.format(Locale.ROOT, ", common gain %.3f", gain)
                : fitted != 1 && den > 0 ? String.format(Locale.ROOT, ", common gain %.3f out of the ±%.0f %% allowed",
                fitted, 100 * MAX_COMMON_GAIN_DEVIATION) : "";
        if (c.passed() < needProbes) {
            return new ProbeOutcome(null, String.format(Locale.ROOT, "%d/%d reference probes reproduce on this "
                    + "device (need %d%s); first failure: %s", c.passed(), probes.size(), needProbes, gainNote,
                    c.firstFailure()));
        }
        return new ProbeOutcome(String.format(Locale.ROOT, "%d/%d reference probes within tolerance (worst channel "
                + "at %.2f of its tolerance%s)", c.passed(), probes.size(), c.worst(), gainNote), null);
    }

    /** Per-probe mean outputs (null for a probe that cannot run) and the first problem found. */
    private record Measured(double[][] means, String firstFailure) {
    }

    /** Shoots every probe in {@code slot}: with its own parameters, or its layer's. */
    private Measured shoot(DeviceLink link, int slot, int[][] theta, List<Probe> probes) {
        String firstFailure = null;
        int[] loaded = null;
        double[][] means = new double[probes.size()][];
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            if (p.layer() >= theta.length) {
                String f = "probe " + i + " is for layer " + p.layer() + ", the network has " + theta.length;
                firstFailure = firstFailure == null ? f : firstFailure;
                continue;
            }
            int[] params = p.params() != null ? p.params() : theta[p.layer()];
            if (!java.util.Arrays.equals(params, loaded)) {
                link.loadParams(slot, params);
                loaded = params;
            }
            int shots = Math.min(p.repeats(), criteria.maxShots());
            int[][] in = new int[shots][];
            java.util.Arrays.fill(in, p.input());
            int[][] y = link.shotBatch(slot, in);
            double[] mean = new double[p.expectedOutput().length];
            for (int[] row : y) {
                for (int k = 0; k < mean.length; k++) {
                    mean[k] += row[k];
                }
            }
            for (int k = 0; k < mean.length; k++) {
                mean[k] /= shots;
            }
            means[i] = mean;
        }
        return new Measured(means, firstFailure);
    }

    /** How many probes pass, the worst channel's error in tolerances, and the first failure. */
    private record Compared(int passed, double worst, String firstFailure) {
    }

    /** Compares each probe channel by channel with its (gain-scaled) reference. */
    private Compared compare(List<Probe> probes, Measured m, double gain, double fullScale, int needChannels) {
        String firstFailure = m.firstFailure();
        int passed = 0;
        double worst = 0;
        for (int i = 0; i < probes.size(); i++) {
            double[] mean = m.means()[i];
            if (mean == null) {
                continue;
            }
            Probe p = probes.get(i);
            double[] expected = p.expectedOutput();
            double[] std = p.outputStd();
            int within = 0;
            double probeWorst = 0;
            int worstK = 0;
            double worstTol = 0;
            for (int k = 0; k < expected.length; k++) {
                double want = gain * expected[k];
                double tol = Math.max(criteria.sigmas() * (std == null ? 0 : gain * std[k]),
                        Math.max(criteria.relative() * Math.abs(want), criteria.absolute() * fullScale));
                double ratio = Math.abs(mean[k] - want) / Math.max(tol, 1e-12);
                if (ratio <= 1) {
                    within++;
                }
                if (ratio > probeWorst) {
                    probeWorst = ratio;
                    worstK = k;
                    worstTol = tol;
                }
            }
            worst = Math.max(worst, probeWorst);
            if (within >= needChannels) {
                passed++;
            } else if (firstFailure == null) {
                firstFailure = String.format(Locale.ROOT, "probe %d (layer %d): %d/%d channels within tolerance "
                        + "(need %d); worst: channel %d measured %.1f, expected %.1f ± %.1f", i, p.layer(), within,
                        expected.length, needChannels, worstK, mean[worstK], gain * expected[worstK], worstTol);
            }
        }
        return new Compared(passed, worst, firstFailure);
    }

    private double canaryAccuracy(DeviceLink link, int slot, PnnModel model) {
        List<String> names = model.labels();
        double[] off = model.featureOffset();
        double[] scale = model.featureScale();
        double[][] f = canary.features();
        double[][] z = new double[f.length][];
        int[] labels = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            if (f[i].length != off.length) {
                throw new IllegalArgumentException("row " + i + " has " + f[i].length + " features, the model takes "
                        + off.length);
            }
            z[i] = new double[off.length];
            for (int j = 0; j < off.length; j++) {
                z[i][j] = (f[i][j] - off[j]) / scale[j];
            }
            labels[i] = names.indexOf(canary.labels().get(i)); // -1: unknown label, never predicted
        }
        PhysicalLayers.OnDevice device = new PhysicalLayers.OnDevice(new SpareSlotLink(link, slot));
        return PnnTrainer.evaluate(model, z, labels, device, 1, null)[0];
    }
}
