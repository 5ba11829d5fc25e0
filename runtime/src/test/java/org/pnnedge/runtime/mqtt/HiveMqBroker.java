package org.pnnedge.runtime.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.hivemq.embedded.EmbeddedHiveMQ;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * HiveMQ CE embedded on a free loopback port in a temp directory, one per test class:
 * {@code @RegisterExtension static final HiveMqBroker BROKER = new HiveMqBroker();}.
 * File persistence in the temp directory, so persistent sessions survive {@link #stop()} / {@link #start()}.
 */
final class HiveMqBroker implements TestBroker, BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private int port;
    private EmbeddedHiveMQ hive;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("pnn-hivemq-");
        port = TestBroker.freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
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
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() throws Exception {
        long t0 = System.nanoTime();
        hive = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions"))
                .withoutLoggingBootstrap()
                .build();
        hive.start().get(60, TimeUnit.SECONDS);
        if (!TestBroker.waitForPort(port, 10_000, true)) {
            throw new IllegalStateException("HiveMQ did not open port " + port);
        }
        System.out.printf("HiveMQ CE started on %s in %d ms%n", uri(), (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void stop() throws Exception {
        if (hive != null) {
            hive.stop().get(30, TimeUnit.SECONDS);
            hive.close();
            hive = null;
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception e) {
            System.err.println("HiveMQ stop failed: " + e);
        }
        deleteQuietly(dir);
    }

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // temp dir: best effort
        }
    }
}
