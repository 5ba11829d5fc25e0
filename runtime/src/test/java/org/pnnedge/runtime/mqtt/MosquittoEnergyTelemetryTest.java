package org.pnnedge.runtime.mqtt;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The energy telemetry and Home Assistant discovery against Eclipse Mosquitto; skipped without the binary. */
class MosquittoEnergyTelemetryTest extends EnergyTelemetryContract {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    @Override
    TestBroker broker() {
        return BROKER;
    }
}
