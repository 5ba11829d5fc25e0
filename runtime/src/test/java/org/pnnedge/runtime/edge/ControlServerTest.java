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

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket: only its owner may connect, and an over-long line is refused without being held whole. */
class ControlServerTest {
    @Test
    void ownerOnlyAndBoundedLines(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("control.sock");
        try (ControlServer server = ControlServer.start(sock, req -> ControlServer.MAPPER.createObjectNode()
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
}
