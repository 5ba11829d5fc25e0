package org.pnnedge.runtime.jmh;

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
 * Runs the runtime JMH benchmarks ({@link InferenceBenchmark}, {@link ServiceBenchmark}) with JMH's own command
 * line, then prints per benchmark the median and range of the per-fork scores and the median bytes allocated per
 * operation (with {@code -prof gc}) as a Markdown table for BENCHMARKS.md. Used by {@code bench/run-runtime.sh};
 * listing options ({@code -l}, {@code -h}, {@code -lprofs}) go to JMH as is.
 */
public final class RuntimeBench {
    private static final Set<String> JMH_ONLY = Set.of("-h", "-l", "-lp", "-lrf", "-lprofs");

    private RuntimeBench() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.stream(args).anyMatch(JMH_ONLY::contains)) {
            org.openjdk.jmh.Main.main(args);
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
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            throw new RunnerException("JMH failed", e);
        }
        System.out.println();
        System.out.println("Per-fork summary (score of each fork = mean of its measurement iterations):");
        System.out.println();
        System.out.print(table(results));
    }

    static String table(Collection<RunResult> results) {
        StringBuilder s = new StringBuilder();
        s.append("| benchmark | params | forks | median | min | max | unit | B/op (median) |\n");
        s.append("|---|---|---:|---:|---:|---:|---|---:|\n");
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
            String name = rr.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            StringBuilder params = new StringBuilder();
            for (String k : rr.getParams().getParamsKeys()) {
                params.append(params.isEmpty() ? "" : ",").append(k).append('=').append(rr.getParams().getParam(k));
            }
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", name, params,
                    scores.size(), num(median(scores)), num(min(scores)), num(max(scores)), unit,
                    alloc.isEmpty() ? "n/a (no -prof gc)" : num(median(alloc))));
        }
        return s.toString();
    }

    static String num(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static double median(List<Double> xs) {
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
