package org.pnnedge.bridge;

import java.util.ArrayList;
import java.util.List;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;

import org.pnnedge.bridge.transport.Transport;

/**
 * Opens devices by URI and owns their lifecycle (and the Pi4J context, when it created one): closing the
 * context closes every link it opened. Like Pi4J's own context, one per application. Which transport a URI
 * needs is its scheme's {@link DeviceProvider}'s business; this class names none.
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
        Transport t = address.endpoint().open(this);
        owned.add(t);
        return t;
    }

    /** True when {@link #pi4j()} is Pi4J's auto context (the board's own I/O), not one given to {@link #withPi4j}. */
    public boolean pi4jIsAuto() {
        return ownsPi4j;
    }

    /**
     * The Pi4J context for providers that drive Raspberry Pi I/O: the one given to {@link #withPi4j}, else Pi4J's
     * auto context, created on first use and shut down with this context.
     */
    public synchronized Context pi4j() {
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
