package org.pnnedge.bridge.bench;

import java.util.concurrent.TimeUnit;

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
public class HostLinkShotBenchmark extends LinkShots {
    @Setup(Level.Trial)
    public void open() {
        DeviceInfo info = new EmulatedDevice(BenchRigs.config(PhysicsKind.SHG)).info();
        use(DeviceLink.over(new InProcessTransport(new StubDevice(info), "bench stub device"), LinkOptions.defaults()),
                false);
    }

    @TearDown(Level.Trial)
    public void close() {
        link.close();
    }
}
