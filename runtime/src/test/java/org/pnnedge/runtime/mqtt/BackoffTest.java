package org.pnnedge.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void theWindowDoublesUpToTheMaximum() {
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L), IntStream.range(0, 8)
                .mapToObj(k -> b.window(k).toSeconds()).toList());
        assertEquals(Duration.ofSeconds(60), b.window(62));
        assertEquals(Duration.ofSeconds(60), b.window(Integer.MAX_VALUE));
    }

    @Test
    void delaysAreSpreadOverTheWholeWindow() {
        // 3,000 devices losing their node at once: their first waits cover [0, 1 s], not one instant
        SplittableRandom r = new SplittableRandom(7);
        long[] ms = IntStream.range(0, 3000).mapToLong(i -> b.delay(0, r).toMillis()).sorted().toArray();
        assertTrue(ms[0] >= 0 && ms[ms.length - 1] <= 1000, ms[0] + ".." + ms[ms.length - 1]);
        assertTrue(ms[ms.length / 10] < 200 && ms[ms.length * 9 / 10] > 800,
                "deciles " + ms[ms.length / 10] + ", " + ms[ms.length * 9 / 10]);
        long late = IntStream.range(0, 1000).mapToLong(i -> b.delay(10, r).toMillis()).max().orElseThrow();
        assertTrue(late <= 60_000 && late > 30_000, "attempt 10: up to " + late + " ms");
    }

    @Test
    void aWindowThatCannotBeFollowedIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
