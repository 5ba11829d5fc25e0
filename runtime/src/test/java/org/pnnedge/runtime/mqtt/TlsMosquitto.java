package org.pnnedge.runtime.mqtt;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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
    static final String WRONG_NAME = "broker.example.invalid";

    private static final String OPENSSL_CNF = """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = unused
            [ca_ext]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            [server_ext]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = IP:127.0.0.1, DNS:localhost
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [wrong_name_ext]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:%s
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            [client_ext]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = clientAuth
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            """.formatted(WRONG_NAME);

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
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/opt/homebrew/bin",
                "/opt/homebrew/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Optional.of(Path.of(d, name));
            }
        }
        return Optional.empty();
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
                m.run(mosquittoPasswd.get().toString(), "-c", "-b", m.file("passwd").toString(), USER, m.password);
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
        Files.writeString(file("openssl.cnf"), OPENSSL_CNF);
        // EC P-256 keys (fast to make); one RSA client key, also saved as PKCS#1 "RSA PRIVATE KEY"
        for (String k : List.of("ca", "rogue-ca", "server", "rogue-server", "wrong-name", "client")) {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", k + ".key");
        }
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "client-rsa.key");
        openssl("pkey", "-in", "client-rsa.key", "-traditional", "-out", "client-rsa-pkcs1.key");
        openssl("pkey", "-in", "client.key", "-traditional", "-out", "client-sec1.key"); // "EC PRIVATE KEY"

        selfSigned("ca", "/CN=PNN Edge Test CA");
        selfSigned("rogue-ca", "/CN=Rogue Test CA");
        signed("server", "/CN=127.0.0.1", "ca", "server_ext");
        signed("rogue-server", "/CN=127.0.0.1", "rogue-ca", "server_ext");
        signed("wrong-name", "/CN=" + WRONG_NAME, "ca", "wrong_name_ext");
        signed("client", "/CN=" + CLIENT_CN, "ca", "client_ext");
        signed("client-rsa", "/CN=" + CLIENT_CN + "-rsa", "ca", "client_ext");
    }

    private void selfSigned(String name, String subject) throws Exception {
        openssl("req", "-new", "-x509", "-config", "openssl.cnf", "-extensions", "ca_ext", "-key", name + ".key",
                "-subj", subject, "-days", "2", "-sha256", "-out", name + ".crt");
    }

    private void signed(String name, String subject, String ca, String extensions) throws Exception {
        openssl("req", "-new", "-config", "openssl.cnf", "-key", name + ".key", "-subj", subject,
                "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-set_serial", "0x" + HexFormat.of().formatHex(serial()), "-days", "2", "-sha256",
                "-extfile", "openssl.cnf", "-extensions", extensions, "-out", name + ".crt");
    }

    private static byte[] serial() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        b[0] &= 0x7f;
        b[0] |= 0x01;
        return b;
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(openssl.toString());
        cmd.addAll(List.of(args));
        run(cmd.toArray(new String[0]));
    }

    private void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + out);
        }
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
