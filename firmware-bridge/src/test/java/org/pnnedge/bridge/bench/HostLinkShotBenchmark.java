package org.pnnedge.bridge.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;

/**
 * The host side of a SHOT alone: ProtocolDeviceLink (argument checks, frame, CRC, sequence matching, response
 * CRC check) and the SPI framing of the in-process transport, against {@link StubDevice} (an SHG-shaped echo
 * firmware: 16 inputs, 16 outputs, no physics). What the host spends per shot on top of the wire.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HostLinkShotBenchmark {
    private DeviceLink link;
    private int[][] inputs;
    private int[] out;
    private int next;

    @Setup(Level.Trial)
    public void open() {
        DeviceInfo info = new EmulatedDevice(BenchRigs.config(PhysicsKind.SHG)).info();
        link = DeviceLink.over(new InProcessTransport(new StubDevice(info), "bench stub device"),
                LinkOptions.defaults());
        SplittableRandom r = new SplittableRandom(42);
        inputs = BenchRigs.rows(r, BenchRigs.BATCH, info.inputs(), info.maxDacCode());
        out = new int[info.outputs()];
    }

    @TearDown(Level.Trial)
    public void close() {
        link.close();
    }

    @Benchmark
    public int[] shot() {
        int[] in = inputs[next];
        next = (next + 1) & (BenchRigs.BATCH - 1);
        link.shot(0, in, out);
        return out;
    }
}
