package org.pnnedge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.emulator.EmulatorEndpoint;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.transport.spi.SpiEndpoint;
import org.pnnedge.bridge.transport.tcp.TcpEndpoint;

class DeviceAddressTest {
    @Test
    void spi() {
        DeviceAddress address = DeviceAddress.parse("spi:0.1?baud=8000000&ready=17&reset=27&mode=0&timeout=500&retries=5");
        SpiEndpoint a = assertInstanceOf(SpiEndpoint.class, address.endpoint());
        assertEquals(0, a.config().bus());
        assertEquals(1, a.config().chipSelect());
        assertEquals(8_000_000, a.config().baud());
        assertEquals(17, a.config().readyPin());
        assertEquals(27, a.config().resetPin());
        assertEquals(Duration.ofMillis(500), address.options().responseTimeout());
        assertEquals(6, address.options().maxAttempts());
        assertEquals("spi:0.1?baud=8000000&ready=17&reset=27&mode=0", address.uri());
        SpiEndpoint d = assertInstanceOf(SpiEndpoint.class, DeviceAddress.parse("spi:0.0").endpoint());
        assertEquals(24, d.config().readyPin());
        assertEquals(25, d.config().resetPin());
        assertEquals(10_000_000, d.config().baud());
    }

    @Test
    void anUnknownHostIsSaidToBeOne() {
        // Java's UnknownHostException message is the bare host name; .invalid never resolves (RFC 2606)
        try (DeviceContext c = DeviceContext.create()) {
            TransportException e = assertThrows(TransportException.class, () -> c.open("tcp://nohost.invalid:7878"));
            assertTrue(e.getMessage().endsWith("tcp://nohost.invalid:7878: unknown host nohost.invalid"),
                    e.getMessage());
        }
    }

    @Test
    void tcp() {
        TcpEndpoint t = assertInstanceOf(TcpEndpoint.class, DeviceAddress.parse("TCP://127.0.0.1:7878").endpoint());
        assertEquals("127.0.0.1", t.host());
        assertEquals(7878, t.port());
        assertEquals("::1", ((TcpEndpoint) DeviceAddress.parse("tcp://[::1]:9").endpoint()).host());
        assertEquals(LinkOptions.defaults(), DeviceAddress.parse("tcp://h:1").options());
    }

    @Test
    void emulator() {
        EmulatorEndpoint e = assertInstanceOf(EmulatorEndpoint.class,
                DeviceAddress.parse("emulator:circuit?seed=7&noise=off&mismatch=off&drift=off&timing=zero&corrupt=0.01")
                        .endpoint());
        assertEquals(PhysicsKind.CIRCUIT, e.config().kind());
        assertEquals(7, e.config().seed());
        assertFalse(e.config().noise());
        assertFalse(e.config().mismatch());
        assertFalse(e.config().drift());
        assertEquals(Timing.ZERO, e.config().timing());
        assertEquals(0.01, e.config().faults().corruptByteRate());
        EmulatorEndpoint plain = (EmulatorEndpoint) DeviceAddress.parse("emulator:shg").endpoint();
        assertTrue(plain.config().noise() && plain.config().mismatch() && plain.config().drift());
    }

    @Test
    void tcpUrisCarryMutualTlsFiles() {
        String uri = "tcp://pi.local:7878?tls_cert=/etc/pnn/host.crt&tls_key=/etc/pnn/host.key&tls_ca=/etc/pnn/ca.crt"
                + "&tls_verify_host=off";
        DeviceAddress a = DeviceAddress.parse(uri);
        assertEquals(uri, a.uri());
        assertEquals(uri, DeviceAddress.parse(a.uri()).uri());
        assertEquals("tcp://h:1?insecure_no_auth=on", DeviceAddress.parse("tcp://h:1?insecure_no_auth=yes").uri());
    }

    @Test
    void badUrisNameTheProblem() {
        assertMessage("spi:0", "spi:<bus>.<chip-select>");
        assertMessage("spi:0.0?ready=24&reset=24", "cannot share GPIO 24");
        assertMessage("spi:0.0?baud=fast", "baud must be an integer");
        assertMessage("spi:0.0?speed=1", "unknown parameter 'speed'");
        assertMessage("tcp://localhost", "tcp://host:port");
        assertMessage("tcp://localhost:99999", "1..65535");
        assertMessage("tcp://pi:7878?tls_cert=/c.pem", "needs all of tls_cert, tls_key and tls_ca");
        assertMessage("tcp://pi:7878?tls_verify_host=off", "tls_verify_host needs tls_cert");
        assertMessage("tcp://pi:7878?psk=/k", "unknown parameter 'psk'");
        assertMessage("emulator:laser", "unknown physics 'laser'");
        assertMessage("emulator:shg?noise=maybe", "noise must be on or off");
        assertMessage("emulator:shg?corrupt=2", "probability");
        assertMessage("emulator:shg?seed=1&seed=2", "given twice");
        assertMessage("usb:1", "unknown scheme; use spi:<bus>.<cs>, tcp://host:port or emulator:<shg|circuit>");
        assertMessage("no-scheme", "unknown scheme");
        assertMessage("emulator:shg?timing=soon", "timing must be 'zero' or 'realistic'");
        assertMessage("emulator:shg?timeout=0", "positive");
    }

    private static void assertMessage(String uri, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceAddress.parse(uri));
        assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' should mention '" + fragment + "'");
        assertTrue(e.getMessage().contains(uri), e.getMessage());
    }
}
