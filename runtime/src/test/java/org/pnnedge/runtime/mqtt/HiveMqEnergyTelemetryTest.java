package org.pnnedge.runtime.mqtt;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The energy telemetry and Home Assistant discovery against HiveMQ CE (embedded). */
class HiveMqEnergyTelemetryTest extends EnergyTelemetryContract {
    @RegisterExtension
    static final HiveMqBroker BROKER = new HiveMqBroker();

    @Override
    TestBroker broker() {
        return BROKER;
    }
}
