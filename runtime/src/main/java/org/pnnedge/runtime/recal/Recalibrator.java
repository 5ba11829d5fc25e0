package org.pnnedge.runtime.recal;

import org.pnnedge.runtime.io.AtomicFiles;

import org.pnnedge.runtime.device.DeviceAccess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.Sensors;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.twin.FittedTwin;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.TwinCodec;
import org.pnnedge.models.twin.TwinFitter;
import org.pnnedge.models.twin.TwinReport;
import org.pnnedge.runtime.service.OutputCorrection;
import org.tinylog.Logger;

/**
 * Recalibrates a loaded model against drift of its device (see {@code src/site/markdown/recalibration.md}):
 * <ol>
 * <li>device phases (lock held once for sensors and the dark level, then once per reference probe): every probe of
 *     the bundle, {@code probeRepeats} shots each, in the layer's own slot (probes without parameters) or the spare
 *     last slot;</li>
 * <li>device phases (lock held once per parameter set): fresh random shots in the spare last slot, never in a
 *     serving slot;</li>
 * <li>without the lock: drift figures, the per-channel output correction (ridge least squares, validated on
 *     left-out probes), a warm-started twin refit within its time budget;</li>
 * <li>decision: adopt the correction when it passes validation and beats the current one; otherwise keep the current
 *     one, and when neither restores the references raise an alarm and write the fresh measurements for an offline
 *     trainer; persist the adopted state atomically.</li>
 * </ol>
 * Thread-safe: one run at a time (a second concurrent call fails with {@link IllegalStateException}). The caller
 * installs {@link RecalOutcome#correction()} in its engine.
 */
public final class Recalibrator {
    /** Alarm measurement sets kept in the fresh directory (older ones are deleted). */
    public static final int KEEP_FRESH = 5;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RecalConfig config;
    private final Path stateDir;
    private final Path freshDir;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicLong runs = new AtomicLong();

    /**
     * @param stateDir where the adopted state and the last report are persisted (null: nothing is persisted)
     * @param freshDir where an alarm writes the fresh measurements (null: {@code stateDir/fresh}, or nowhere when
     *                 stateDir is null too)
     */
    public Recalibrator(RecalConfig config, Path stateDir, Path freshDir) {
        this.config = Objects.requireNonNull(config, "config");
        this.stateDir = stateDir;
        this.freshDir = freshDir != null ? freshDir : stateDir == null ? null : stateDir.resolve("fresh");
    }

    public RecalConfig config() {
        return config;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The twin a recalibration starts from when the service has none of its own: the bundle's (or null). */
    public static TrainableTwin bundleTwin(ModelBundle bundle) {
        return bundle.manifest().twin() == null || bundle.manifest().twin().isNull() ? null
                : TwinCodec.fromJson(bundle.manifest().twin());
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

    /**
     * Runs one recalibration.
     *
     * @param device      the device, through the service's lock ({@link DeviceAccess#locked})
     * @param bundle      the model being served; its layer l must be loaded in slot l (as {@code InferenceEngine}
     *                    does)
     * @param current     the correction in use now (identity at first)
     * @param currentTwin the twin to warm-start from (the persisted one, or null for the bundle's own twin)
     * @throws org.pnnedge.bridge.DeviceException when the device fails; nothing is adopted or persisted then (a
     *         failure to persist is logged and noted in the report's reason, and the outcome is still returned)
     * @throws IllegalStateException when another recalibration is running
     */
    public RecalOutcome run(DeviceAccess device, ModelBundle bundle, OutputCorrection current,
                            TrainableTwin currentTwin) {
        if (!running.tryLock()) {
            throw new IllegalStateException("a recalibration is already running");
        }
        try {
            return doRun(device, bundle, current, currentTwin);
        } finally {
            running.unlock();
        }
    }

    private RecalOutcome doRun(DeviceAccess device, ModelBundle bundle, OutputCorrection current,
                               TrainableTwin currentTwin) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        long run = runs.getAndIncrement();
        PnnArchitecture arch = PnnBundles.model(bundle.manifest()).architecture();
        if (current.layers() != arch.layers()) {
            throw new IllegalArgumentException("correction has " + current.layers() + " layers, model "
                    + arch.layers());
        }
        TrainableTwin startTwin = currentTwin != null ? currentTwin : bundleTwin(bundle);
        List<Probe> probes = bundle.manifest().probes() == null ? List.of() : bundle.manifest().probes();
        Pauses pauses = new Pauses();

        // 1. device phases: sensors and dark level, then one phase per reference probe
        ProbePhase pp = pauses.timed(device, link -> darkPhase(link, arch.layers()));
        DeviceInfo info = pp.info();
        int spare = spareSlot(info, arch.layers());
        List<ProbeMeasurement> measured = new ArrayList<>();
        int skipped = 0;
        for (Probe p : probes) {
            if (!measurable(p, info, arch.layers())) {
                skipped++;
                continue;
            }
            measured.add(pauses.timed(device, link -> measureProbe(link, p, arch.layers())));
        }
        if (skipped > 0) {
            Logger.warn("recalibration: {} probes skipped (layer outside the model, wrong size, or explicit "
                    + "parameters and no spare slot)", skipped);
        }

        // 2. device phases: fresh random shots in the spare slot, one parameter set per hold of the lock
        Characterization fresh = null;
        if (config.freshShots() > 0 && spare >= 0) {
            List<Characterization> parts = new ArrayList<>();
            for (int done = 0, chunk = 0; done < config.freshShots(); chunk++) {
                int n = Math.min(config.shotsPerSet(), config.freshShots() - done);
                long seed = config.seed() * 0x9E3779B97F4A7C15L + run * 1_000_003L + chunk;
                parts.add(pauses.timed(device, link -> new Characterizer(n, n, 4, seed, spare).measure(link, d -> { })));
                done += n;
            }
            fresh = merge(parts, config.seed());
        }

        // 3. no lock from here: drift, correction, twin
        double maxAdc = info.maxAdcCode();
        List<ProbeMeasurement> ms = List.copyOf(measured);
        OutputCorrection identity = OutputCorrection.identity(arch.layers(), arch.outputs());
        CorrectionFit.Score raw = CorrectionFit.score(ms, CorrectionFit.apply(ms, identity, maxAdc), arch.layers(),
                config);
        CorrectionFit.Score before = CorrectionFit.score(ms, CorrectionFit.apply(ms, current, maxAdc),
                arch.layers(), config);
        double[][] channelChange = channelChange(ms, arch.layers(), arch.outputs());

        CorrectionFit.Result fit = ms.isEmpty() ? null
                : CorrectionFit.fit(ms, arch.layers(), arch.outputs(), maxAdc, pp.dark(), current, config);
        CorrectionFit.Score afterCv = fit == null ? raw : CorrectionFit.score(ms, fit.crossValidated(),
                arch.layers(), config);
        CorrectionFit.Score afterIn = fit == null ? raw : CorrectionFit.score(ms, fit.inSample(), arch.layers(),
                config);

        // twin: fresh versus twin, then a warm-started refit judged on held-out fresh shots
        double twinFresh = Double.NaN;
        double floor = Double.NaN;
        double twinBefore = Double.NaN;
        double twinAfter = Double.NaN;
        double twinSecs = 0;
        TrainableTwin twin = startTwin;
        boolean twinUpdated = false;
        if (fresh != null && startTwin != null && startTwin.inputs() == info.inputs()
                && startTwin.params() == info.params() && startTwin.outputs() == info.outputs()) {
            TwinReport all = TwinFitter.evaluate(startTwin, fresh);
            twinFresh = all.nrmse();
            floor = all.noiseFloor();
            int hold = Math.max(1, (int) Math.round(fresh.size() * config.twinHoldout()));
            if (fresh.size() - hold >= 8) {
                Characterization fitPart = rows(fresh, 0, fresh.size() - hold);
                Characterization holdPart = rows(fresh, fresh.size() - hold, fresh.size());
                twinBefore = TwinFitter.evaluate(startTwin, holdPart).nrmse();
                long ft = System.nanoTime();
                FittedTwin refit = new TwinFitter(config.twinEpochs(), 32, config.twinLearningRate(), 0,
                        config.seed() + run, config.twinBudget()).fit(startTwin, fitPart, true, p -> { });
                twinSecs = (System.nanoTime() - ft) / 1e9;
                twinAfter = TwinFitter.evaluate(refit.twin(), holdPart).nrmse();
                if (twinAfter < twinBefore) {
                    twin = refit.twin();
                    twinUpdated = true;
                }
            }
        }

        // 4. decision
        boolean validated = fit != null && afterCv.pass() && !fit.gainClamped();
        double bar = before.pass() ? (1 - config.adoptMargin()) * before.errors().rmsRelative()
                : before.errors().rmsRelative();
        boolean better = fit != null && afterCv.errors().rmsRelative() < bar;
        boolean adopted = false;
        boolean alarm = false;
        String reason;
        String pct = fit == null ? "" : "probe error (rms) %.2f %% with the current correction, %.2f %% with the new one"
                .formatted(100 * before.errors().rmsRelative(), 100 * afterCv.errors().rmsRelative());
        if (fit == null) {
            reason = "the bundle has no reference probes: drift cannot be measured or corrected";
        } else if (validated && better) {
            adopted = true;
            reason = "correction adopted: " + pct;
        } else if (validated) {
            reason = "current correction kept, still within tolerance and the new one is not clearly better: " + pct;
        } else if (before.pass()) {
            reason = "current correction kept, still within tolerance; the new fit fails validation: " + pct;
        } else {
            alarm = true;
            reason = ("output correction cannot restore the reference probes (%.0f %% of channels within tolerance in "
                    + "the worst layer, %.0f %% needed%s; %s): retrain the model on fresh measurements")
                    .formatted(100 * afterCv.worstLayerFraction(), 100 * config.minPassFraction(),
                            fit.gainClamped() ? ", a gain hit its limit" : "", pct);
        }
        OutputCorrection use = adopted ? fit.correction() : current;

        // 5. persistence and the alarm's measurements
        String freshPath = null;
        if (alarm && freshDir != null) {
            try {
                freshPath = writeFresh(fresh, ms, bundle, info).toString();
            } catch (IOException e) {
                Logger.warn(e, "recalibration: cannot write the fresh measurements to {}", freshDir);
            }
        }
        if (stateDir != null && (adopted || twinUpdated)) {
            try {
                RecalState.of(bundle, info, use, twin).save(stateDir);
            } catch (IOException e) {
                // the correction still serves from memory; the next start falls back to the last saved state
                Logger.error(e, "recalibration: cannot persist the state in {}", stateDir);
                reason += "; NOT PERSISTED (" + e.getMessage() + ")";
            }
        }
        double[] gr = gainRange(fit == null ? null : fit.correction());
        Instant finished = Instant.now();
        RecalReport report = new RecalReport(started, finished, (System.nanoTime() - t0) / 1e9,
                pauses.total / 1e9, pauses.max / 1e9, pauses.phases, bundle.manifest().modelId(),
                bundle.manifest().version().toString(), info.serialHex(), ms.size(), config.probeRepeats(),
                fresh == null ? 0 : fresh.size(), pp.temperature(), pp.laserPower(),
                new RecalReport.Drift(raw.errors(), channelChange, twinFresh, floor), before.errors(),
                afterCv.errors(), afterIn.errors(), gr[0], gr[1], twinBefore, twinAfter, twinUpdated, twinSecs,
                validated, adopted, alarm, reason, freshPath);
        if (stateDir != null) {
            try {
                RecalState.saveReport(stateDir, report);
            } catch (IOException e) {
                Logger.error(e, "recalibration: cannot write {} in {}", RecalState.REPORT_FILE, stateDir);
            }
        }
        Logger.info("recalibration of {} {}: {} (pause {} s in {} phases, {} s in all)", report.modelId(),
                report.modelVersion(), reason, "%.3f".formatted(report.pauseSeconds()), report.devicePhases(),
                "%.2f".formatted(report.durationSeconds()));
        return new RecalOutcome(report, use, twin, fit == null ? null : fit.correction());
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

    private static double[][] channelChange(List<ProbeMeasurement> ms, int layers, int outputs) {
        double[][] sum = new double[layers][outputs];
        int[] n = new int[layers];
        for (ProbeMeasurement m : ms) {
            int l = m.probe().layer();
            double[] e = m.probe().expectedOutput();
            for (int k = 0; k < outputs; k++) {
                sum[l][k] += (m.meanAt(k) - e[k]) / Math.max(1, e[k]);
            }
            n[l]++;
        }
        for (int l = 0; l < layers; l++) {
            for (int k = 0; k < outputs; k++) {
                sum[l][k] = n[l] == 0 ? Double.NaN : sum[l][k] / n[l];
            }
        }
        return sum;
    }

    private static double[] gainRange(OutputCorrection c) {
        if (c == null) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : c.gain()) {
            for (double g : row) {
                lo = Math.min(lo, g);
                hi = Math.max(hi, g);
            }
        }
        return new double[] {lo, hi};
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

    /** Rows [from, to) of a characterization. */
    static Characterization rows(Characterization c, int from, int to) {
        return new Characterization(c.kind(), c.serial(), c.dacBits(), c.adcBits(), c.measured(), c.seed(),
                Arrays.copyOfRange(c.inputs(), from, to), Arrays.copyOfRange(c.params(), from, to),
                Arrays.copyOfRange(c.outputs(), from, to), c.noiseStd());
    }

    /**
     * Writes {@code fresh-<stamp>.csv} (characterization file, models.md) and {@code fresh-<stamp>-probes.json}
     * (the probes as measured now, bundle probe format plus the reference) into the fresh directory; keeps the
     * newest {@link #KEEP_FRESH} sets. Returns the characterization file, or the probe file when there were no
     * fresh shots.
     */
    private Path writeFresh(Characterization fresh, List<ProbeMeasurement> ms, ModelBundle bundle, DeviceInfo info)
            throws IOException {
        Files.createDirectories(freshDir);
        String stamp = "fresh-" + STAMP.format(Instant.now());
        Path csv = freshDir.resolve(stamp + ".csv");
        Path probes = freshDir.resolve(stamp + "-probes.json");
        if (fresh != null) {
            Path tmp = AtomicFiles.tempFor(csv);
            try {
                fresh.write(tmp);
                AtomicFiles.commit(tmp, csv);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("format", "pnn-recal-probes");
        o.put("formatVersion", 1);
        o.put("modelId", bundle.manifest().modelId());
        o.put("modelVersion", bundle.manifest().version().toString());
        o.put("bundleSha256", bundle.payloadSha256());
        o.put("deviceSerial", info.serialHex());
        o.put("measured", Instant.now().toString());
        ArrayNode arr = o.putArray("probes");
        for (ProbeMeasurement m : ms) {
            ObjectNode p = arr.addObject();
            p.put("layer", m.probe().layer());
            p.set("input", MAPPER.valueToTree(m.probe().input()));
            if (m.probe().params() != null) {
                p.set("params", MAPPER.valueToTree(m.probe().params()));
            }
            p.set("expectedOutput", MAPPER.valueToTree(m.probe().expectedOutput()));
            p.set("measuredOutput", MAPPER.valueToTree(m.mean()));
            p.set("measuredStd", MAPPER.valueToTree(m.std()));
            p.put("repeats", m.repeats());
        }
        AtomicFiles.write(probes, (o.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        prune();
        return fresh != null ? csv : probes;
    }

    private void prune() throws IOException {
        List<String> stamps;
        try (Stream<Path> s = Files.list(freshDir)) {
            stamps = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("fresh-") && n.endsWith("-probes.json"))
                    .map(n -> n.substring(0, n.length() - "-probes.json".length()))
                    .sorted().toList();
        }
        for (int i = 0; i < stamps.size() - KEEP_FRESH; i++) {
            Files.deleteIfExists(freshDir.resolve(stamps.get(i) + ".csv"));
            Files.deleteIfExists(freshDir.resolve(stamps.get(i) + "-probes.json"));
        }
    }
}
