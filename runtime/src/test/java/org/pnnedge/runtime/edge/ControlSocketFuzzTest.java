package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.pnnedge.bridge.fuzz.Fuzz;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.config.RuntimeConfig;

/**
 * The running service's control socket on hostile lines: every line gets exactly one JSON answer (a result or an
 * "error"), and the service keeps serving. The requests reach {@link ControlOps}, the handler that MQTT inference
 * requests and commands share after the same Jackson parse, so this also fuzzes the MQTT request JSON.
 */
class ControlSocketFuzzTest {
    private static final String VALID = "{\"op\":\"classify\",\"features\":[0.43,0.35,0.73,0.45,0.37,0.75,0.45,0.35,"
            + "0.74,0.47,0.37,0.74]}";
    private static Path dir;
    private static EdgeService service;
    private static SocketChannel channel;
    private static BufferedReader in;
    private static OutputStream out;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("pnn-controlfuzz");
        RuntimeConfig cfg = RuntimeConfig.load(null, Map.of(), Map.of(
                "device.uri", "emulator:shg?seed=1&timing=zero&noise=off&drift=off",
                "state.dir", dir.resolve("state").toString(),
                "bundle.initial", Checkout.find("src/dist/models/vowels7.pnnb").orElseThrow().toString(),
                "bundle.trusted_keys", Checkout.find("src/dist/keys/pnn-release.pub").orElseThrow().toString(),
                "bundle.allow_development_keys", "true",
                "log.file", ""));
        service = EdgeService.start(cfg);
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(dir.resolve("state").resolve("control.sock")));
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        out = Channels.newOutputStream(channel);
    }

    @AfterContainer
    static void stop() throws IOException {
        channel.close();
        service.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Sends one line (newlines inside it become spaces) and checks the one answer it gets. */
    private static void exchange(byte[] line) {
        byte[] l = line.clone();
        for (int i = 0; i < l.length; i++) {
            l[i] = l[i] == '\n' ? (byte) ' ' : l[i];
        }
        Fuzz.accepted(() -> {
            out.write(Fuzz.concat(l, new byte[] {'\n'}));
            out.flush();
            String answer = in.readLine();
            assertNotNull(answer, "the service closed the socket");
            JsonNode a = ControlServer.MAPPER.readTree(answer);
            assertTrue(a.has("label") || a.has("error") || a.has("ok") || a.has("state"),
                    () -> "neither a result nor an error: " + answer);
            return a;
        });
    }

    @Property
    void randomLinesGetOneAnswer(@ForAll @Size(max = 200) byte[] line) {
        exchange(line);
    }

    @Property
    void mutatedRequestsGetOneAnswer(@ForAll long seed) {
        exchange(Fuzz.mutate(VALID.getBytes(StandardCharsets.UTF_8), seed));
    }

    @Example
    void classifiesOnTheSameConnectionAsHostileLines() throws IOException {
        out.write((VALID + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        JsonNode a = ControlServer.MAPPER.readTree(in.readLine());
        assertTrue(a.has("label"), a.toString());
        assertEquals(-1, a.path("error").asInt(-1));
    }

    @Example
    void regressionSeedsGetOneAnswer() {
        Fuzz.corpus(ControlSocketFuzzTest.class, "control").forEach(ControlSocketFuzzTest::exchange);
    }
}
