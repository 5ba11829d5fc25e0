package org.pnnedge.bridge.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Shared JMH summary runner of {@link BridgeBench}, {@code org.pnnedge.models.jmh.ModelsBench} and
 * {@code org.pnnedge.runtime.jmh.RuntimeBench} (published to models and runtime in firmware-bridge's test-jar):
 * runs JMH with its own command line (so every JMH option works), then prints per benchmark the median and range
 * of the per-fork scores and the median bytes allocated per operation (when run with {@code -prof gc}) as a
 * Markdown table for BENCHMARKS.md. Listing options ({@code -l}, {@code -h}, {@code -lprofs}, ...) go to JMH as
 * is. Which benchmarks exist comes from the first {@code META-INF/BenchmarkList} on the class path, i.e. the
 * calling module's own test classes (the bench/*.sh scripts put them first).
 */
public final class JmhSummary {
    /** Columns of the summary table. */
    public enum Columns {
        /** benchmark, params, forks, median, min, max, unit, B/op. */
        PLAIN,
        /** as {@link #PLAIN} plus the mode and the score seen per shot (µs per shot or shots/s). */
        WITH_MODE_AND_PER_SHOT
    }

    private static final Set<String> JMH_ONLY = Set.of("-h", "-l", "-lp", "-lrf", "-lprofs");

    private JmhSummary() {
    }

    /**
     * Runs JMH with {@code args} and prints the per-fork summary table, then runs {@code afterTable} (may be
     * {@code null}). Exits the JVM with status 2 on bad JMH options.
     */
    public static void run(String[] args, Columns columns, Runnable afterTable) throws RunnerException {
        if (Arrays.stream(args).anyMatch(JMH_ONLY::contains)) {
            try {
                org.openjdk.jmh.Main.main(args);
            } catch (Exception e) {
                throw new RunnerException("JMH failed", e);
            }
            return;
        }
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bad JMH options: " + e.getMessage());
            System.exit(2);
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println("Per-fork summary (score of each fork = mean of its measurement iterations):");
        System.out.println();
        System.out.print(table(results, columns));
        if (afterTable != null) {
            afterTable.run();
        }
    }

    /** The summary table in Markdown, one row per benchmark and parameter combination. */
    public static String table(Collection<RunResult> results, Columns columns) {
        boolean shots = columns == Columns.WITH_MODE_AND_PER_SHOT;
        StringBuilder s = new StringBuilder();
        if (shots) {
            s.append("| benchmark | params | mode | forks | median | min | max | unit | per shot | B/op (median) |\n");
            s.append("|---|---|---|---:|---:|---:|---:|---|---:|---:|\n");
        } else {
            s.append("| benchmark | params | forks | median | min | max | unit | B/op (median) |\n");
            s.append("|---|---|---:|---:|---:|---:|---|---:|\n");
        }
        for (RunResult rr : results) {
            List<Double> scores = new ArrayList<>();
            List<Double> alloc = new ArrayList<>();
            String unit = "";
            for (BenchmarkResult br : rr.getBenchmarkResults()) {
                Result<?> p = br.getPrimaryResult();
                scores.add(p.getScore());
                unit = p.getScoreUnit();
                Result<?> a = br.getSecondaryResults().get("gc.alloc.rate.norm");
                if (a != null) {
                    alloc.add(a.getScore());
                }
            }
            double med = median(scores);
            String name = rr.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            StringBuilder params = new StringBuilder();
            for (String k : rr.getParams().getParamsKeys()) {
                params.append(params.isEmpty() ? "" : ",").append(k).append('=').append(rr.getParams().getParam(k));
            }
            String allocText = alloc.isEmpty() ? "n/a (no -prof gc)" : num(median(alloc));
            if (shots) {
                s.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s | %s | %s | %s |%n", name,
                        params, rr.getParams().getMode().shortLabel(), scores.size(), num(med), num(min(scores)),
                        num(max(scores)), unit, perShot(med, unit), allocText));
            } else {
                s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", name, params,
                        scores.size(), num(med), num(min(scores)), num(max(scores)), unit, allocText));
            }
        }
        return s.toString();
    }

    /** The other view of a score: µs per shot for a throughput, shots/s for an average time. */
    private static String perShot(double score, String unit) {
        return switch (unit) {
            case "ops/s" -> String.format(Locale.ROOT, "%.2f us", 1e6 / score);
            case "us/op" -> String.format(Locale.ROOT, "%.0f shots/s", 1e6 / score);
            case "ns/op" -> String.format(Locale.ROOT, "%.0f shots/s", 1e9 / score);
            default -> "";
        };
    }

    /** A score with three significant-ish digits: no decimals from 1000, one from 10, else three. */
    public static String num(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** The median of {@code xs}, NaN when empty. */
    public static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        int m = a.length / 2;
        return a.length % 2 == 1 ? a[m] : (a[m - 1] + a[m]) / 2;
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
