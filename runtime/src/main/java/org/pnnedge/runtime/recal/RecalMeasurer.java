package org.pnnedge.runtime.recal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.Sensors;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.runtime.device.DeviceAccess;
import org.tinylog.Logger;

/**
 * The device phases of a recalibration, each under the service's device lock and timed: sensors and the dark
 * level, each reference probe, each parameter set of fresh random shots in the spare slot.
 */
final class RecalMeasurer {
    private final RecalConfig config;

    RecalMeasurer(RecalConfig config) {
        this.config = config;
    }

    /**
     * What the device phases measured.
     *
     * @param dark         mean output with all codes zero in the spare slot (null without a spare slot)
     * @param fresh        fresh random shots (null when none were taken)
     * @param pauseSeconds total time the lock was held; {@code maxPauseSeconds} the longest hold
     */
    record Measured(DeviceInfo info, double[] dark, double temperature, double laserPower,
                    List<ProbeMeasurement> probes, Characterization fresh, double pauseSeconds,
                    double maxPauseSeconds, int phases) {
    }

    /** Lock-hold bookkeeping: total and longest pause of inference. */
    private static final class Pauses {
        long total;
        long max;
        int phases;

        <T> T timed(DeviceAccess device, Function<DeviceLink, T> action) {
            long[] held = new long[1];
            T r = device.withDevice(link -> {
                long t0 = System.nanoTime();
                try {
                    return action.apply(link);
                } finally {
                    held[0] = System.nanoTime() - t0;
                }
            });
            total += held[0];
            max = Math.max(max, held[0]);
            phases++;
            return r;
        }
    }

    /** What the first device phase measured. */
    private record ProbePhase(DeviceInfo info, double[] dark, double temperature, double laserPower) {
    }

    /** Every phase of run {@code run} (which varies the fresh shots' seed) for a model of {@code layers} layers. */
    Measured measure(DeviceAccess device, List<Probe> probes, int layers, long run) {
        Pauses pauses = new Pauses();
        ProbePhase pp = pauses.timed(device, link -> darkPhase(link, layers));
        DeviceInfo info = pp.info();
        List<ProbeMeasurement> measured = new ArrayList<>();
        int skipped = 0;
        for (Probe p : probes) {
            if (!measurable(p, info, layers)) {
                skipped++;
                continue;
            }
            measured.add(pauses.timed(device, link -> measureProbe(link, p, layers)));
        }
        if (skipped > 0) {
            Logger.warn("recalibration: {} probes skipped (layer outside the model, wrong size, or explicit "
                    + "parameters and no spare slot)", skipped);
        }
        Characterization fresh = freshShots(device, pauses, spareSlot(info, layers), run);
        return new Measured(info, pp.dark(), pp.temperature(), pp.laserPower(), List.copyOf(measured), fresh,
                pauses.total / 1e9, pauses.max / 1e9, pauses.phases);
    }

    /** Fresh random shots in the spare slot, one parameter set per hold of the lock; null when there are none. */
    private Characterization freshShots(DeviceAccess device, Pauses pauses, int spare, long run) {
        if (config.freshShots() <= 0 || spare < 0) {
            return null;
        }
        List<Characterization> parts = new ArrayList<>();
        for (int done = 0, chunk = 0; done < config.freshShots(); chunk++) {
            int n = Math.min(config.shotsPerSet(), config.freshShots() - done);
            long seed = config.seed() * 0x9E3779B97F4A7C15L + run * 1_000_003L + chunk;
            parts.add(pauses.timed(device, link -> new Characterizer(n, n, 4, seed, spare).measure(link, d -> { })));
            done += n;
        }
        return merge(parts, config.seed());
    }

    /** The last slot when the model leaves it free, else -1 (no fresh shots, no explicit-parameter probes). */
    static int spareSlot(DeviceInfo info, int layers) {
        return info.slots() > layers ? info.slots() - 1 : -1;
    }

    /** Sensors and the dark level (all codes zero in the spare slot). */
    private ProbePhase darkPhase(DeviceLink link, int layers) {
        DeviceInfo d = link.info();
        int spare = spareSlot(d, layers);
        double temperature = Double.NaN;
        double laser = Double.NaN;
        try {
            Sensors s = link.sensors();
            temperature = s.temperatureC();
            laser = s.get(Sensor.LASER_POWER).orElse(Double.NaN);
        } catch (RuntimeException e) {
            Logger.debug(e, "recalibration: no sensors");
        }
        double[] dark = null;
        if (spare >= 0) {
            link.loadParams(spare, new int[d.params()]);
            int[][] rows = new int[config.probeRepeats()][];
            Arrays.fill(rows, new int[d.inputs()]);
            dark = meanStd(link.shotBatch(spare, rows), d.outputs())[0];
        }
        return new ProbePhase(d, dark, temperature, laser);
    }

    /** Whether a probe can be measured here: its layer exists and its slot is available. */
    private static boolean measurable(Probe p, DeviceInfo d, int layers) {
        return p.layer() < layers && p.input().length == d.inputs()
                && (p.params() == null || (spareSlot(d, layers) >= 0 && p.params().length == d.params()));
    }

    /** One probe, {@code probeRepeats} shots: in the layer's slot, or with its own parameters in the spare slot. */
    private ProbeMeasurement measureProbe(DeviceLink link, Probe p, int layers) {
        DeviceInfo d = link.info();
        int slot = p.layer();
        if (p.params() != null) {
            slot = spareSlot(d, layers);
            link.loadParams(slot, p.params());
        }
        int[][] rows = new int[config.probeRepeats()][];
        Arrays.fill(rows, p.input());
        double[][] ms = meanStd(link.shotBatch(slot, rows), d.outputs());
        return new ProbeMeasurement(p, ms[0], ms[1], config.probeRepeats());
    }

    /** Per-channel mean and sample standard deviation of output codes. */
    static double[][] meanStd(int[][] shots, int outputs) {
        double[] mean = new double[outputs];
        double[] std = new double[outputs];
        for (int[] s : shots) {
            for (int k = 0; k < outputs; k++) {
                mean[k] += s[k];
            }
        }
        for (int k = 0; k < outputs; k++) {
            mean[k] /= shots.length;
        }
        if (shots.length > 1) {
            for (int[] s : shots) {
                for (int k = 0; k < outputs; k++) {
                    std[k] += (s[k] - mean[k]) * (s[k] - mean[k]);
                }
            }
            for (int k = 0; k < outputs; k++) {
                std[k] = Math.sqrt(std[k] / (shots.length - 1));
            }
        }
        return new double[][] {mean, std};
    }

    /** One characterization from the parts (noise: root mean square of the parts', which have equal repeats). */
    static Characterization merge(List<Characterization> parts, long seed) {
        Characterization first = parts.get(0);
        int n = parts.stream().mapToInt(Characterization::size).sum();
        int[][] x = new int[n][];
        int[][] p = new int[n][];
        int[][] y = new int[n][];
        double[] noise = new double[first.outputCount()];
        int i = 0;
        for (Characterization c : parts) {
            for (int r = 0; r < c.size(); r++, i++) {
                x[i] = c.inputs()[r];
                p[i] = c.params()[r];
                y[i] = c.outputs()[r];
            }
            for (int k = 0; k < noise.length; k++) {
                noise[k] += c.noiseStd()[k] * c.noiseStd()[k] / parts.size();
            }
        }
        for (int k = 0; k < noise.length; k++) {
            noise[k] = Math.sqrt(noise[k]);
        }
        return new Characterization(first.kind(), first.serial(), first.dacBits(), first.adcBits(), first.measured(),
                seed, x, p, y, noise);
    }
}
