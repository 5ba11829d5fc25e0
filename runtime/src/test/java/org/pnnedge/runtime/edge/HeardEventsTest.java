package org.pnnedge.runtime.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** {@link HeardEvents}: the rate bound, what an event carries, what counts where, and the request checks. */
class HeardEventsTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<JsonNode> sent = new ArrayList<>();

    private static ObjectNode answer(String label) {
        return ControlServer.MAPPER.createObjectNode().put("label", label).put("confidence", 0.9);
    }

    @Test
    void aBurstOfTenThenTenASecond() {
        HeardEvents h = new HeardEvents(now::get);
        h.sendTo(e -> sent.add(e));
        for (int i = 0; i < 25; i++) { // a client in a loop, all at one instant
            h.offer(answer("iy"), "loop");
        }
        assertEquals(new HeardEvents.Counts(10, 15, 0), h.counts());
        now.addAndGet(500_000_000L); // half a second: five more
        for (int i = 0; i < 8; i++) {
            h.offer(answer("ae"), "loop");
        }
        assertEquals(new HeardEvents.Counts(15, 18, 0), h.counts());
        now.addAndGet(60_000_000_000L); // a quiet minute refills the burst, no more
        for (int i = 0; i < 12; i++) {
            h.offer(answer("uw"), "loop");
        }
        assertEquals(new HeardEvents.Counts(25, 20, 0), h.counts());
        assertEquals(25, sent.size());
        // speech, a vowel every 300 ms, is never limited
        HeardEvents speech = new HeardEvents(now::get);
        speech.sendTo(e -> true);
        for (int i = 0; i < 200; i++) {
            now.addAndGet(300_000_000L);
            speech.offer(answer("ih"), "listen");
        }
        assertEquals(new HeardEvents.Counts(200, 0, 0), speech.counts());
    }

    @Test
    void anEventIsTheAnswerWithItsSourceAndASequenceNumber() {
        HeardEvents h = new HeardEvents(now::get);
        h.offer(answer("ah"), "listen"); // before MQTT is up: not sent, counted, and its number is used
        h.sendTo(e -> sent.add(e));
        ObjectNode a = answer("aw");
        h.offer(a, null);
        h.sendTo(e -> false); // the link refused it (not connected)
        h.offer(answer("er"), "kitchen");
        assertEquals(new HeardEvents.Counts(1, 0, 2), h.counts());
        JsonNode e = sent.get(0);
        assertEquals("aw", e.path("label").asText());
        assertEquals(0.9, e.path("confidence").asDouble());
        assertEquals("control", e.path("source").asText());
        assertEquals(2, e.path("seq").asLong(), "a consumer sees the gap of the event that was not sent");
        assertTrue(!a.has("seq") && !a.has("source"), "the client's reply is not changed: " + a);
    }

    @Test
    void publishAndSourceAreCheckedByName() throws Exception {
        assertNull(HeardEvents.invalid(json("{\"op\":\"classify\"}")));
        assertNull(HeardEvents.invalid(json("{\"publish\":true,\"source\":\"kitchen-mic.2\"}")));
        assertEquals("\"publish\" must be true or false", HeardEvents.invalid(json("{\"publish\":\"yes\"}")));
        for (String bad : List.of("\"\"", "\"a b\"", "\"" + "x".repeat(65) + "\"", "7", "\"caf\u00e9\"")) {
            assertEquals("\"source\" must be 1-64 letters, digits or . _ : @ -",
                    HeardEvents.invalid(json("{\"publish\":true,\"source\":" + bad + "}")), bad);
        }
    }

    private static JsonNode json(String s) throws Exception {
        return ControlServer.MAPPER.readTree(s);
    }
}
