package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket: only its owner may connect, an over-long line is refused without being held whole, and at most
 * {@link ControlServer#MAX_CLIENTS} clients are served at once.
 */
class ControlServerTest {
    @Test
    void ownerOnlyAndBoundedLines(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        try (ControlServer server = ControlServer.start(sock, Duration.ofSeconds(60), req -> ControlServer.MAPPER.createObjectNode()
                .put("echo", req.path("op").asText()))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(sock));
                OutputStream out = Channels.newOutputStream(c);
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                        StandardCharsets.UTF_8));
                // 8 MB on one line, sent in pieces: the server keeps 64 KiB of it and answers with an error
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                for (int i = 0; i < 128; i++) {
                    out.write(chunk);
                }
                out.write("\n{\"op\":\"status\"}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                JsonNode first = ControlServer.MAPPER.readTree(in.readLine());
                assertTrue(first.path("error").path("message").asText().contains("longer than 65536"), first.toString());
                JsonNode second = ControlServer.MAPPER.readTree(in.readLine());
                assertEquals("status", second.path("echo").asText(), "the connection still serves: " + second);
            }
        }
    }

    @Test
    void atMostSixteenClientsTheNextIsToldBusyAndCounted(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        List<SocketChannel> held = new ArrayList<>();
        try (ControlServer server = ControlServer.start(sock, Duration.ofSeconds(60), req -> ControlServer.MAPPER.createObjectNode()
                .put("echo", req.path("op").asText()))) {
            for (int i = 0; i < ControlServer.MAX_CLIENTS; i++) { // each answered once, then idle: its slot stays taken
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                held.add(c);
                c.connect(UnixDomainSocketAddress.of(sock));
                Channels.newOutputStream(c).write("{\"op\":\"status\"}\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("status", ControlServer.MAPPER.readTree(lineWithin(c)).path("echo").asText(), "client " + i);
            }
            assertEquals(ControlServer.MAX_CLIENTS, server.clients());
            try (SocketChannel extra = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                extra.connect(UnixDomainSocketAddress.of(sock));
                JsonNode busy = ControlServer.MAPPER.readTree(lineWithin(extra));
                assertEquals("busy", busy.path("error").path("kind").asText(), busy.toString());
                assertEquals(null, lineWithin(extra), "the refused connection is closed");
            }
            assertEquals(1, server.refusedConnections());
            held.remove(0).close(); // one leaves: its slot comes back once the server has seen it go
            awaitWithin(() -> server.clients() < ControlServer.MAX_CLIENTS,
                    () -> "the closed client's slot was not given back: " + server.clients() + " clients");
            assertEquals(ControlServer.MAX_CLIENTS - 1, server.clients());
            JsonNode again = ControlServer.request(sock, ControlServer.MAPPER.createObjectNode().put("op", "status"),
                    Duration.ofSeconds(30));
            assertEquals("status", again.path("echo").asText(), again.toString());
            assertEquals(1, server.refusedConnections());
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }

    /** Waits (polling, 30 s at most) until {@code ok}; fails saying what it {@code saw} otherwise. */
    static void awaitWithin(java.util.function.BooleanSupplier ok, java.util.function.Supplier<String> saw)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 30 s: " + saw.get());
            }
            Thread.sleep(10);
        }
    }

    /** One line from {@code c}, null at its end; fails instead of hanging when nothing comes within 30 s. */
    static String lineWithin(SocketChannel c) throws Exception {
        String[] line = new String[1];
        Exception[] failure = new Exception[1];
        Thread t = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                StringBuilder b = new StringBuilder();
                line[0] = ControlServer.readLine(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8),
                        b) == -1 ? null : b.toString();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        t.join(Duration.ofSeconds(30));
        assertTrue(!t.isAlive(), "no line within 30 s");
        if (failure[0] != null) {
            throw failure[0];
        }
        return line[0];
    }
}
