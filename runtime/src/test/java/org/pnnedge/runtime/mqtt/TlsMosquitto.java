package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.pnnedge.bridge.tls.TestPki;

/**
 * A throw-away PKI made with the {@code openssl} command line plus one Mosquitto with four TLS listeners on
 * free loopback ports, for {@link MqttTlsTest}:
 *
 * <ul>
 *   <li>{@link #passwordPort()}: broker certificate for {@code IP:127.0.0.1, DNS:localhost} signed by the test
 *       CA; clients log in with {@link #USER} / {@link #password()} (when {@code mosquitto_passwd} exists,
 *       otherwise anonymous access is allowed and {@link #passwords()} is false);</li>
 *   <li>{@link #mutualPort()}: same certificate, {@code require_certificate true} and
 *       {@code use_identity_as_username true}: the client certificate is the credential;</li>
 *   <li>{@link #untrustedPort()}: right names, but signed by a different ("rogue") CA;</li>
 *   <li>{@link #wrongNamePort()}: signed by the test CA, but only for {@code DNS:broker.example.invalid}.</li>
 * </ul>
 *
 * All files are PEM in one temp directory, deleted by {@link #close()} after the broker is stopped.
 */
final class TlsMosquitto implements AutoCloseable {
    static final String USER = "pnn-tls";
    static final String CLIENT_CN = "pnn-tls-device";
    static final String WRONG_NAME = TestPki.WRONG_NAME;

    private final Path dir;
    private final Path openssl;
    private final String password;
    private boolean passwords;
    private int passwordPort;
    private int mutualPort;
    private int untrustedPort;
    private int wrongNamePort;
    private Process process;

    private TlsMosquitto(Path dir, Path openssl) {
        this.dir = dir;
        this.openssl = openssl;
        byte[] pw = new byte[12];
        new SecureRandom().nextBytes(pw);
        this.password = HexFormat.of().formatHex(pw);
    }

    /** An executable named {@code name} on PATH or in the usual sbin directories. */
    static Optional<Path> tool(String name) {
        return TestPki.tool(name);
    }

    /**
     * Generates the PKI and starts the broker. The caller has checked that {@code openssl} and
     * {@code mosquitto} exist; {@code mosquitto_passwd} is optional.
     */
    static TlsMosquitto start(Path openssl, Path mosquitto, Optional<Path> mosquittoPasswd) throws Exception {
        TlsMosquitto m = new TlsMosquitto(Files.createTempDirectory("pnn-mosquitto-tls-"), openssl);
        try {
            m.makePki();
            if (mosquittoPasswd.isPresent()) {
                TestPki.run(m.dir, mosquittoPasswd.get().toString(), "-c", "-b", m.file("passwd").toString(), USER,
                        m.password);
                m.passwords = true;
            }
            m.startBroker(mosquitto);
            return m;
        } catch (Exception | Error e) {
            m.close();
            throw e;
        }
    }

    private void makePki() throws Exception {
        TestPki pki = TestPki.empty(openssl, dir);
        // EC P-256 keys (fast to make); one RSA client key, also saved as PKCS#1 "RSA PRIVATE KEY"
        for (String k : List.of("ca", "rogue-ca", "server", "rogue-server", "wrong-name", "client")) {
            pki.key(k);
        }
        pki.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "client-rsa.key");
        pki.openssl("pkey", "-in", "client-rsa.key", "-traditional", "-out", "client-rsa-pkcs1.key");
        pki.openssl("pkey", "-in", "client.key", "-traditional", "-out", "client-sec1.key"); // "EC PRIVATE KEY"

        pki.ca("ca", "/CN=PNN Edge Test CA");
        pki.ca("rogue-ca", "/CN=Rogue Test CA");
        pki.leaf("server", "/CN=127.0.0.1", "ca", "server_ext");
        pki.leaf("rogue-server", "/CN=127.0.0.1", "rogue-ca", "server_ext");
        pki.leaf("wrong-name", "/CN=" + WRONG_NAME, "ca", "wrong_name_ext");
        pki.leaf("client", "/CN=" + CLIENT_CN, "ca", "client_ext");
        pki.leaf("client-rsa", "/CN=" + CLIENT_CN + "-rsa", "ca", "client_ext");
    }

    private void startBroker(Path mosquitto) throws Exception {
        int[] ports = distinctFreePorts(4);
        passwordPort = ports[0];
        mutualPort = ports[1];
        untrustedPort = ports[2];
        wrongNamePort = ports[3];
        String auth = passwords
                ? "allow_anonymous false\npassword_file " + file("passwd")
                : "allow_anonymous true";
        // run as root: 'user' keeps mosquitto from switching to the mosquitto user, which cannot read the temp dir
        Files.writeString(file("mosquitto.conf"), String.join("\n",
                "user " + System.getProperty("user.name"),
                "per_listener_settings false",
                auth,
                "persistence false",
                "log_dest file " + file("mosquitto.log"),
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                listener(passwordPort, "ca", "server"),
                listener(mutualPort, "ca", "server"),
                "require_certificate true",
                "use_identity_as_username true",
                listener(untrustedPort, "rogue-ca", "rogue-server"),
                listener(wrongNamePort, "ca", "wrong-name"),
                ""));
        process = new ProcessBuilder(mosquitto.toString(), "-c", file("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(file("stdout.log").toFile())
                .start();
        for (int port : new int[] {passwordPort, mutualPort, untrustedPort, wrongNamePort}) {
            if (!TestBroker.waitForPort(port, 10_000, true)) {
                throw new IllegalStateException("mosquitto did not open TLS port " + port + ": " + log());
            }
        }
    }

    private static int[] distinctFreePorts(int n) throws IOException {
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            int p;
            do {
                p = TestBroker.freePort();
            } while (contains(ports, i, p));
            ports[i] = p;
        }
        return ports;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    private String listener(int port, String ca, String cert) {
        return String.join("\n",
                "listener " + port + " 127.0.0.1",
                "cafile " + file(ca + ".crt"),
                "certfile " + file(cert + ".crt"),
                "keyfile " + file(cert + ".key"));
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    Path caFile() {
        return file("ca.crt");
    }

    Path rogueCaFile() {
        return file("rogue-ca.crt");
    }

    /** The EC client certificate ({@code CN=pnn-tls-device}) and its PKCS#8 key. */
    Path clientCert() {
        return file("client.crt");
    }

    Path clientKey() {
        return file("client.key");
    }

    /** The RSA client certificate and its key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
    Path clientRsaCert() {
        return file("client-rsa.crt");
    }

    Path clientRsaPkcs1Key() {
        return file("client-rsa-pkcs1.key");
    }

    /** The EC client key in SEC1 form ({@code BEGIN EC PRIVATE KEY}), which the link does not read. */
    Path clientSec1Key() {
        return file("client-sec1.key");
    }

    /** True when the broker checks passwords (mosquitto_passwd was found). */
    boolean passwords() {
        return passwords;
    }

    String password() {
        return password;
    }

    int passwordPort() {
        return passwordPort;
    }

    int mutualPort() {
        return mutualPort;
    }

    int untrustedPort() {
        return untrustedPort;
    }

    int wrongNamePort() {
        return wrongNamePort;
    }

    static String uri(int port) {
        return "ssl://127.0.0.1:" + port;
    }

    String log() {
        StringBuilder s = new StringBuilder();
        for (String f : List.of("mosquitto.log", "stdout.log")) {
            try {
                if (Files.exists(file(f))) {
                    s.append(Files.readString(file(f)));
                }
            } catch (IOException e) {
                s.append(e);
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        org.pnnedge.runtime.demo.EmbeddedBroker.deleteTree(dir);
    }
}
