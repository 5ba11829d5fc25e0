package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.TestKeys;
import org.pnnedge.runtime.cli.CliTest.Result;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.edge.EdgeService;

/** {@code pnn recalibrate} against a real service started in-process on the emulator (as EdgeServiceTest does). */
class RecalibrateCliTest {
    private static EdgeService start(Path state) throws Exception {
        Map<String, String> m = new HashMap<>(Map.of("device.uri", "emulator:shg?seed=1&timing=zero",
                "state.dir", state.toString(),
                "bundle.initial", Checkout.requireRoot().resolve("src/dist/models/vowels7.pnnb").toString(),
                "bundle.trusted_keys", TestKeys.releaseAndDev().toString(), "bundle.allow_development_keys", "true",
                "recal.interval", "PT0S", "recal.budget", "PT2S")); // only the command recalibrates
        return EdgeService.start(RuntimeConfig.load(null, Map.of(), m));
    }

    /** The lab warms by {@code kelvin} above 22 °C for {@code seconds}: the device drifts. */
    private static void warm(EdgeService s, double kelvin, double seconds) {
        s.link().lab().orElseThrow().setAmbientTemperature(22 + kelvin);
        s.link().lab().orElseThrow().advanceClock(seconds);
    }

    @Test
    void recalibratesTheRunningServiceAndSaysTheCorrectionWasAdopted(@TempDir Path state) throws Exception {
        String socket = state.resolve("control.sock").toString();
        try (EdgeService s = start(state)) {
            warm(s, 10, 1200);
            Result r = CliTest.run("recalibrate", "--socket", socket);
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().startsWith("result         ADOPTED: correction adopted: probe error (rms)"), r.out());
            assertTrue(r.out().contains("model          vowels7 1.0.0 on device "), r.out());
            assertTrue(r.out().matches("(?s).*drift          probe outputs \\d+\\.\\d\\d % rms \\(max .*"), r.out());
            assertTrue(r.out().contains("rms with the new correction (within tolerance"), r.out());
            assertTrue(r.out().contains("phases (longest"), r.out());
            assertEquals("active", s.status().get("correction").asText(), "the service adopted it");
            assertTrue(s.status().has("last_recalibration"), s.status().toString());

            // at once again, found by --state-dir, as JSON: the run just made is not repeated, its report comes back
            Result js = CliTest.run("recalibrate", "--state-dir", state.toString(), "--json");
            assertEquals(0, js.exit(), js.out() + js.err());
            JsonNode a = Json.MAPPER.readTree(js.out());
            assertTrue(a.path("coalesced").asBoolean(), js.out());
            assertTrue(a.path("report").path("adopted").asBoolean(), js.out());
            assertEquals("recalibration", a.path("report").path("type").asText(), js.out());
        }
        // no service: exit 2 with the message pnn status gives
        Result gone = CliTest.run("recalibrate", "--socket", socket);
        Result status = CliTest.run("status", "--socket", socket);
        assertEquals(ErrorHandler.EXIT_USAGE, gone.exit(), gone.out() + gone.err());
        assertTrue(gone.err().contains("no service is running (control socket " + socket), gone.err());
        assertEquals(status.err(), gone.err());
        assertTrue(gone.out().isEmpty(), gone.out());
    }

    /** 80 °C for half an hour is beyond what a per-channel correction restores (recalibration.md): exit 1. */
    @Test
    void anAlarmIsNotAdoptedAndExits1(@TempDir Path state) throws Exception {
        try (EdgeService s = start(state)) {
            warm(s, 58, 1800);
            Result r = CliTest.run("recalibrate", "--state-dir", state.toString());
            assertEquals(1, r.exit(), r.out() + r.err());
            assertTrue(r.out().startsWith("result         ALARM, not adopted: "), r.out());
            assertTrue(r.out().contains("rms with the rejected correction"), r.out());
            assertFalse("active".equals(s.status().get("correction").asText()), s.status().toString());
        }
    }

    /** A service that takes the request and never answers: exit 3 after --timeout, which is parsed like push's. */
    @Test
    void noAnswerWithinTheTimeoutIsExit3(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(sock)); // connections wait in the backlog, unanswered
            Result r = CliTest.run("recalibrate", "--socket", sock.toString(), "--timeout", "300ms");
            assertEquals(ErrorHandler.EXIT_DEVICE, r.exit(), r.out() + r.err());
            assertTrue(r.err().contains("service did not answer within 300 ms (--timeout 300ms)"), r.err());
            assertTrue(r.err().contains("pnn status"), r.err());
        }
        Result zero = CliTest.run("recalibrate", "--socket", sock.toString(), "--timeout", "0s");
        assertEquals(ErrorHandler.EXIT_USAGE, zero.exit(), zero.err());
        assertTrue(zero.err().contains("--timeout must be positive"), zero.err());
    }
}
