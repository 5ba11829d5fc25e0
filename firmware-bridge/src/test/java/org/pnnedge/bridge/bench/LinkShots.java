package org.pnnedge.bridge.bench;

import java.util.SplittableRandom;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;

/**
 * What the link-level shot benchmarks share (JMH runs the inherited {@code @Benchmark} methods under each
 * subclass's name, mode and unit): 256 random input rows (seed 42) cycled one SHOT per operation.
 * {@link Batched} adds one SHOT_BATCH frame of all 256 rows per invocation.
 */
@State(Scope.Thread)
public abstract class LinkShots {
    DeviceLink link;
    int[][] inputs;
    private int[] out;
    private int next;

    /**
     * Shoots through {@code link}: with {@code loadParams}, random parameters go to slot 0 first (drawn before the
     * inputs from the same generator).
     */
    void use(DeviceLink link, boolean loadParams) {
        this.link = link;
        DeviceInfo info = link.info();
        SplittableRandom r = new SplittableRandom(42);
        if (loadParams) {
            link.loadParams(0, BenchRigs.codes(r, info.params(), info.maxDacCode()));
        }
        inputs = BenchRigs.rows(r, BenchRigs.BATCH, info.inputs(), info.maxDacCode());
        out = new int[info.outputs()];
    }

    /** One SHOT round trip. */
    @Benchmark
    public int[] shot() {
        int[] in = inputs[next];
        next = (next + 1) & (BenchRigs.BATCH - 1);
        link.shot(0, in, out);
        return out;
    }

    /** {@link LinkShots} plus one SHOT_BATCH frame of 256 shots per invocation, reported per shot. */
    public abstract static class Batched extends LinkShots {
        private int[][] batchOut;

        @Override
        void use(DeviceLink link, boolean loadParams) {
            super.use(link, loadParams);
            batchOut = new int[BenchRigs.BATCH][link.info().outputs()];
        }

        /** One SHOT_BATCH frame of 256 shots. */
        @Benchmark
        @OperationsPerInvocation(BenchRigs.BATCH)
        public int[][] shotBatch() {
            link.shotBatch(0, inputs, batchOut);
            return batchOut;
        }
    }
}
