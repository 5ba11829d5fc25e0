package org.pnnedge.fleet.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.pnnedge.fleet.rollout.RolloutException.Kind;

/** Who is re-sent the bundle when: back-off, the per-device cap and the send rate, on given instants (no broker). */
class ResendScheduleTest {
    private static final Instant T0 = Instant.parse("2026-12-06T17:00:00Z");

    private static Instant at(long s) {
        return T0.plusSeconds(s);
    }

    @Test
    void intervalsDoubleUpToTheCap() {
        ResendPolicy p = ResendPolicy.DEFAULT;
        assertEquals(List.of(30L, 60L, 120L, 120L, 120L),
                List.of(0, 1, 2, 3, 4).stream().map(k -> p.interval(k).toSeconds()).toList());
        assertEquals(List.of(20L, 40L, 80L, 120L), List.of(0, 1, 2, 3).stream()
                .map(k -> ResendPolicy.after(Duration.ofSeconds(20)).interval(k).toSeconds()).toList());
        // a first interval above the default cap is its own cap
        assertEquals(600, ResendPolicy.after(Duration.ofMinutes(10)).interval(3).toSeconds());
    }

    /** A device that never answers, ticked every second for 10 min: re-sent at 30, 90, 210, 330, 450 s, no more. */
    @Test
    void silentDeviceIsResentWithBackOffAndCapped() {
        ResendSchedule s = new ResendSchedule(ResendPolicy.DEFAULT);
        s.sent("d1", at(0));
        List<Long> when = new ArrayList<>();
        for (long t = 1; t <= 600; t++) {
            if (!s.due(at(t), 1000).isEmpty()) {
                when.add(t);
            }
        }
        assertEquals(List.of(30L, 90L, 210L, 330L, 450L), when);
        assertEquals(5, s.resent());
        assertEquals(1, s.exhausted());
        assertEquals(List.of("d1"), s.expired(at(601), Duration.ofSeconds(600)));
        assertEquals(true, s.isEmpty());
    }

    /** The earlier behaviour (every 30 s until the 5-min timeout) sent 10 bundles; now 4 within the same timeout. */
    @Test
    void fewerSendsWithinTheVerdictTimeout() {
        ResendSchedule s = new ResendSchedule(ResendPolicy.DEFAULT);
        s.sent("d1", at(0));
        for (long t = 1; t <= 300 && s.expired(at(t), Duration.ofMinutes(5)).isEmpty(); t++) {
            s.due(at(t), 1000);
        }
        assertEquals(3, s.resent()); // at 30, 90, 210 s; the next (330 s) is after the timeout
    }

    @Test
    void answeredDevicesAreNotResent() {
        ResendSchedule s = new ResendSchedule(ResendPolicy.DEFAULT);
        s.sent("a", at(0));
        s.sent("b", at(0));
        s.done("a");
        assertEquals(List.of("b"), s.due(at(30), 1000));
        assertEquals(false, s.done("a"));
    }

    /**
     * 1,000 silent devices sent at t=0 under 100 sends/s: at 30 s the bucket (one second's worth) lets 100 go, then
     * 100 a second in first-due order; each device still gets its own back-off from its own last send.
     */
    @Test
    void rateSpreadsTheResendsOfAStage() {
        ResendPolicy p = new ResendPolicy(Duration.ofSeconds(30), Duration.ofMinutes(2), 5, 100);
        ResendSchedule s = new ResendSchedule(p);
        SendRate rate = new SendRate(p.sendsPerSecond(), 0);
        for (int i = 0; i < 1000; i++) {
            s.sent(String.format("d%04d", i), at(0));
        }
        rate.take(rate.available(0)); // the first sends used the bucket
        Map<Long, Integer> perSecond = new TreeMap<>();
        Map<String, Long> firstResend = new TreeMap<>();
        for (long t = 1; t <= 45; t++) {
            long nanos = t * 1_000_000_000L;
            List<String> d = s.due(at(t), rate.available(nanos));
            rate.take(d.size());
            if (!d.isEmpty()) {
                perSecond.put(t, d.size());
            }
            final long tt = t;
            d.forEach(x -> firstResend.putIfAbsent(x, tt));
        }
        Map<Long, Integer> expected = new TreeMap<>();
        for (long t = 30; t <= 39; t++) {
            expected.put(t, 100);
        }
        assertEquals(expected, perSecond);
        assertEquals(30L, firstResend.get("d0000"));
        assertEquals(39L, firstResend.get("d0999"));
        // d0999, re-sent at 39 s, is next due at 39 + 60 s, not at the stage's 90 s
        assertEquals(List.of(), s.due(at(98), 10_000).stream().filter("d0999"::equals).toList());
        assertEquals(true, s.due(at(99), 10_000).contains("d0999"));
    }

    @Test
    void bucketRefillsAtTheRateAndHoldsOneSecond() {
        SendRate r = new SendRate(200, 0);
        assertEquals(200, r.available(0));
        r.take(200);
        assertEquals(0, r.available(0));
        assertEquals(5_000_000, r.nanosUntilOne(0));
        assertEquals(100, r.available(500_000_000L));
        assertEquals(200, r.available(10_000_000_000L)); // not more than one second's worth after a long pause
    }

    @Test
    void badPoliciesAreNamed() {
        assertEquals(Kind.BAD_OPTION, assertThrows(RolloutException.class,
                () -> new ResendPolicy(Duration.ofSeconds(30), Duration.ofSeconds(10), 5, 200).check()).kind());
        assertEquals("bad-option: --max-resends must be 0..100, got 101", assertThrows(RolloutException.class,
                () -> new ResendPolicy(Duration.ofSeconds(30), Duration.ofMinutes(2), 101, 200).check()).getMessage());
        assertEquals("bad-option: --max-send-rate must be 1..100000 bundles per second, got 0",
                assertThrows(RolloutException.class, () -> new ResendPolicy(Duration.ofSeconds(30),
                        Duration.ofMinutes(2), 5, 0).check()).getMessage());
        assertEquals("bad-option: --max-in-flight must be 1..1000000 devices, got 0",
                assertThrows(RolloutException.class, () -> new ResendPolicy(Duration.ofSeconds(30),
                        Duration.ofMinutes(2), 5, 200, 0).check()).getMessage());
        assertEquals(ResendPolicy.DEFAULT_IN_FLIGHT, ResendPolicy.after(Duration.ofSeconds(10)).maxInFlight());
    }
}
