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
            assertEquals(2, o.unreportedDrops());
        }
    }

    /**
     * Issue 13: with outbox.max_messages=20, 26 messages were lost but the telemetry counted 21, because the messages
     * carrying counts were dropped too. Now a dropped message hands its count back: what survives reports exactly
     * what was lost, also across a reopen.
     */
    @Test
    void theReportedDropCountsAddUpToExactlyWhatWasLost() throws Exception {
        int sent = 46;
        try (Outbox o = Outbox.open(dir, 20, 1 << 20)) {
            for (int i = 1; i <= 40; i++) {
                o.addReporting("t", 1, false, n -> b("{\"outbox_dropped\":" + n + "}"));
            }
        }
        try (Outbox o = Outbox.open(dir, 20, 1 << 20)) { // the carried counts survive a restart
            for (int i = 41; i <= sent; i++) {
                o.addReporting("t", 1, false, n -> b("{\"outbox_dropped\":" + n + "}"));
            }
            List<String> left = payloads(o);
            assertEquals(20, left.size());
            long reported = 0;
            for (String p : left) {
                reported += Long.parseLong(p.replaceAll("\\D", ""));
            }
            long lost = sent - left.size();
            assertEquals(26, lost);
            // the queued messages report some, the next message will report the rest: together exactly the loss
            assertEquals(lost, reported + o.unreportedDrops(), "reported " + reported + " + unreported "
                    + o.unreportedDrops());
            // delivering a carrying message settles its count; dropping one hands it back
            Outbox.Message head = o.peek(1, Set.of()).get(0);
            assertTrue(o.remove(head.seq()));
            long delivered = Long.parseLong(new String(head.payload(), StandardCharsets.UTF_8).replaceAll("\\D", ""));
            assertEquals(lost - delivered, reported - delivered + o.unreportedDrops());
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
            assertEquals(1, o.unreportedDrops());
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
