package org.pnnedge.fleet.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** The supervisor's restart rule: back-off doubling from 1 s, and no restart after 5 deaths within a minute. */
class RestartPolicyTest {
    private static final long S = 1_000_000_000L;

    @Test
    void backOffDoublesAndTheSixthDeathWithinAMinuteGivesUp() {
        RestartPolicy p = new RestartPolicy();
        long t = 1_000 * S;
        long[] delays = new long[5];
        for (int i = 0; i < 5; i++) {
            OptionalLong at = p.died(t);
            assertTrue(at.isPresent(), "death " + (i + 1) + " is restarted");
            delays[i] = at.getAsLong() - t;
            t = at.getAsLong() + S; // died one second after its restart
        }
        assertEquals(java.util.List.of(1L, 2L, 4L, 8L, 16L), java.util.Arrays.stream(delays).map(d -> d / S).boxed().toList());
        assertTrue(p.died(t).isEmpty(), "a sixth death within a minute: given up (deaths " + p.recentDeaths() + ")");
    }

    @Test
    void deathsOlderThanAMinuteAreForgotten() {
        RestartPolicy p = new RestartPolicy();
        long t = 0;
        for (int i = 0; i < 20; i++) {
            OptionalLong at = p.died(t);
            assertTrue(at.isPresent(), "a death every 61 s is always restarted (death " + (i + 1) + ")");
            assertEquals(S, at.getAsLong() - t, "and after the first back-off");
            t += 61 * S;
        }
    }
}
