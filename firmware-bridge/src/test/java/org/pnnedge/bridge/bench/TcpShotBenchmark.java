package org.pnnedge.bridge.bench;

import java.io.IOException;
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
public class TcpShotBenchmark extends LinkShots.Batched {
    @Param({"shg", "circuit"})
    public String kind;

    private DeviceServer server;

    @Setup(Level.Trial)
    public void open() throws IOException {
        server = BenchRigs.server(new EmulatedDevice(BenchRigs.config(PhysicsKind.fromId(kind))));
        use(BenchRigs.tcp(server), true);
    }

    @TearDown(Level.Trial)
    public void close() {
        link.close();
        server.close();
    }
}
