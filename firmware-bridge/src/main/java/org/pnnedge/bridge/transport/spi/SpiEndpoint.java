package org.pnnedge.bridge.transport.spi;

import java.nio.file.Path;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceEndpoint;
import org.pnnedge.bridge.transport.Transport;

/** A device on a Raspberry Pi SPI bus with DATA_READY and RESET lines ({@code spi:} URIs). */
public record SpiEndpoint(SpiLinkConfig config) implements DeviceEndpoint {
    @Override
    public String uri() {
        return "spi:%d.%d?baud=%d&ready=%d&reset=%d&mode=%d".formatted(config.bus(), config.chipSelect(),
                config.baud(), config.readyPin(), config.resetPin(), config.mode());
    }

    @Override
    public Transport open(DeviceContext context) {
        if (context.pi4jIsAuto()) {
            // the real board: name a missing /dev node before Pi4J starts (a given context brings its own providers)
            SpiDeviceNodes.require(Path.of("/dev"), config);
        }
        return new Pi4jSpiTransport(context.pi4j(), config);
    }
}
