package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pnnedge.runtime.edge.ControlServerTest.awaitWithin;
import static org.pnnedge.runtime.edge.ControlServerTest.lineWithin;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket's idle bound ({@code control.idle_timeout}): a client that keeps the service waiting is told
 * and disconnected and its slot comes back; a client that keeps asking, or waits for a slow answer, is never cut.
 * No test measures time: each waits for a condition (30 s at most), and "longer than the bound" is witnessed by a
 * second, silent client being cut, never by a clock.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a bound on the plain blocking reads below
class ControlServerIdleTest {
    private static final JsonNode STATUS = ControlServer.MAPPER.createObjectNode().put("op", "status");

    @Test
    void silentClientsAreToldAndDisconnectedAndTheirSlotsComeBack(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        List<SocketChannel> idle = new ArrayList<>();
        try (ControlServer server = ControlServer.start(sock, Duration.ofMillis(300), ControlServerIdleTest::echo)) {
            for (int i = 0; i < ControlServer.MAX_CLIENTS; i++) { // every slot taken
                idle.add(connect(sock));
            }
            for (int i = 0; i < idle.size(); i++) {
                String line = lineWithin(idle.get(i));
                assertTrue(line != null, "client " + i + " was closed without a line");
                JsonNode error = ControlServer.MAPPER.readTree(line).path("error");
                assertEquals("timeout", error.path("kind").asText(), "client " + i + ": " + line);
                assertTrue(error.path("message").asText().contains("control.idle_timeout"), line);
                assertNull(lineWithin(idle.get(i)), "client " + i + " is disconnected after the error line");
            }
            awaitWithin(() -> server.clients() == 0, () -> server.clients() + " clients still hold slots");
            assertEquals(ControlServer.MAX_CLIENTS, server.idleDisconnects());
            // the 17th client gets a slot, not "busy"
            JsonNode answer = ControlServer.request(sock, STATUS, Duration.ofSeconds(30));
            assertEquals("status", answer.path("echo").asText(), answer.toString());
            assertEquals(0, server.refusedConnections());
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
    }

    @Test
    void aClientThatKeepsAskingIsNotCut(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        try (ControlServer server = ControlServer.start(sock, Duration.ofSeconds(2), ControlServerIdleTest::echo);
             SocketChannel active = connect(sock)) {
            BufferedReader in = reader(active);
            OutputStream out = Channels.newOutputStream(active);
            assertEquals("status", ask(in, out, "status"));
            // a witness connected after the active client, sending half a line and then nothing: once it is cut,
            // the active one has been connected longer than the bound
            try (SocketChannel witness = connect(sock)) {
                Channels.newOutputStream(witness).write("{\"op\":\"sta".getBytes(StandardCharsets.UTF_8));
                int asked = 0;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (server.idleDisconnects() == 0) {
                    assertTrue(System.nanoTime() < end, "the silent witness was not cut within 30 s");
                    assertEquals("status", ask(in, out, "status"), "request " + asked);
                    asked++;
                    Thread.sleep(100); // the client's pace (well inside the bound), not a synchronisation
                }
                assertEquals("timeout", ControlServer.MAPPER.readTree(lineWithin(witness)).path("error")
                        .path("kind").asText());
                assertEquals("status", ask(in, out, "status"), "after " + asked + " requests the client still "
                        + "gets answers");
                assertEquals(1, server.idleDisconnects(), "only the silent witness was cut");
            }
        }
    }

    @Test
    void aClientWaitingForASlowAnswerIsNotCut(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ControlServer server = ControlServer.start(sock, Duration.ofSeconds(2), req -> {
            if (req.path("op").asText().equals("slow")) {
                computing.countDown();
                try {
                    assertTrue(release.await(60, TimeUnit.SECONDS), "never released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return echo(req);
        }); SocketChannel waiting = connect(sock)) {
            BufferedReader in = reader(waiting);
            OutputStream out = Channels.newOutputStream(waiting);
            out.write("{\"op\":\"slow\"}\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(computing.await(30, TimeUnit.SECONDS), "the slow request never reached the handler");
            try (SocketChannel witness = connect(sock)) { // cut after the bound, while the answer is computed
                assertEquals("timeout", ControlServer.MAPPER.readTree(lineWithin(witness)).path("error")
                        .path("kind").asText());
            }
            release.countDown();
            assertEquals("slow", ControlServer.MAPPER.readTree(in.readLine()).path("echo").asText());
            assertEquals("status", ask(in, out, "status"), "the connection still serves");
            assertEquals(1, server.idleDisconnects(), "only the silent witness was cut");
        }
    }

    @Test
    void aClientThatTakesNoAnswerIsDisconnected(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        String big = "x".repeat(256 * 1024); // a few answers fill the socket buffer
        try (ControlServer server = ControlServer.start(sock, Duration.ofMillis(300),
                req -> ControlServer.MAPPER.createObjectNode().put("echo", big));
             SocketChannel deaf = connect(sock)) {
            Channels.newOutputStream(deaf).write("{\"op\":\"status\"}\n".repeat(8).getBytes(StandardCharsets.UTF_8));
            awaitWithin(() -> server.idleDisconnects() == 1 && server.clients() == 0,
                    () -> server.idleDisconnects() + " idle disconnects, " + server.clients() + " clients");
        }
    }

    @Test
    void theServiceTakesTheBoundFromItsConfigAndShowsTheCountInStatus(@TempDir Path state) throws Exception {
        try (EdgeService s = EdgeService.start(EdgeServiceTest.config(state, "emulator:shg?seed=1&timing=zero",
                "control.idle_timeout", "PT0.3S")); SocketChannel silent = connect(state.resolve("control.sock"))) {
            JsonNode error = ControlServer.MAPPER.readTree(lineWithin(silent)).path("error");
            assertEquals("timeout", error.path("kind").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("PT0.3S"), error.toString());
            JsonNode control = ControlServer.request(state.resolve("control.sock"), STATUS, Duration.ofSeconds(30))
                    .path("control");
            assertEquals(1, control.path("idle_disconnects").asLong(-1), control.toString());
            assertEquals(0, control.path("refused").asLong(-1), control.toString());
            assertEquals(1, control.path("clients").asLong(-1), "the status request itself: " + control);
            assertEquals(1, s.status().path("control").path("idle_disconnects").asLong(-1), "telemetry's status too");
        }
    }

    @Test
    void closingTheServerDisconnectsTheClientsItWaitsFor(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        ControlServer server = ControlServer.start(sock, Duration.ofSeconds(60), ControlServerIdleTest::echo);
        try (SocketChannel silent = connect(sock)) {
            awaitWithin(() -> server.clients() == 1, () -> server.clients() + " clients");
            server.close();
            assertNull(lineWithin(silent), "closed without a word");
            awaitWithin(() -> server.clients() == 0, () -> server.clients() + " clients after close");
            assertEquals(0, server.idleDisconnects(), "closing is not idleness");
        } finally {
            server.close();
        }
    }

    private static JsonNode echo(JsonNode req) {
        return ControlServer.MAPPER.createObjectNode().put("echo", req.path("op").asText());
    }

    private static SocketChannel connect(Path sock) throws Exception {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(sock));
        return c;
    }

    private static BufferedReader reader(SocketChannel c) {
        return new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
    }

    /** Sends {@code {"op":op}} and returns the answer's echo. */
    private static String ask(BufferedReader in, OutputStream out, String op) throws Exception {
        out.write(("{\"op\":\"" + op + "\"}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line = in.readLine();
        assertTrue(line != null, "the server closed the connection");
        return ControlServer.MAPPER.readTree(line).path("echo").asText();
    }
}
