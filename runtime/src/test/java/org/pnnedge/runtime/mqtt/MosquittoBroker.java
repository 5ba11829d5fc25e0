package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pnnedge.bridge.tls.TestPki;

/**
 * Eclipse Mosquitto started from the {@code mosquitto} binary (PATH, /usr/sbin, /usr/local/sbin) on a free
 * loopback port with a temp config and persistence directory, one per test class. When there is no binary
 * the class's tests are skipped (install it with {@code apt-get install -y mosquitto}).
 */
final class MosquittoBroker implements TestBroker, BeforeAllCallback, AfterAllCallback {
    private final String listenerExtra;
    private final boolean anonymous;
    private Path dir;
    private int port;
    private Process process;

    MosquittoBroker() {
        this("");
    }

    /** @param listenerExtra config lines for the listener (e.g. TLS files); the listener itself is added */
    MosquittoBroker(String listenerExtra) {
        this(listenerExtra, true);
    }

    /** @param anonymous whether clients without a user name may connect (false with a password file) */
    MosquittoBroker(String listenerExtra, boolean anonymous) {
        this.listenerExtra = listenerExtra;
        this.anonymous = anonymous;
    }

    static Optional<Path> binary() {
        return TestPki.tool("mosquitto");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<Path> bin = binary();
        Assumptions.assumeTrue(bin.isPresent(),
                "Mosquitto interop tests skipped: no 'mosquitto' binary on PATH or in /usr/sbin (apt-get install -y mosquitto)");
        dir = Files.createTempDirectory("pnn-mosquitto-");
        port = TestBroker.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), """
                user %s
                per_listener_settings false
                allow_anonymous %s
                persistence true
                persistence_location %s/
                max_queued_messages 10000
                log_dest file %s/mosquitto.log
                log_type error
                log_type warning
                log_type notice
log_type information
                listener %d 127.0.0.1
                %s
                """.formatted(System.getProperty("user.name"), anonymous, dir, dir, port, listenerExtra)); // run as root: stay root
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    Path dir() {
        return dir;
    }

    @Override
    public String name() {
        return "Mosquitto";
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
        Path bin = binary().orElseThrow();
        process = new ProcessBuilder(bin.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        if (!TestBroker.waitForPort(port, 10_000, true)) {
            process.destroyForcibly();
            throw new IllegalStateException("mosquitto did not open port " + port + ": " + log());
        }
    }

    @Override
    public void stop() throws Exception {
        if (process != null) {
            process.destroy(); // SIGTERM: mosquitto saves its persistence file
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
            TestBroker.waitForPort(port, 5_000, false);
        }
    }

    String log() {
        try {
            String a = Files.exists(dir.resolve("mosquitto.log")) ? Files.readString(dir.resolve("mosquitto.log")) : "";
            String b = Files.exists(dir.resolve("stdout.log")) ? Files.readString(dir.resolve("stdout.log")) : "";
            return a + b;
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public String toString() {
        return "Mosquitto log: " + log();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception e) {
            System.err.println("mosquitto stop failed: " + e);
        }
        org.pnnedge.runtime.demo.EmbeddedBroker.deleteTree(dir);
    }
}
