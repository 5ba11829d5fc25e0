package org.pnnedge.runtime.mqtt;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Interop: the same tests against Eclipse Mosquitto; skipped when there is no mosquitto binary. */
class MosquittoLinkTest extends MqttLinkContract {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    @Override
    TestBroker broker() {
        return BROKER;
    }
}
