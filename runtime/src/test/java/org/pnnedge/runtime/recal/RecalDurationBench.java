package org.pnnedge.runtime.recal;

import org.pnnedge.runtime.device.DeviceAccess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.runtime.service.InferenceEngine;

/**
 * Wall-clock harness for the benchmark "recalibration duration": one recalibration of the shipped default bundle
 * (4 probes × 8 repeats, 256 fresh shots, twin refit) on the emulated SHG device after a 10 K warm-up, at timing
 * zero (CPU only) and at realistic timing (20 ms per shot: the device phases dominate). Prints Markdown.
 * <pre>
 *   java -cp runtime/target/test-classes:runtime/target/classes:models/target/classes:\
 *        firmware-bridge/target/classes:runtime/target/lib/* org.pnnedge.runtime.recal.RecalDurationBench \
 *        [--runs 3] [--realistic-runs 2] [--fresh 256] [--skip-realistic]
 * </pre>
 * Run from the repository root (it finds src/dist/models/vowels7.pnnb by walking up). The first run at timing zero
 * is JIT warm-up and is printed but left out of the median.
 */
public final class RecalDurationBench {
    private RecalDurationBench() {
    }

    record Row(String timing, int run, double total, double pause, double maxPause, int phases, double twin,
               int shots, boolean adopted) {
    }

    public static void main(String[] args) throws Exception {
        int runs = 4;
        int realisticRuns = 2;
        int fresh = 256;
        boolean realistic = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--realistic-runs" -> realisticRuns = Integer.parseInt(args[++i]);
                case "--fresh" -> fresh = Integer.parseInt(args[++i]);
                case "--skip-realistic" -> realistic = false;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        ModelBundle bundle = RecalFixtures.defaultBundle();
        RecalConfig cfg = RecalConfig.defaults().withFreshShots(fresh);
        List<Row> rows = new ArrayList<>();
        rows.addAll(measure(bundle, cfg, "emulator:shg?seed=1&timing=zero", "zero", runs));
        if (realistic) {
            rows.addAll(measure(bundle, cfg, "emulator:shg?seed=1&timing=realistic", "realistic (20 ms/shot)",
                    realisticRuns));
        }
        System.out.println();
        System.out.println("| timing | run | recalibration s | inference paused s | longest pause s | device phases "
                + "| twin refit s | device shots | adopted |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %d | %.3f | %d | %s |%n", r.timing(),
                    r.run(), r.total(), r.pause(), r.maxPause(), r.phases(), r.twin(), r.shots(), r.adopted());
        }
        System.out.println();
        summary(rows, "zero", true);
        summary(rows, "realistic (20 ms/shot)", false);
        System.out.printf(Locale.ROOT, "%ncores %d, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }

    private static void summary(List<Row> rows, String timing, boolean skipFirst) {
        double[] t = rows.stream().filter(r -> r.timing().equals(timing) && !(skipFirst && r.run() == 1))
                .mapToDouble(Row::total).sorted().toArray();
        double[] p = rows.stream().filter(r -> r.timing().equals(timing) && !(skipFirst && r.run() == 1))
                .mapToDouble(Row::maxPause).sorted().toArray();
        if (t.length == 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "timing %s: median recalibration %.3f s (range %.3f-%.3f), median longest "
                + "pause %.3f s over %d runs%n", timing, t[t.length / 2], t[0], t[t.length - 1], p[p.length / 2],
                t.length);
    }

    private static List<Row> measure(ModelBundle bundle, RecalConfig cfg, String uri, String timing, int runs)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        try (DeviceContext ctx = DeviceContext.create()) {
            DeviceLink link = ctx.open(uri);
            InferenceEngine engine = new InferenceEngine(link, bundle);
            link.lab().orElseThrow().setAmbientTemperature(32);
            link.lab().orElseThrow().advanceClock(1200);
            Recalibrator recal = new Recalibrator(cfg, null, null);
            int shots = 0;
            for (int run = 1; run <= runs; run++) {
                // each run starts from the identity, so every run does the full work including adoption
                RecalReport r = recal.run(DeviceAccess.unshared(link), bundle,
                        org.pnnedge.runtime.service.OutputCorrection.identity(
                                org.pnnedge.models.pnn.PnnBundles.model(bundle.manifest()).architecture().layers(), 16),
                        null).report();
                shots = r.probeRepeats() * (r.probes() + 1) + r.freshShots() + 4 * Math.ceilDiv(r.freshShots(),
                        cfg.shotsPerSet());
                rows.add(new Row(timing, run, r.durationSeconds(), r.pauseSeconds(), r.maxPauseSeconds(),
                        r.devicePhases(), r.twinFitSeconds(), shots, r.adopted()));
                System.err.printf(Locale.ROOT, "%s run %d: %.3f s%n", timing, run, r.durationSeconds());
                engine.loadParameters();
            }
            System.err.println(Arrays.toString(new int[] {shots}));
        }
        return rows;
    }
}
