package org.pnnedge.bridge.bench;

import java.io.IOException;
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
import org.pnnedge.bridge.server.DeviceServer;

/**
 * Shots per second over TCP on loopback: ProtocolDeviceLink → TcpTransport → {@link DeviceServer} (acceptor,
 * per-client reader and writer virtual threads) → in-process SPI framing → emulated device (timing ZERO, noise
 * on), all in this JVM. {@code shot} is one SHOT round trip per operation; {@code shotBatch} sends SHOT_BATCH
 * frames of 256 shots and is reported in shots/s. With {@code -prof gc} the allocation figure covers every
 * thread of the JVM, i.e. client and bridge together.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TcpShotBenchmark {
    @Param({"shg", "circuit"})
    public String kind;

    private DeviceServer server;
    private DeviceLink link;
    private int[][] inputs;
    private int[] out;
    private int[][] batchOut;
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        server = BenchRigs.server(new EmulatedDevice(BenchRigs.config(PhysicsKind.fromId(kind))));
        link = BenchRigs.tcp(server);
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
        server.close();
    }

    /** One SHOT request/response round trip; shots per second. */
    @Benchmark
    public int[] shot() {
        int[] in = inputs[next];
        next = (next + 1) & (BenchRigs.BATCH - 1);
        link.shot(0, in, out);
        return out;
    }

    /** One SHOT_BATCH frame of 256 shots per invocation; shots per second. */
    @Benchmark
    @OperationsPerInvocation(BenchRigs.BATCH)
    public int[][] shotBatch() {
        link.shotBatch(0, inputs, batchOut);
        return batchOut;
    }
}
