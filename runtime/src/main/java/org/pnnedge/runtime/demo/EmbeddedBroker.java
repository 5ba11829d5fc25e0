package org.pnnedge.runtime.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.hivemq.embedded.EmbeddedHiveMQ;

/**
 * HiveMQ CE embedded on a free loopback port in a temporary directory: a real MQTT 5 broker in-process for the
 * demo. HiveMQ is an optional dependency of the runtime (about 100 MB of jars): the Pi distribution leaves it out
 * and uses an external broker.
 */
public final class EmbeddedBroker implements AutoCloseable {
    static final String START_SECONDS_PROPERTY = "pnn.demo.broker_start_seconds";

    private final Path dir;
    private final int port;
    private EmbeddedHiveMQ hive;

    private EmbeddedBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static EmbeddedBroker start() throws Exception {
        Path dir = Files.createTempDirectory("pnn-demo-broker-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
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
        EmbeddedBroker broker = new EmbeddedBroker(dir, port);
        broker.restart();
        return broker;
    }

    /**
     * Starts the broker (again) on the same port and data folder, so persistent sessions survive a
     * {@link #stop()}; returns when the port accepts connections.
     */
    public synchronized void restart() throws Exception {
        if (hive != null) {
            return;
        }
        hive = EmbeddedHiveMQ.builder().withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data")).withExtensionsFolder(dir.resolve("extensions"))
                .withoutLoggingBootstrap().build();
        awaitStart(hive.start(), startSeconds());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        stop();
        throw new IllegalStateException("embedded broker did not open port " + port);
    }

    /**
     * Seconds HiveMQ may take to start: 60, or the system property {@value #START_SECONDS_PROPERTY}. A few seconds
     * on a PC; an arm64 JVM under qemu-user (bench/run-arm64.sh) or a small board can need several minutes.
     */
    static int startSeconds() {
        return Integer.getInteger(START_SECONDS_PROPERTY, 60);
    }

    /** Waits for HiveMQ's start; a timeout is a {@link BrokerStartException} saying how to allow more time. */
    static void awaitStart(Future<Void> started, int seconds) throws Exception {
        try {
            started.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // the broker is left starting: pnn demo exits on the error, and closing would wait for the start
            throw new BrokerStartException("the embedded MQTT broker (HiveMQ CE) did not start within " + seconds
                    + " s; on a slow machine allow more: PNN_JAVA_OPTS=-D" + START_SECONDS_PROPERTY + "=600", e);
        }
    }

    /** Stops the broker, keeping its data folder for {@link #restart()}. */
    public synchronized void stop() throws Exception {
        if (hive != null) {
            hive.stop().get(30, TimeUnit.SECONDS);
            hive.close();
            hive = null;
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception e) {
            // stopping anyway
        }
        deleteTree(dir);
    }

    /** Deletes a temporary directory tree, best effort (what is left behind is in a temp folder anyway). */
    public static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
