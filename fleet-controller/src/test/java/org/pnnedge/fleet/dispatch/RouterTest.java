package org.pnnedge.fleet.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pnnedge.fleet.dispatch.DispatchEvent.Request;

/** The routing rules on a clock of our own: who gets which request, the bounds, and the named errors. */
class RouterTest {
    private static final long S = 1_000_000_000L;

    /** What the router asked for, in order. */
    private final List<String> log = new ArrayList<>();
    private final List<long[]> sends = new ArrayList<>(); // seq per forward, to reply with
    private final List<String> sentTo = new ArrayList<>();

    private Router router(int maxOutstanding, int maxWaiting) {
        Router r = new Router("lab", new Router.Limits(Duration.ofSeconds(5), maxOutstanding, maxWaiting,
                Duration.ofSeconds(30), 2), new Router.Sink() {
            @Override
            public void forward(String device, long seq, Request req) {
                log.add("forward " + device + " " + new String(req.payload()));
                sends.add(new long[] {seq});
                sentTo.add(device);
            }

            @Override
            public void answer(Request req, String device, byte[] payload, String status) {
                log.add("answer " + new String(req.payload()) + " by " + device);
            }

            @Override
            public void fail(Request req, String kind, String message) {
                log.add("fail " + new String(req.payload()) + " " + kind + ": " + message);
            }
        });
        r.devices(Set.of("a", "b", "c"));
        return r;
    }

    private static Request req(String id, long now) {
        return new Request(id.getBytes(), "replies", null, null, now);
    }

    private static Request talkerReq(String id, String talker, long now) {
        return new Request(id.getBytes(), "replies", null, null, now, talker);
    }

    @Test
    void aTalkersWordsGoToTheDeviceThatKeepsItsEstimate() {
        Router r = router(8, 10);
        for (String d : List.of("a", "b", "c")) {
            r.heard(d, 0);
        }
        // kiosk-1's words stay on its first device although the others have fewer requests outstanding
        for (int i = 0; i < 4; i++) {
            r.request(talkerReq("k" + i, "kiosk-1", 0), 0);
            r.request(req("x" + i, 0), 0); // requests without a talker still spread by load
        }
        assertEquals(List.of("a", "b", "a", "c", "a", "b", "a", "c"), sentTo, log.toString());
        assertEquals(1, r.snapshot(0).talkers());
        assertEquals(0, r.snapshot(0).talkersMoved());
        // its home goes offline: the talker moves to another device and stays there
        r.gone("a", 1);
        int before = sentTo.size();
        r.request(talkerReq("k4", "kiosk-1", 1), 1);
        r.request(talkerReq("k5", "kiosk-1", 1), 1);
        String newHome = sentTo.get(sentTo.size() - 1);
        assertTrue(!newHome.equals("a") && sentTo.get(sentTo.size() - 2).equals(newHome), log.toString());
        assertTrue(sentTo.subList(before, sentTo.size()).stream().filter(d -> d.equals("a")).findAny().isEmpty(),
                "nothing to the offline device: " + log);
        assertEquals(1, r.snapshot(1).talkersMoved());
    }

    @Test
    void theTalkerIsReadFromAMeasurementRequest() {
        assertEquals("kiosk-1", DispatchChannel.talker("{\"formantsHz\":[1],\"talker\":\"kiosk-1\"}".getBytes()));
        assertEquals(null, DispatchChannel.talker("{\"features\":[1]}".getBytes()), "none named");
        assertEquals(null, DispatchChannel.talker("{\"talker\":7}".getBytes()), "not a string");
        assertEquals(null, DispatchChannel.talker("not json".getBytes()), "the device names that error");
        assertEquals(null, DispatchChannel.talker(("{\"talker\":\"" + "x".repeat(65) + "\"}").getBytes()),
                "longer than the service accepts");
    }

    @Test
    void aFullHomeDoesNotHoldUpTheTalker() {
        Router r = router(1, 10);
        for (String d : List.of("a", "b")) {
            r.heard(d, 0);
        }
        r.devices(Set.of("a", "b"));
        r.request(talkerReq("k0", "t", 0), 0); // home a, now full
        r.request(talkerReq("k1", "t", 0), 0); // a is full: b takes it and becomes the home
        assertEquals(List.of("a", "b"), sentTo, log.toString());
        assertEquals(1, r.snapshot(0).talkersMoved());
        r.reply("a", sends.get(0)[0], "{}".getBytes(), "ok", 1);
        r.reply("b", sends.get(1)[0], "{}".getBytes(), "ok", 1);
        r.request(talkerReq("k2", "t", 1), 1);
        assertEquals("b", sentTo.get(2), "the talker's home is now b: " + log);
    }

    @Test
    void leastOutstandingThenRoundRobin() {
        Router r = router(8, 10);
        for (String d : List.of("a", "b", "c")) {
            r.heard(d, 0);
        }
        for (int i = 0; i < 6; i++) {
            r.request(req("r" + i, 0), 0);
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), sentTo, log.toString());
        r.reply("b", sends.get(1)[0], "{}".getBytes(), "ok", 1); // b now has 1 outstanding, a and c 2
        r.request(req("r6", 1), 1);
        assertEquals("b", sentTo.get(6), log.toString());
        assertEquals("answer r1 by b", log.get(6));
        // all equal again (2 each): round robin goes on after b
        r.request(req("r7", 1), 1);
        assertEquals("c", sentTo.get(7), log.toString());
    }

    @Test
    void requestsWaitWhenEveryDeviceIsFullAndBeyondTheBoundAreBusy() {
        Router r = router(2, 1);
        for (String d : List.of("a", "b", "c")) {
            r.heard(d, 0);
        }
        for (int i = 0; i < 8; i++) {
            r.request(req("r" + i, 0), 0);
        }
        assertEquals(6, sentTo.size(), "3 devices x 2 outstanding");
        assertEquals(1, r.snapshot(0).waiting());
        assertTrue(log.get(log.size() - 1).startsWith("fail r7 busy: all devices of fleet lab have 2 requests"),
                log.toString());
        r.reply("a", sends.get(0)[0], "{}".getBytes(), "ok", S);
        assertEquals("forward a r6", log.get(log.size() - 1), "the waiting request takes the freed slot");
        assertEquals(0, r.snapshot(S).waiting());
    }

    @Test
    void noDeviceHeardOrHeardTooLongAgoIsNamed() {
        Router r = router(8, 10);
        r.request(req("r0", 0), 0);
        assertTrue(log.get(0).startsWith("fail r0 no_device: no device of fleet lab is online and answering "
                + "(3 devices known, 0 heard within PT30S)"), log.toString());
        r.heard("a", 0);
        r.request(req("r1", 31 * S), 31 * S);
        assertTrue(log.get(1).startsWith("fail r1 no_device"), log.toString());
        assertEquals(Map.of("no_device", 2L), r.snapshot(31 * S).errors());
    }

    @Test
    void aDeviceThatTimesOutIsNamedAndNotUsedUntilHeardAgain() {
        Router r = router(8, 10);
        r.heard("a", 0);
        r.heard("b", 0);
        r.request(req("r0", 0), 0);           // a
        r.tick(4 * S);
        assertEquals(1, log.size(), "not yet");
        r.tick(5 * S);
        assertEquals("fail r0 timeout: device a did not answer within PT5S", log.get(1));
        r.request(req("r1", 6 * S), 6 * S);
        r.request(req("r2", 6 * S), 6 * S);
        assertEquals(List.of("a", "b", "b"), sentTo, "a is suspect after its timeout");
        r.reply("a", sends.get(0)[0], "{}".getBytes(), "ok", 7 * S); // its late answer: counted, usable again
        assertEquals(1, r.snapshot(7 * S).late());
        r.request(req("r3", 7 * S), 7 * S);
        assertEquals("a", sentTo.get(3), log.toString());
    }

    @Test
    void requestsOfADeviceThatGoesOfflineGoToAnotherOrAreNamedLost() {
        Router r = router(8, 10);
        r.heard("a", 0);
        r.heard("b", 0);
        r.request(req("r0", 0), 0); // a
        r.request(req("r1", 0), 0); // b
        r.gone("a", S);
        assertEquals("forward b r0", log.get(2), log.toString());
        assertEquals(1, r.snapshot(S).resent());
        r.gone("b", 2 * S); // r0 had its second send: lost; r1 has no device left
        assertTrue(log.contains("fail r0 device_lost: device b went offline before answering"), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("fail r1 no_device")), log.toString());
        assertEquals(List.of(), r.snapshot(2 * S).usable());
    }

    @Test
    void aReplyFromAnotherDeviceThanTheOneAskedIsNotPassedOn() {
        Router r = router(8, 10);
        r.heard("a", 0);
        r.request(req("r0", 0), 0);
        r.reply("c", sends.get(0)[0], "forged".getBytes(), "ok", S);
        assertEquals(1, r.snapshot(S).late());
        assertEquals(1, r.snapshot(S).inFlight(), "still waiting for a");
        r.reply("a", sends.get(0)[0], "{}".getBytes(), "ok", S);
        assertEquals("answer r0 by a", log.get(log.size() - 1));
    }
}
