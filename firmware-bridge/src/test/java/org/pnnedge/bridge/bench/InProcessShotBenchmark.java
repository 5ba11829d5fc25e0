package org.pnnedge.bridge.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
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
public class InProcessShotBenchmark extends LinkShots.Batched {
    @Param({"shg", "circuit"})
    public String kind;

    @Setup(Level.Trial)
    public void open() {
        use(BenchRigs.inProcess(new EmulatedDevice(BenchRigs.config(PhysicsKind.fromId(kind)))), true);
    }

    @TearDown(Level.Trial)
    public void close() {
        link.close();
    }
}
