package org.pnnedge.runtime.recal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.TwinCodec;
import org.pnnedge.runtime.device.DeviceAccess;
import org.pnnedge.runtime.service.OutputCorrection;
import org.tinylog.Logger;

/**
 * Recalibrates a loaded model against drift of its device (see {@code src/site/markdown/recalibration.md}):
 * <ol>
 * <li>measure ({@link RecalMeasurer}, device phases: the lock is held once for sensors and the dark level, once per
 *     reference probe, once per parameter set of fresh random shots in the spare last slot, never a serving
 *     slot);</li>
 * <li>without the lock: drift figures and the per-channel output correction (ridge least squares, validated on
 *     left-out probes); {@link RecalDecision}, a pure function, adopts it when it passes validation and beats the
 *     current one, otherwise keeps the current one, and raises an alarm when neither restores the references;</li>
 * <li>refit the twin, warm-started, within its time budget ({@link TwinRefit});</li>
 * <li>persist: the adopted state atomically, and on an alarm the fresh measurements for an offline trainer
 *     ({@link FreshMeasurements}).</li>
 * </ol>
 * Thread-safe: one run at a time (a second concurrent call fails with {@link IllegalStateException}). The caller
 * installs {@link RecalOutcome#correction()} in its engine.
 */
public final class Recalibrator {
    /** Alarm measurement sets kept in the fresh directory (older ones are deleted). */
    public static final int KEEP_FRESH = 5;

    private final RecalConfig config;
    private final Path stateDir;
    private final Path freshDir;
    private final RecalMeasurer measurer;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicLong runs = new AtomicLong();

    /**
     * @param stateDir where the adopted state and the last report are persisted (null: nothing is persisted)
     * @param freshDir where an alarm writes the fresh measurements (null: {@code stateDir/fresh}, or nowhere when
     *                 stateDir is null too)
     */
    public Recalibrator(RecalConfig config, Path stateDir, Path freshDir) {
        this.config = Objects.requireNonNull(config, "config");
        this.measurer = new RecalMeasurer(config);
        this.stateDir = stateDir;
        this.freshDir = freshDir != null ? freshDir : stateDir == null ? null : stateDir.resolve("fresh");
    }

    /** The twin a recalibration starts from when the service has none of its own: the bundle's (or null). */
    public static TrainableTwin bundleTwin(ModelBundle bundle) {
        return bundle.manifest().twin() == null || bundle.manifest().twin().isNull() ? null
                : TwinCodec.fromJson(bundle.manifest().twin());
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
        List<Probe> probes = bundle.manifest().probes() == null ? List.of() : bundle.manifest().probes();
        // 1. device phases under the lock; nothing below holds it
        RecalMeasurer.Measured m = measurer.measure(device, probes, arch.layers(), run);
        // 2. fit a correction and decide
        Scores s = Scores.of(m, arch, current, config);
        RecalDecision d = RecalDecision.decide(s.fit(), s.before(), s.afterCv(), config);
        OutputCorrection use = d.adopted() ? s.fit().correction() : current;
        // 3. refit the twin
        TwinRefit twin = TwinRefit.refit(currentTwin != null ? currentTwin : bundleTwin(bundle), m.fresh(), m.info(),
                config, run);
        // 4. persist
        String freshPath = d.alarm() ? writeFresh(m, bundle) : null;
        String reason = d.reason() + persistState(bundle, m.info(), use, twin, d.adopted());
        RecalReport report = report(started, t0, bundle, m, s, d, twin, reason, freshPath);
        saveReport(report);
        Logger.info("recalibration of {} {}: {} (pause {} s in {} phases, {} s in all)", report.modelId(),
                report.modelVersion(), reason, "%.3f".formatted(report.pauseSeconds()), report.devicePhases(),
                "%.2f".formatted(report.durationSeconds()));
        return new RecalOutcome(report, use, twin.twin(), s.fit() == null ? null : s.fit().correction());
    }

    /** The probe errors without correction, with the current one and with a new fit (null without probes). */
    private record Scores(CorrectionFit.Score raw, CorrectionFit.Score before, CorrectionFit.Result fit,
                          CorrectionFit.Score afterCv, CorrectionFit.Score afterIn, double[][] channelChange) {
        static Scores of(RecalMeasurer.Measured m, PnnArchitecture arch, OutputCorrection current,
                         RecalConfig config) {
            double maxAdc = m.info().maxAdcCode();
            List<ProbeMeasurement> ms = m.probes();
            int layers = arch.layers();
            OutputCorrection identity = OutputCorrection.identity(layers, arch.outputs());
            CorrectionFit.Score raw = CorrectionFit.score(ms, CorrectionFit.apply(ms, identity, maxAdc), layers, config);
            CorrectionFit.Score before = CorrectionFit.score(ms, CorrectionFit.apply(ms, current, maxAdc), layers,
                    config);
            CorrectionFit.Result fit = ms.isEmpty() ? null
                    : CorrectionFit.fit(ms, layers, arch.outputs(), maxAdc, m.dark(), current, config);
            CorrectionFit.Score afterCv = fit == null ? raw : CorrectionFit.score(ms, fit.crossValidated(), layers,
                    config);
            CorrectionFit.Score afterIn = fit == null ? raw : CorrectionFit.score(ms, fit.inSample(), layers, config);
            return new Scores(raw, before, fit, afterCv, afterIn, Recalibrator.channelChange(ms, layers, arch.outputs()));
        }
    }

    /** The alarm's measurements for an offline trainer; the file written, or null. */
    private String writeFresh(RecalMeasurer.Measured m, ModelBundle bundle) {
        if (freshDir == null) {
            return null;
        }
        try {
            return FreshMeasurements.write(freshDir, m.fresh(), m.probes(), bundle, m.info()).toString();
        } catch (IOException e) {
            Logger.warn(e, "recalibration: cannot write the fresh measurements to {}", freshDir);
            return null;
        }
    }

    /** Saves what changed; returns what to add to the report's reason ("" when all is well). */
    private String persistState(ModelBundle bundle, DeviceInfo info, OutputCorrection use, TwinRefit twin,
                                boolean adopted) {
        if (stateDir == null || !(adopted || twin.updated())) {
            return "";
        }
        try {
            RecalState.of(bundle, info, use, twin.twin()).save(stateDir);
            return "";
        } catch (IOException e) {
            // the correction still serves from memory; the next start falls back to the last saved state
            Logger.error(e, "recalibration: cannot persist the state in {}", stateDir);
            return "; NOT PERSISTED (" + e.getMessage() + ")";
        }
    }

    private RecalReport report(Instant started, long t0, ModelBundle bundle, RecalMeasurer.Measured m, Scores s,
                               RecalDecision d, TwinRefit twin, String reason, String freshPath) {
        double[] gr = gainRange(s.fit() == null ? null : s.fit().correction());
        return new RecalReport(started, Instant.now(), (System.nanoTime() - t0) / 1e9, m.pauseSeconds(),
                m.maxPauseSeconds(), m.phases(), bundle.manifest().modelId(), bundle.manifest().version().toString(),
                m.info().serialHex(), m.probes().size(), config.probeRepeats(),
                m.fresh() == null ? 0 : m.fresh().size(), m.temperature(), m.laserPower(),
                new RecalReport.Drift(s.raw().errors(), s.channelChange(), twin.nrmseFresh(), twin.noiseFloor()),
                s.before().errors(), s.afterCv().errors(), s.afterIn().errors(), gr[0], gr[1], twin.nrmseBefore(),
                twin.nrmseAfter(), twin.updated(), twin.seconds(), d.validated(), d.adopted(), d.alarm(), reason,
                freshPath);
    }

    private void saveReport(RecalReport report) {
        if (stateDir == null) {
            return;
        }
        try {
            RecalState.saveReport(stateDir, report);
        } catch (IOException e) {
            Logger.error(e, "recalibration: cannot write {} in {}", RecalState.REPORT_FILE, stateDir);
        }
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
}
