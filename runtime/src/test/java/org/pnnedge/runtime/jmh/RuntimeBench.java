package org.pnnedge.runtime.jmh;

import org.openjdk.jmh.runner.RunnerException;
import org.pnnedge.bridge.bench.JmhSummary;

/**
 * Runs the runtime JMH benchmarks ({@link InferenceBenchmark}, {@link HearingBenchmark}, {@link ServiceBenchmark})
 * with JMH's own command line, then prints per benchmark the median and range of the per-fork scores and the
 * median bytes allocated per operation (with {@code -prof gc}) as a Markdown table for BENCHMARKS.md. Used by
 * {@code bench/run-runtime.sh}; listing options ({@code -l}, {@code -h}, {@code -lprofs}) go to JMH as is. The JMH run and the table are
 * {@link JmhSummary}'s (firmware-bridge test-jar).
 */
public final class RuntimeBench {
    private RuntimeBench() {
    }

    public static void main(String[] args) throws RunnerException {
        JmhSummary.run(args, JmhSummary.Columns.PLAIN, null);
    }
}
