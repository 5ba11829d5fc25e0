package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> payloads(Outbox o) {
        return o.peek(1000, Set.of()).stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void fifoWithTopicQosAndRetainKept() throws Exception {
        try (Outbox o = Outbox.open(dir, 10, 1 << 20)) {
            o.add("a/t", 1, false, b("1"));
            o.add("a/s", 0, true, b("2"));
            List<Outbox.Message> m = o.peek(10, Set.of());
            assertEquals(2, m.size());
            assertEquals("a/t", m.get(0).topic());
            assertEquals(1, m.get(0).qos());
            assertTrue(m.get(1).retained());
            assertEquals(List.of("2"), o.peek(10, Set.of(m.get(0).seq())).stream()
                    .map(x -> new String(x.payload(), StandardCharsets.UTF_8)).toList(), "in-flight ones skipped");
            assertTrue(o.remove(m.get(0).seq()));
            assertFalse(o.remove(m.get(0).seq()));
            assertEquals(List.of("2"), payloads(o));
        }
    }

    @Test
    void whenFullTheOldestAreDroppedAndCounted() throws Exception {
        try (Outbox o = Outbox.open(dir, 3, 1 << 20)) {
            for (int i = 1; i <= 5; i++) {
                o.add("t", 1, false, b("m" + i));
            }
            assertEquals(List.of("m3", "m4", "m5"), payloads(o));
            assertEquals(2, o.droppedTotal());
            assertEquals(2, o.takeUnreportedDrops());
            assertEquals(0, o.takeUnreportedDrops());
        }
    }

    @Test
    void theByteBoundAlsoDropsOldestAndOversizedMessagesAreRejected() throws Exception {
        try (Outbox o = Outbox.open(dir, 1000, 2000)) {
            for (int i = 0; i < 10; i++) {
                o.add("t", 1, false, new byte[500]);
            }
            assertTrue(o.bytes() <= 2000, "bytes " + o.bytes());
            assertEquals(3, o.size());
            assertEquals(-1, o.add("t", 1, false, new byte[5000]));
            assertEquals(8, o.droppedTotal());
        }
    }

    @Test
    void survivesAReopenIncludingTheUnreportedDropCount() throws Exception {
        try (Outbox o = Outbox.open(dir, 2, 1 << 20)) {
            o.add("t", 1, false, b("x"));
            o.add("t", 1, false, b("y"));
            o.add("t", 1, false, b("z"));
        }
        Files.writeString(dir.resolve("0000000000000000099.msg.tmp"), "half-written");
        try (Outbox o = Outbox.open(dir, 2, 1 << 20)) {
            assertEquals(List.of("y", "z"), payloads(o));
            assertEquals(1, o.takeUnreportedDrops());
            long seq = o.add("t", 1, false, b("w"));
            assertTrue(seq > 3, "sequence continues after the existing files");
            try (Stream<Path> s = Files.list(dir)) {
                assertFalse(s.anyMatch(p -> p.toString().endsWith(".tmp")), "half-written files removed");
            }
        }
        try (Outbox o = Outbox.open(dir, 1, 1 << 20)) { // a smaller bound on restart drops the oldest
            assertEquals(List.of("w"), payloads(o));
        }
    }

    @Test
    void aCorruptFileIsDroppedNotDelivered() throws Exception {
        try (Outbox o = Outbox.open(dir, 10, 1 << 20)) {
            long a = o.add("t", 1, false, b("good-1"));
            o.add("t", 1, false, b("good-2"));
            Path f = dir.resolve(String.format("%019d.msg", a));
            byte[] bytes = Files.readAllBytes(f);
            bytes[bytes.length - 6] ^= 0x55;
            Files.write(f, bytes);
            assertEquals(List.of("good-2"), payloads(o));
            assertEquals(1, o.droppedTotal());
        }
    }

    @Test
    void encodingRoundTrips() throws Exception {
        byte[] enc = Outbox.encode("pnn/ü/telemetry", 1, true, b("{\"a\":1}"));
        Outbox.Message m = Outbox.decode(7, enc);
        assertEquals("pnn/ü/telemetry", m.topic());
        assertArrayEquals(b("{\"a\":1}"), m.payload());
        assertTrue(m.retained());
    }
}
