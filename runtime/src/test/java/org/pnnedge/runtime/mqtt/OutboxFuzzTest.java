package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.pnnedge.bridge.fuzz.Fuzz;

/**
 * The disk outbox on corrupted files: decoding refuses with IOException only, and a startup over a directory with
 * corrupt, truncated and stray files neither fails nor loses a good message (the corrupt ones are dropped and counted).
 */
class OutboxFuzzTest {
    private static final byte[] GOOD = Outbox.encode("pnn/dev/telemetry", 1, false,
            "{\"t\":1.5,\"label\":\"iy\"}".getBytes(StandardCharsets.UTF_8));

    /** Decodes; an accepted message must be one encode could have written. */
    private static void decode(byte[] file) throws IOException {
        if (Fuzz.accepted(() -> Outbox.decode(7, file), IOException.class) instanceof Outbox.Message m) {
            assertTrue(m.qos() >= 0 && m.qos() <= 2, "decoded QoS " + m.qos());
            // the reader takes any non-zero retained byte as true and a topic's invalid UTF-8 as U+FFFD, so the
            // file need not re-encode byte for byte; the payload must
            assertArrayEquals(m.payload(), Outbox.decode(7, Outbox.encode(m.topic(), m.qos(), m.retained(),
                    m.payload())).payload());
        }
    }

    /** The bytes with their last 4 set to the CRC-32C of the rest, so a mutation gets past the CRC check. */
    private static byte[] withValidCrc(byte[] b) {
        if (b.length < 4) {
            return b;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    @Property
    void randomFilesAreRefused(@ForAll @Size(max = 100) byte[] bytes) throws IOException {
        decode(bytes);
        decode(withValidCrc(bytes.clone()));
    }

    @Property
    void mutatedFilesAreDecodedOrRefused(@ForAll long seed) throws IOException {
        byte[] m = Fuzz.mutate(GOOD, seed);
        decode(m);
        decode(withValidCrc(m));
    }

    @Property
    void startupOverCorruptFilesKeepsEveryGoodMessage(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        Path dir = Files.createTempDirectory("pnn-outboxfuzz");
        try {
            List<String> good = new ArrayList<>();
            for (int seq = 1; seq <= 12; seq++) {
                String name = String.format("%019d.msg", seq);
                if (r.nextBoolean()) {
                    String topic = "pnn/dev/t" + seq;
                    good.add(topic);
                    Files.write(dir.resolve(name), Outbox.encode(topic, r.nextInt(3), r.nextBoolean(), new byte[seq]));
                } else {
                    byte[] bad = Fuzz.mutate(GOOD, r.nextLong());
                    bad = r.nextBoolean() ? withValidCrc(bad) : bad;
                    Files.write(dir.resolve(name), bad);
                    try {
                        good.add(Outbox.decode(seq, bad).topic()); // a mutation that is still a well-formed message
                    } catch (IOException | RuntimeException e) {
                        // corrupt: to be dropped at startup
                    }
                }
            }
            byte[] junk = new byte[r.nextInt(20)];
            r.nextBytes(junk);
            Files.write(dir.resolve("dropped"), junk); // the drop counter, garbled
            Files.write(dir.resolve("x" + r.nextInt(100) + ".msg"), junk); // a stray name
            Files.write(dir.resolve(String.format("%019d.msg.tmp", 13)), junk); // an interrupted write
            Outbox o = Fuzz.accepted(() -> Outbox.open(dir, 1000, 1 << 20)) instanceof Outbox opened ? opened : null;
            try {
                List<String> read = o.peek(100, Set.of()).stream().map(Outbox.Message::topic).toList();
                assertEquals(good, read, "the good messages, in order, after a startup over corrupt files");
                assertEquals(good.size(), o.size(), "the corrupt ones are dropped");
            } finally {
                o.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Example
    void regressionSeedsAreRefused() throws IOException {
        for (byte[] seed : Fuzz.corpus(OutboxFuzzTest.class, "outbox")) {
            decode(seed);
        }
    }
}
