package org.pnnedge.bridge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.DeviceStatusException;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.TransportException;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Payloads;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.tls.TestPki;
import org.pnnedge.bridge.tls.TlsFiles;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import org.pnnedge.bridge.transport.tcp.TcpEndpoint;
import org.pnnedge.bridge.transport.tcp.TcpTransport;

/**
 * The device-server attacks of issue 13, rerun: without a client certificate nobody loads parameters, resets the
 * device or changes its laboratory; untrusted certificates on either side are refused; a server refuses at start to
 * listen beyond loopback without authentication, and a host refuses a plain connection beyond loopback.
 */
class DeviceServerSecurityTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        Optional<Path> openssl = TestPki.openssl();
        assumeTrue(openssl.isPresent(), "openssl is needed to make the test certificates");
        pki = TestPki.create(openssl.get(), dir);
    }

    static EmulatedDevice device() {
        return new EmulatedDevice(EmulatorConfig.builder(PhysicsKind.SHG).timing(Timing.ZERO).noise(false).build());
    }

    static DeviceServer tlsServer(EmulatedDevice dev) throws IOException {
        return DeviceServer.start(new InProcessTransport(dev, "tls test device"), InetAddress.getLoopbackAddress(), 0,
                DeviceServer.Limits.defaults(), ServerSecurity.mutualTls(pki.server()));
    }

    static DeviceLink link(DeviceServer server, TlsFiles files) {
        TcpEndpoint e = new TcpEndpoint("127.0.0.1", server.port(), Optional.of(files), true, false);
        return DeviceLink.over(new TcpTransport(e, PATIENCE, PATIENCE), LinkOptions.defaults());
    }

    @Test
    void aHostWithATrustedCertificateDrivesTheDevice() throws Exception {
        EmulatedDevice dev = device();
        try (DeviceServer server = tlsServer(dev); DeviceLink link = link(server, pki.client())) {
            int[] params = new int[link.info().params()];
            Arrays.fill(params, 1000);
            link.loadParams(0, params);
            int[] out = link.shot(0, new int[link.info().inputs()]);
            assertEquals(link.info().outputs(), out.length);
            assertEquals(0, server.authFailures());
        }
    }

    /** Lost answers make the host time out and retry: the TLS stream must survive the read timeouts. */
    @Test
    void timeoutsAndRetriesWorkOverTls() throws Exception {
        EmulatedDevice dev = device();
        dev.setFaults(new org.pnnedge.bridge.emulator.FaultConfig(0, 0.3, 0, 0));
        try (DeviceServer server = tlsServer(dev)) {
            TcpEndpoint e = new TcpEndpoint("127.0.0.1", server.port(), Optional.of(pki.client()), true, false);
            LinkOptions patient = LinkOptions.defaults().withResponseTimeout(Duration.ofMillis(40)).withMaxAttempts(8);
            try (DeviceLink link = DeviceLink.over(new TcpTransport(e, PATIENCE, PATIENCE), patient)) {
                link.loadParams(0, new int[link.info().params()]);
                for (int i = 0; i < 40; i++) {
                    assertEquals(link.info().outputs(), link.shot(0, new int[link.info().inputs()]).length);
                }
                assertTrue(link.stats().timeouts() > 0, "answers were lost and waited for: " + link.stats());
            }
        }
    }

    /** The attack: unauthenticated LOAD_PARAMS of zeros, RESET and LAB_ENVIRONMENT from the network. */
    @Test
    void withoutACertificateNothingReachesTheDevice() throws Exception {
        EmulatedDevice dev = device();
        try (DeviceServer server = tlsServer(dev); DeviceLink owner = link(server, pki.client())) {
            double boots = owner.sensors().get(Sensor.BOOT_COUNT).orElseThrow();
            double ambient = owner.sensors().get(Sensor.AMBIENT_TEMPERATURE).orElseThrow();
            byte[] attack = new byte[3 * FrameCodec.MAX_FRAME];
            int n = 0;
            byte[] f = new byte[FrameCodec.MAX_FRAME];
            int len = FrameCodec.seal(f, Opcode.LOAD_PARAMS.code(), 1, 0,
                    Payloads.writeVector(f, FrameCodec.PAYLOAD_OFFSET, 1, new int[owner.info().params()]));
            System.arraycopy(f, 0, attack, n, len);
            n += len;
            f[FrameCodec.PAYLOAD_OFFSET] = Payloads.LAB_SET_AMBIENT;
            FrameCodec.putI64(f, FrameCodec.PAYLOAD_OFFSET + 1, 100_000);
            FrameCodec.putI64(f, FrameCodec.PAYLOAD_OFFSET + 9, 0);
            len = FrameCodec.seal(f, Opcode.LAB_ENVIRONMENT.code(), 2, 0, Payloads.LAB_BYTES);
            System.arraycopy(f, 0, attack, n, len);
            n += len;
            len = FrameCodec.seal(f, Opcode.RESET.code(), 3, 0, 0);
            System.arraycopy(f, 0, attack, n, len);
            n += len;
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                OutputStream out = s.getOutputStream();
                out.write(attack, 0, n);
                out.flush();
                assertTrue(closedAfterAnyAlert(s), "the plain client is dropped");
            }
            // slot 1 never got the zeros: it is still empty
            DeviceStatusException e = assertThrows(DeviceStatusException.class,
                    () -> owner.shot(1, new int[owner.info().inputs()]));
            assertEquals(Status.SLOT_EMPTY, e.status());
            assertEquals(boots, owner.sensors().get(Sensor.BOOT_COUNT).orElseThrow(), "no reset");
            assertEquals(ambient, owner.sensors().get(Sensor.AMBIENT_TEMPERATURE).orElseThrow(), "no lab change");
            assertTrue(server.authFailures() >= 1, "the refusal is counted");
        }
    }

    /** True when the server closes the connection (after whatever TLS alert it sends) within 5 s. */
    static boolean closedAfterAnyAlert(Socket s) throws IOException {
        s.setSoTimeout(5000);
        try {
            byte[] buf = new byte[256];
            int total = 0;
            while (total < 4096) {
                int n = s.getInputStream().read(buf);
                if (n < 0) {
                    return true;
                }
                total += n;
            }
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        try (DeviceServer server = tlsServer(device())) {
            // TLS 1.3: the server judges the client certificate after the client's side of the handshake is done,
            // so the refusal shows on the first request, as a broken connection
            assertThrows(TransportException.class, () -> link(server, pki.rogueClient()));
            long t0 = System.nanoTime();
            while (server.authFailures() == 0 && System.nanoTime() - t0 < 5_000_000_000L) {
                Thread.sleep(10);
            }
            assertEquals(1, server.authFailures());
        }
    }

    @Test
    void theHostRefusesABridgeItDoesNotTrust() throws Exception {
        EmulatedDevice dev = device();
        try (DeviceServer rogue = DeviceServer.start(new InProcessTransport(dev, "rogue"),
                InetAddress.getLoopbackAddress(), 0, DeviceServer.Limits.defaults(),
                ServerSecurity.mutualTls(pki.files("rogue-server", "rogue-ca")))) {
            assertThrows(TransportException.class, () -> link(rogue, pki.client()));
        }
    }

    @Test
    void beyondLoopbackTheServerNeedsTlsOrTheLoudFlag() throws Exception {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        InProcessTransport t = new InProcessTransport(device(), "test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceServer.start(t, any, 0, DeviceServer.Limits.defaults(), ServerSecurity.loopbackOnly()));
        assertTrue(e.getMessage().contains("without authentication") && e.getMessage().contains("--insecure-no-auth"),
                e.getMessage());
        try (DeviceServer open = DeviceServer.start(t, any, 0, DeviceServer.Limits.defaults(),
                ServerSecurity.unauthenticated())) {
            assertTrue(open.port() > 0);
        }
        try (DeviceServer tls = DeviceServer.start(t, any, 0, DeviceServer.Limits.defaults(),
                ServerSecurity.mutualTls(pki.server()))) {
            assertTrue(tls.port() > 0);
        }
    }

    @Test
    void theHostRefusesAPlainConnectionBeyondLoopback() {
        TransportException e = assertThrows(TransportException.class,
                () -> new TcpTransport("192.0.2.1", 7878, PATIENCE, PATIENCE)); // TEST-NET-1: never dialled
        assertTrue(e.getMessage().contains("insecure_no_auth=on"), e.getMessage());
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        Path key = dir.resolve("open.key");
        Files.copy(pki.server().key(), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        TlsFiles open = new TlsFiles(pki.server().cert(), key, pki.server().ca());
        IOException e = assertThrows(IOException.class, () -> DeviceServer.start(
                new InProcessTransport(device(), "test"), InetAddress.getLoopbackAddress(), 0,
                DeviceServer.Limits.defaults(), ServerSecurity.mutualTls(open)));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }
}
