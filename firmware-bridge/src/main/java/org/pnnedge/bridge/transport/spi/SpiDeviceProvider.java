package org.pnnedge.bridge.transport.spi;

import java.time.Duration;

import org.pnnedge.bridge.DeviceProvider;
import org.pnnedge.bridge.UriQuery;

/** The {@code spi:<bus>.<cs>?baud=…&ready=…&reset=…&mode=…&boot_ms=…} scheme: Pi4J SPI and GPIO. */
public final class SpiDeviceProvider implements DeviceProvider {
    @Override
    public String scheme() {
        return "spi";
    }

    @Override
    public String example() {
        return "spi:<bus>.<cs>";
    }

    @Override
    public SpiEndpoint parse(String busCs, UriQuery q) {
        String[] parts = busCs.split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected spi:<bus>.<chip-select>, e.g. spi:0.0");
        }
        SpiLinkConfig.Builder b = SpiLinkConfig.builder().bus(UriQuery.intValue("bus", parts[0]))
                .chipSelect(UriQuery.intValue("chip select", parts[1]));
        q.ifInt("baud", b::baud);
        q.ifInt("ready", b::readyPin);
        q.ifInt("reset", b::resetPin);
        q.ifInt("mode", b::mode);
        q.ifInt("boot_ms", ms -> b.bootWait(Duration.ofMillis(ms)));
        q.requireOnly("baud", "ready", "reset", "mode", "boot_ms");
        return new SpiEndpoint(b.build());
    }
}
