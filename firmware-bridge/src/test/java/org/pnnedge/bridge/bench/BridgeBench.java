package org.pnnedge.bridge.bench;

import org.openjdk.jmh.runner.RunnerException;
import org.pnnedge.bridge.transport.spi.SpiLinkConfig;

/**
 * Runs the bridge benchmarks with JMH's own command line (so every JMH option works) and then prints, per
 * benchmark, the median and range of the per-fork scores and the bytes allocated per operation (when run with
 * {@code -prof gc}), as a Markdown table for BENCHMARKS.md, followed by the SPI wire-time floor.
 * Used by {@code bench/run-bridge.sh}; listing options ({@code -l}, {@code -h}, {@code -lprofs}) go to JMH as is.
 * The JMH run and the table are {@link JmhSummary}'s.
 */
public final class BridgeBench {
    private BridgeBench() {
    }

    public static void main(String[] args) throws RunnerException {
        JmhSummary.run(args, JmhSummary.Columns.WITH_MODE_AND_PER_SHOT, () -> {
            System.out.println();
            System.out.print(SpiWireTime.report(SpiLinkConfig.DEFAULT_BAUD, 16, 16, BenchRigs.BATCH));
        });
    }
}
