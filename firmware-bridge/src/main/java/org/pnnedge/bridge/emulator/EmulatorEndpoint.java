package org.pnnedge.bridge.emulator;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceEndpoint;
import org.pnnedge.bridge.transport.Transport;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;

/** An emulated device in this process ({@code emulator:} URIs); each open builds a fresh device. */
public record EmulatorEndpoint(EmulatorConfig config) implements DeviceEndpoint {
    @Override
    public String uri() {
        return "emulator:" + config.kind().id() + "?seed=" + config.seed();
    }

    @Override
    public Transport open(DeviceContext context) {
        return new InProcessTransport(new EmulatedDevice(config),
                "emulator:" + config.kind().id() + " seed " + config.seed());
    }
}
