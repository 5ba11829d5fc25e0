package org.pnnedge.runtime.mqtt;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pnnedge.runtime.demo.EmbeddedBroker;

/**
 * HiveMQ CE embedded (the demo's {@link EmbeddedBroker}) on a free loopback port, one per test class:
 * {@code @RegisterExtension static final HiveMqBroker BROKER = new HiveMqBroker();}.
 * File persistence in its temp directory, so persistent sessions survive {@link #stop()} / {@link #start()}.
 */
final class HiveMqBroker implements TestBroker, BeforeAllCallback, AfterAllCallback {
    private EmbeddedBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public String name() {
        return "HiveMQ CE";
    }

    @Override
    public String uri() {
        return broker.uri();
    }

    @Override
    public int port() {
        return broker.port();
    }

    @Override
    public void start() throws Exception {
        long t0 = System.nanoTime();
        if (broker == null) {
            broker = EmbeddedBroker.start();
        } else {
            broker.restart();
        }
        System.out.printf("HiveMQ CE started on %s in %d ms%n", uri(), (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void stop() throws Exception {
        broker.stop();
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
