package org.pnnedge.bridge.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;

/**
 * Host-side cost of one SHOT over the in-process transport: {@link DeviceLink#shot(int, int[], int[])} →
 * ProtocolDeviceLink (frame, CRC, sequence matching) → SPI framing (one request transfer, header read, body
 * read) → emulated firmware (CRC check, dispatch, world clock) → physics (mismatch, drift, noise on) and back.
 * Timing ZERO: the device answers at once, so this is pure CPU work. Subtract {@link PhysicsShotBenchmark} to
 * get the host + protocol + firmware overhead. {@code shotBatch} is the same per shot, 256 shots per frame.
 * Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per shot (target: 0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InProcessShotBenchmark {
    @Param({"shg", "circuit"})
    public String kind;

    private EmulatedDevice device;
    private DeviceLink link;
    private int[][] inputs;
    private int[] out;
    private int[][] batchOut;
    private int next;

    @Setup(Level.Trial)
    public void open() {
        device = new EmulatedDevice(BenchRigs.config(PhysicsKind.fromId(kind)));
        link = BenchRigs.inProcess(device);
        DeviceInfo info = link.info();
        SplittableRandom r = new SplittableRandom(42);
        link.loadParams(0, BenchRigs.codes(r, info.params(), info.maxDacCode()));
        inputs = BenchRigs.rows(r, BenchRigs.BATCH, info.inputs(), info.maxDacCode());
        out = new int[info.outputs()];
        batchOut = new int[BenchRigs.BATCH][info.outputs()];
    }

    @TearDown(Level.Trial)
    public void close() {
        link.close();
    }

    /** One SHOT round trip; average time per shot. */
    @Benchmark
    public int[] shot() {
        int[] in = inputs[next];
        next = (next + 1) & (BenchRigs.BATCH - 1);
        link.shot(0, in, out);
        return out;
    }

    /** One SHOT_BATCH frame of 256 shots; reported per shot. */
    @Benchmark
    @OperationsPerInvocation(BenchRigs.BATCH)
    public int[][] shotBatch() {
        link.shotBatch(0, inputs, batchOut);
        return batchOut;
    }
}
