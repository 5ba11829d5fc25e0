package org.pnnedge.bridge.link;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import org.pnnedge.bridge.transport.tcp.TcpTransport;

/** An emulated device plus a link to it over one transport; closes everything. */
final class Rig implements AutoCloseable {
    enum Kind { IN_PROCESS, TCP }

    final EmulatedDevice device;
    final DeviceLink link;
    private final DeviceServer server;

    private Rig(EmulatedDevice device, DeviceLink link, DeviceServer server) {
        this.device = device;
        this.link = link;
        this.server = server;
    }

    static Rig open(Kind kind, EmulatorConfig config, LinkOptions options) throws IOException {
        EmulatedDevice device = new EmulatedDevice(config);
        InProcessTransport direct = new InProcessTransport(device, "in-process test device");
        if (kind == Kind.IN_PROCESS) {
            return new Rig(device, DeviceLink.over(direct, options), null);
        }
        DeviceServer server = DeviceServer.start(direct, InetAddress.getLoopbackAddress(), 0);
        TcpTransport tcp = new TcpTransport("127.0.0.1", server.port(), Duration.ofSeconds(2), Duration.ofSeconds(2));
        return new Rig(device, DeviceLink.over(tcp, options), server);
    }

    static LinkOptions fastOptions() {
        return new LinkOptions(Duration.ofMillis(60), 6, 2, 3);
    }

    @Override
    public void close() {
        link.close();
        if (server != null) {
            server.close();
        }
    }
}
