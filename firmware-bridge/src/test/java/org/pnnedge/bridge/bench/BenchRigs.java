package org.pnnedge.bridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.SplittableRandom;

import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import org.pnnedge.bridge.transport.tcp.TcpTransport;

/** Shared setup of the bridge benchmarks: the emulated device they all talk to, and reproducible codes. */
final class BenchRigs {
    static final long SEED = 1;
    static final int BATCH = 256;

    private BenchRigs() {
    }

    /**
     * The device of {@code emulator:<kind>?seed=1&timing=zero&noise=on}: mismatch, drift and noise on, but
     * answers at once, so the benchmark measures host + firmware + physics work, not the modelled shot time.
     */
    static EmulatorConfig config(PhysicsKind kind) {
        return EmulatorConfig.builder(kind).seed(SEED).noise(true).timing(Timing.ZERO).build();
    }

    static DeviceLink inProcess(EmulatedDevice device) {
        return DeviceLink.over(new InProcessTransport(device, "bench in-process device"), LinkOptions.defaults());
    }

    /** A {@link DeviceServer} on loopback relaying to the in-process device; the caller closes it. */
    static DeviceServer server(EmulatedDevice device) throws IOException {
        return DeviceServer.start(new InProcessTransport(device, "bench served device"),
                InetAddress.getLoopbackAddress(), 0);
    }

    static DeviceLink tcp(DeviceServer server) {
        return DeviceLink.over(new TcpTransport("127.0.0.1", server.port(), Duration.ofSeconds(5),
                Duration.ofSeconds(5)), LinkOptions.defaults());
    }

    /** {@code n} codes uniformly in the middle 80 % of a 12-bit DAC's range (both devices have 12-bit DACs). */
    static int[] codes(SplittableRandom r, int n, int maxCode) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = (int) Math.round(maxCode * (0.1 + 0.8 * r.nextDouble()));
        }
        return c;
    }

    static int[][] rows(SplittableRandom r, int rows, int n, int maxCode) {
        int[][] m = new int[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = codes(r, n, maxCode);
        }
        return m;
    }
}
