package org.pnnedge.runtime.mqtt;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The link against HiveMQ CE embedded (always available: it is a test dependency). */
class HiveMqLinkTest extends MqttLinkContract {
    @RegisterExtension
    static final HiveMqBroker BROKER = new HiveMqBroker();

    @Override
    TestBroker broker() {
        return BROKER;
    }
}
