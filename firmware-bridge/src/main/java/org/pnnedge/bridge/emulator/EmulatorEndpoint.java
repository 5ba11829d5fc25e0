package org.pnnedge.bridge.emulator;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceEndpoint;
import org.pnnedge.bridge.transport.Transport;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;

/** An emulated device in this process ({@code emulator:} URIs); each open builds a fresh device. */
public record EmulatorEndpoint(EmulatorConfig config) implements DeviceEndpoint {
    @Override
    public String uri() {
        return "emulator:" + config.kind().id() + "?seed=" + config.seed() + session("&session=");
    }

    private String session(String prefix) {
        return config.session() == 0 ? "" : prefix + config.session();
    }

    /** How a link names this device in its messages, e.g. {@code emulator:shg seed 1}. */
    public String describe() {
        return "emulator:" + config.kind().id() + " seed " + config.seed() + session(" session ");
    }

    @Override
    public Transport open(DeviceContext context) {
        return new InProcessTransport(new EmulatedDevice(config), describe());
    }
}
