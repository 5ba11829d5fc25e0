package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The link over real TLS against Mosquitto, with a CA, broker and client certificates that {@code openssl}
 * makes at test time ({@link TlsMosquitto}): server verification with a private CA plus username/password,
 * mutual TLS (EC PKCS#8 and RSA PKCS#1 client keys), a broker certificate from another CA, and hostname
 * verification. Skipped, with a message, when {@code openssl} or {@code mosquitto} is missing (the
 * username/password cases also need {@code mosquitto_passwd}).
 */
class MqttTlsTest {
    /** How long a link that must not connect gets (it retries every 100 … 500 ms meanwhile). */
    private static final Duration REFUSED_WAIT = Duration.ofSeconds(1);

    private static TlsMosquitto broker;

    @TempDir
    Path tmp;
    private final Closer cleanup = new Closer();

    @BeforeAll
    static void startBroker() throws Exception {
        Optional<Path> openssl = TlsMosquitto.tool("openssl");
        assumeTrue(openssl.isPresent(), "MQTT TLS tests skipped: no 'openssl' command on PATH to make the test"
                + " certificates (apt-get install -y openssl)");
        Optional<Path> mosquitto = MosquittoBroker.binary();
        assumeTrue(mosquitto.isPresent(), "MQTT TLS tests skipped: no 'mosquitto' binary on PATH or in /usr/sbin"
                + " (apt-get install -y mosquitto)");
        broker = TlsMosquitto.start(openssl.get(), mosquitto.get(), TlsMosquitto.tool("mosquitto_passwd"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    @AfterEach
    void closeAll() {
        cleanup.close();
    }

    // ---------------------------------------------------------------- (a) server verification + password

    @Test
    void serverVerifiedWithTheCaAndUsernamePassword() throws Exception {
        assumePasswords();
        MqttLink link = started(settings(broker.passwordPort(), "tls-pw")
                .caFile(broker.caFile())
                .username(TlsMosquitto.USER)
                .password(broker.password())
                .build());
        assertTrue(link.settings().tls().orElseThrow().verifyHostname(), "hostname check on by default");
        assertTelemetryArrives(link);
    }

    @Test
    void hostnameVerifiedAgainstTheDnsNameToo() throws Exception {
        InetAddress localhost = InetAddress.getByName("localhost");
        assumeTrue(localhost.getHostAddress().equals("127.0.0.1"), "localhost resolves to " + localhost
                + ", not to the broker's listen address 127.0.0.1");
        MqttSettings s = settings(broker.passwordPort(), "tls-dns")
                .brokerUri("ssl://localhost:" + broker.passwordPort())
                .caFile(broker.caFile())
                .username(TlsMosquitto.USER)
                .password(broker.password())
                .build();
        assertTrue(started(s).isConnected());
    }

    @Test
    void aWrongPasswordIsRefusedOverTls() throws Exception {
        assumePasswords();
        try (LogCapture log = LogCapture.start()) {
            PahoMqttLink link = link(settings(broker.passwordPort(), "tls-badpw")
                    .caFile(broker.caFile())
                    .username(TlsMosquitto.USER)
                    .password("not-" + broker.password())
                    .build());
            assertRefused(link, log, broker.passwordPort());
        }
    }

    // ---------------------------------------------------------------- (b) mutual TLS

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"EC key, PKCS#8", "RSA key, PKCS#1"})
    void mutualTlsWithAClientCertificate(String kind) throws Exception {
        boolean rsa = kind.startsWith("RSA");
        Path cert = rsa ? broker.clientRsaCert() : broker.clientCert();
        Path key = rsa ? broker.clientRsaPkcs1Key() : broker.clientKey();
        assertTrue(Files.readString(key).contains(rsa ? "BEGIN RSA PRIVATE KEY" : "BEGIN PRIVATE KEY"),
                "key format under test: " + kind);
        MqttLink link = started(settings(broker.mutualPort(), rsa ? "tls-mtls-rsa" : "tls-mtls-ec")
                .caFile(broker.caFile())
                .clientCertificate(cert, key) // no username/password: the certificate is the credential
                .build());
        assertTelemetryArrives(link);
        String user = "u'" + TlsMosquitto.CLIENT_CN + (rsa ? "-rsa'" : "'");
        waitFor(() -> broker.log().contains(user), 5, "broker took the certificate's CN as the user name (" + user
                + "): " + broker.log());
    }

    @Test
    void aSec1EcKeyIsRejectedAtCreateWithTheConversionCommand() {
        MqttSettings s = settings(broker.mutualPort(), "tls-sec1")
                .caFile(broker.caFile())
                .clientCertificate(broker.clientCert(), broker.clientSec1Key())
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MqttLink.create(s).close());
        assertTrue(e.getMessage().contains(broker.clientSec1Key().toString())
                && e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
    }

    @Test
    void aMutualTlsListenerRefusesALinkWithoutClientCertificate() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            PahoMqttLink link = link(settings(broker.mutualPort(), "tls-nocert")
                    .caFile(broker.caFile())
                    .username(TlsMosquitto.USER)
                    .password(broker.password())
                    .build());
            assertRefused(link, log, broker.mutualPort());
        }
    }

    // ---------------------------------------------------------------- (c) broker certificate from another CA

    @ParameterizedTest(name = "trusting {0}")
    @ValueSource(strings = {"the test CA", "the JVM default trust store"})
    void aBrokerCertificateNotSignedByTheTrustedCaIsRefused(String trust) throws Exception {
        MqttSettings.Builder b = settings(broker.untrustedPort(), "tls-rogue")
                .username(TlsMosquitto.USER)
                .password(broker.password());
        if (trust.equals("the test CA")) {
            b.caFile(broker.caFile());
        }
        try (LogCapture log = LogCapture.start()) {
            PahoMqttLink link = link(b.build());
            String why = assertRefused(link, log, broker.untrustedPort());
            assertTrue(why.contains("PKIX") || why.contains("certification path"),
                    "the log names the certificate problem: " + why);
        }
    }

    // ---------------------------------------------------------------- (d) hostname verification

    @Test
    void aBrokerCertificateForAnotherNameIsRefusedWhenHostnamesAreVerified() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            PahoMqttLink link = link(settings(broker.wrongNamePort(), "tls-name")
                    .caFile(broker.caFile())
                    .username(TlsMosquitto.USER)
                    .password(broker.password())
                    .build());
            String why = assertRefused(link, log, broker.wrongNamePort());
            assertTrue(why.contains("127.0.0.1") && why.toLowerCase().contains("subject alternative name"),
                    "the log says the certificate does not name 127.0.0.1: " + why);
        }
        // the same certificate is otherwise trusted: without the hostname check the link connects
        MqttLink lax = started(settings(broker.wrongNamePort(), "tls-name-off")
                .caFile(broker.caFile())
                .verifyHostname(false)
                .username(TlsMosquitto.USER)
                .password(broker.password())
                .build());
        assertTrue(lax.isConnected());
    }

    // ---------------------------------------------------------------- helpers

    private static void assumePasswords() {
        assumeTrue(broker.passwords(), "MQTT TLS username/password case skipped: no 'mosquitto_passwd' to make"
                + " the broker's password file (it comes with the mosquitto package)");
    }

    private MqttSettings.Builder settings(int port, String device) {
        String id = device + "-" + UUID.randomUUID().toString().substring(0, 6);
        return MqttSettings.builder()
                .brokerUri(TlsMosquitto.uri(port))
                .deviceId(id)
                .outboxDir(tmp.resolve("outbox-" + id))
                .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500))
                .connectTimeout(Duration.ofSeconds(3))
                .keepAlive(Duration.ofSeconds(5));
    }

    private PahoMqttLink link(MqttSettings s) throws Exception {
        PahoMqttLink link = (PahoMqttLink) MqttLink.create(s);
        cleanup.add(() -> link.close(Duration.ofSeconds(2)));
        link.start();
        return link;
    }

    private MqttLink started(MqttSettings s) throws Exception {
        MqttLink link = link(s);
        assertTrue(link.awaitConnected(Duration.ofSeconds(10)), "link did not connect over TLS to "
                + s.brokerUri() + "; " + broker.log());
        return link;
    }

    /** A second client (plain Paho, CA trusted with the JDK alone) receives the link's telemetry. */
    private void assertTelemetryArrives(MqttLink link) throws Exception {
        TestClient dashboard = tlsSubscriber(broker);
        cleanup.add(dashboard);
        String topic = link.topics().telemetry();
        dashboard.subscribe(topic, 1);
        assertTrue(link.publishTelemetry(TestClient.JSON.createObjectNode().put("inferences_per_s", 42.5)));
        JsonNode j = dashboard.next(topic, 10).json();
        assertEquals(42.5, j.path("inferences_per_s").asDouble(), j.toString());
        assertEquals(link.topics().deviceId(), j.path("device").asText());
        assertEquals(1, j.path("seq").asLong());
        waitFor(() -> link.stats().delivered() == 1 && link.stats().outboxPending() == 0, 5, "PUBACK received");
        assertEquals(1, link.stats().connects());
    }

    /**
     * The link does not connect, nothing is thrown at the caller (telemetry is still queued), the stats say
     * so and the warning log names the broker; returns that log line.
     */
    private static String assertRefused(PahoMqttLink link, LogCapture log, int port) throws Exception {
        assertFalse(link.awaitConnected(REFUSED_WAIT), "link must not connect to " + TlsMosquitto.uri(port));
        assertTrue(link.publishTelemetry(TestClient.JSON.createObjectNode().put("x", 1)), "telemetry still queued");
        LinkStats stats = link.stats();
        assertFalse(stats.connected(), stats.toString());
        assertEquals(0, stats.connects(), stats.toString());
        assertEquals(0, stats.delivered(), stats.toString());
        assertEquals(1, stats.outboxPending(), stats.toString());
        String marker = "cannot connect to " + TlsMosquitto.uri(port);
        waitFor(() -> log.text().contains(marker), 5, "warning '" + marker + "' logged: " + log.text());
        return log.text().lines().filter(l -> l.contains(marker)).findFirst().orElseThrow();
    }

    static void waitFor(BooleanSupplier cond, double seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Tees System.out and System.err (tinylog's console writer looks them up on every entry). */
    private static final class LogCapture implements AutoCloseable {
        private final PrintStream out = System.out;
        private final PrintStream err = System.err;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        static LogCapture start() {
            LogCapture c = new LogCapture();
            System.setOut(c.tee(c.out));
            System.setErr(c.tee(c.err));
            return c;
        }

        private PrintStream tee(PrintStream original) {
            return new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (buf) {
                        buf.write(b);
                    }
                    original.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (buf) {
                        buf.write(b, off, len);
                    }
                    original.write(b, off, len);
                }

                @Override
                public void flush() {
                    original.flush();
                }
            }, true, StandardCharsets.UTF_8);
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A plain Paho MQTT 5 subscriber on the username/password TLS listener, the CA trusted with the JDK alone. */
    private static TestClient tlsSubscriber(TlsMosquitto broker) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(broker.caFile())) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("test-ca", ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);

        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(ctx.getSocketFactory());
        o.setHttpsHostnameVerificationEnabled(true);
        o.setCleanStart(true);
        o.setConnectionTimeout(5);
        if (broker.passwords()) {
            o.setUserName(TlsMosquitto.USER);
            o.setPassword(broker.password().getBytes(StandardCharsets.UTF_8));
        }
        return new TestClient(TlsMosquitto.uri(broker.passwordPort()), "tls-sub-" + UUID.randomUUID(), o);
    }
}
