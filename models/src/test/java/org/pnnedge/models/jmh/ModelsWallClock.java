package org.pnnedge.models.jmh;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.pnn.EpochStats;
import org.pnnedge.models.pnn.PhysicalLayers;
import org.pnnedge.models.pnn.PnnArchitecture;
import org.pnnedge.models.pnn.PnnTrainer;
import org.pnnedge.models.pnn.TrainingMode;
import org.pnnedge.models.twin.FittedTwin;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.TwinFitter;

/**
 * Wall-clock harness for the figures that are too long for JMH: twin fit time on 20,000 measurements
 * ({@link TwinFitter#defaults}: 60 epochs, batch 64) and PAT epoch time on the 210-sample vowel set, split into
 * device and digital seconds as {@link EpochStats} reports them (1 layer, batch 8 as {@code pnn train}'s
 * default), with the emulated SHG device at timing zero and at realistic timing (20 ms per shot).
 *
 * <pre>
 *   java -cp test-classes:classes:deps org.pnnedge.models.jmh.ModelsWallClock [--fit-runs 3] [--fit-samples 20000]
 *        [--fit-threads 0] [--runs 3] [--epochs 10] [--realistic-epochs 3] [--skip-fit] [--skip-realistic]
 * </pre>
 * Epoch 1 of every run is JIT warm-up and is left out of the medians (it is printed). Prints Markdown.
 */
public final class ModelsWallClock {
    private ModelsWallClock() {
    }

    public static void main(String[] args) throws Exception {
        int fitRuns = 3;
        int fitSamples = 20_000;
        int runs = 3;
        int epochs = 10;
        int realisticEpochs = 3;
        boolean fit = true;
        boolean realistic = true;
        int[] fitThreads = {0};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fit-runs" -> fitRuns = Integer.parseInt(args[++i]);
                case "--fit-samples" -> fitSamples = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--realistic-epochs" -> realisticEpochs = Integer.parseInt(args[++i]);
                case "--fit-threads" -> fitThreads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                case "--skip-fit" -> fit = false;
                case "--skip-realistic" -> realistic = false;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.out.printf(Locale.ROOT, "JVM %s (%s), %d CPUs available, max heap %d MiB%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        ShgTwin twin;
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(ModelRigs.DEVICE_ZERO)) {
            long t0 = System.nanoTime();
            Characterization c = Characterizer.of(fitSamples, 1).measure(link, d -> { });
            double charSecs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%n### Twin fit (%d measurements, %s)%n%n", c.size(), ModelRigs.DEVICE_ZERO);
            System.out.printf(Locale.ROOT, "characterization at timing zero: %.2f s wall (at realistic timing the "
                    + "device alone would take %d x 20 ms = %.0f s)%n%n", charSecs, c.size(), c.size() * 0.02);
            if (fit) {
                twin = fitTimings(c, fitRuns, fitThreads);
            } else {
                twin = ModelRigs.fittedShgTwin(link, 4000, 20, 1);
            }
        }

        ModelRigs.Vowels v = ModelRigs.vowels210();
        System.out.printf(Locale.ROOT, "%n### Epoch time (%d samples from %s; 1 layer, batch 8)%n%n",
                v.zScored().size(), v.source());
        System.out.println("| device | mode | runs x epochs (after warm-up) | device s/epoch median [min, max] "
                + "| digital s/epoch median [min, max] | total s/epoch median | epoch 1 (warm-up) device / digital s |");
        System.out.println("|---|---|---|---|---|---|---|");
        epochs(ModelRigs.DEVICE_ZERO, TrainingMode.PAT, v.zScored(), twin, runs, epochs);
        epochs(ModelRigs.DEVICE_ZERO, TrainingMode.INSILICO, v.zScored(), twin, runs, epochs);
        if (realistic) {
            epochs(ModelRigs.DEVICE_REALISTIC, TrainingMode.PAT, v.zScored(), twin, 1, realisticEpochs);
        }
    }

    /**
     * Fits {@code runs} times per thread count (0 = all cores), the counts interleaved within a run so that outside
     * load hits them alike; the fitted twins are identical whatever the thread count.
     */
    private static ShgTwin fitTimings(Characterization c, int runs, int[] threadCounts) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("| run | seed | threads | wall s | fitting thread CPU s | process CPU s | cores busy (process CPU "
                + "/ wall) | held-out NRMSE | noise floor |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        double[][] walls = new double[threadCounts.length][runs];
        ShgTwin first = null;
        for (int r = 0; r < runs; r++) {
            long seed = r + 1;
            for (int t = 0; t < threadCounts.length; t++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long proc0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                FittedTwin f = TwinFitter.defaults(seed).withThreads(threadCounts[t])
                        .fit(ShgTwin.initial(), c, false, p -> { });
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                double proc = (os.getProcessCpuTime() - proc0) / 1e9;
                walls[t][r] = wall;
                System.out.printf(Locale.ROOT, "| %d | %d | %s | %.2f | %.2f | %.2f | %.2f | %.4f | %.4f |%n", r + 1,
                        seed, threadLabel(threadCounts[t]), wall, cpu, proc, proc / wall, f.report().nrmse(),
                        f.report().noiseFloor());
                if (first == null) {
                    first = (ShgTwin) f.twin();
                }
            }
        }
        System.out.println();
        for (int t = 0; t < threadCounts.length; t++) {
            System.out.printf(Locale.ROOT, "fit wall time, %s threads: median %.2f s, range [%.2f, %.2f] over %d runs%n",
                    threadLabel(threadCounts[t]), median(walls[t]), min(walls[t]), max(walls[t]), runs);
        }
        return first;
    }

    private static String threadLabel(int n) {
        return n == 0 ? "all (" + Runtime.getRuntime().availableProcessors() + ")" : Integer.toString(n);
    }

    private static void epochs(String uri, TrainingMode mode, Dataset data, TrainableTwin twin, int runs, int epochs) {
        List<Double> device = new ArrayList<>();
        List<Double> digital = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<String> warm = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uri)) {
                PnnArchitecture arch = new PnnArchitecture(1, data.numFeatures(), twin.inputs(), twin.params(),
                        twin.outputs(), PnnArchitecture.spreadChannels(data.numClasses(), twin.outputs()));
                PnnTrainer t = new PnnTrainer(mode, 1, epochs, 8, 0.02, 1.0, r + 1);
                double[] zero = new double[data.numFeatures()];
                double[] one = new double[data.numFeatures()];
                Arrays.fill(one, 1.0);
                PnnTrainer.Result res = t.train(arch, data.labelNames(), zero, one, data.features(), data.labels(),
                        null, null, new PhysicalLayers.OnDevice(link), twin, e -> { });
                for (EpochStats e : res.curve()) {
                    if (e.epoch() == 1 && epochs > 1) {
                        warm.add(String.format(Locale.ROOT, "%.3f / %.3f", e.deviceSeconds(), e.digitalSeconds()));
                        continue;
                    }
                    device.add(e.deviceSeconds());
                    digital.add(e.digitalSeconds());
                    total.add(e.deviceSeconds() + e.digitalSeconds());
                }
            }
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %d x %d | %s | %s | %s | %s |%n", uri, mode, runs, device.size() / runs,
                range(device), range(digital), fmt(median(total)), String.join("; ", warm));
    }

    private static String range(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        return String.format(Locale.ROOT, "%s [%s, %s]", fmt(median(a)), fmt(min(a)), fmt(max(a)));
    }

    private static double median(List<Double> xs) {
        return median(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String fmt(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static double median(double[] v) {
        double[] a = v.clone();
        Arrays.sort(a);
        if (a.length == 0) {
            return Double.NaN;
        }
        int m = a.length / 2;
        return a.length % 2 == 1 ? a[m] : (a[m - 1] + a[m]) / 2;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }
}
