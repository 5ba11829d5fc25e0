package org.pnnedge.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;

import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.internal.ProtocolDeviceLink;
import org.pnnedge.bridge.transport.Transport;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import org.pnnedge.bridge.transport.spi.Pi4jSpiTransport;
import org.pnnedge.bridge.transport.tcp.TcpTransport;

/**
 * Opens devices by URI and owns their lifecycle (and the Pi4J context, when it created one): closing the
 * context closes every link it opened. Like Pi4J's own context, one per application.
 */
public final class DeviceContext implements AutoCloseable {
    private final List<AutoCloseable> owned = new ArrayList<>();
    private Context pi4j;
    private final boolean ownsPi4j;
    private boolean closed;

    private DeviceContext(Context pi4j, boolean ownsPi4j) {
        this.pi4j = pi4j;
        this.ownsPi4j = ownsPi4j;
    }

    /** A context that creates Pi4J's auto context (Raspberry Pi providers) the first time an spi: URI is opened. */
    public static DeviceContext create() {
        return new DeviceContext(null, true);
    }

    /** A context that uses the given Pi4J context for spi: URIs (e.g. one with mock or emulator providers). */
    public static DeviceContext withPi4j(Context pi4j) {
        return new DeviceContext(pi4j, false);
    }

    public DeviceLink open(String uri) {
        return open(DeviceAddress.parse(uri));
    }

    public synchronized DeviceLink open(DeviceAddress address) {
        Transport t = openTransport(address);
        DeviceLink link = new ProtocolDeviceLink(t, address.options());
        owned.add(link);
        return link;
    }

    /**
     * The raw frame transport for an address, for bridges that relay frames ({@code pnn device serve}).
     * The context closes it on close.
     */
    public synchronized Transport openTransport(DeviceAddress address) {
        if (closed) {
            throw new IllegalStateException("device context is closed");
        }
        Transport t = switch (address) {
            case DeviceAddress.Spi spi -> new Pi4jSpiTransport(pi4j(), spi.config());
            case DeviceAddress.Tcp tcp -> new TcpTransport(tcp.host(), tcp.port(), Duration.ofSeconds(5),
                    Duration.ofSeconds(5));
            case DeviceAddress.Emulator emu -> new InProcessTransport(new EmulatedDevice(emu.config()),
                    "emulator:" + emu.config().kind().id() + " seed " + emu.config().seed());
        };
        owned.add(t);
        return t;
    }

    private Context pi4j() {
        if (pi4j == null) {
            try {
                pi4j = Pi4J.newAutoContext();
            } catch (RuntimeException e) {
                throw new TransportException("cannot start Pi4J: " + e.getMessage(), e);
            }
        }
        return pi4j;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        owned.clear();
        if (ownsPi4j && pi4j != null) {
            try {
                pi4j.shutdown();
            } catch (RuntimeException e) {
                // shutting down anyway
            }
        }
    }
}
