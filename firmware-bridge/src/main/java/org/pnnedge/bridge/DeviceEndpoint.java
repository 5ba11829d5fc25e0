package org.pnnedge.bridge;

import org.pnnedge.bridge.transport.Transport;

/** Where one device is, as its {@link DeviceProvider} parsed it from a URI, and how to open a transport to it. */
public interface DeviceEndpoint {
    /** The URI, normalised (defaults filled in where they matter). */
    String uri();

    /**
     * Opens the frame transport. {@code context} offers what several links share (the Pi4J context); it also
     * closes the transport when it closes.
     */
    Transport open(DeviceContext context);
}
