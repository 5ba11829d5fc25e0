package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

class HeardVowelsTest {

    private static HeardVowels small(Path wavDir) {
        return HeardVowels.builder().groups(EnumSet.of(TalkerGroup.MEN, TalkerGroup.GIRLS))
                .vowels(List.of(Vowel.IY, Vowel.AH, Vowel.UW)).talkers(3).seed(9).hvdFraction(0.5)
                .rates(16000, 22050).wavDir(wavDir).build();
    }

    @Test
    void heardFeaturesFollowTheTableRowForRowAndCountEveryToken(@TempDir Path dir) throws Exception {
        AtomicInteger progress = new AtomicInteger();
        HeardVowels.Result r = small(dir).generate(d -> progress.accumulateAndGet(d, Math::max));
        assertEquals(18, progress.get(), "progress reaches the token count");
        assertEquals(18, r.heard().size() + r.rejected().size());
        assertEquals(r.heard().size(), r.table().size());
        assertEquals(r.heard().size(), r.talkerIds().size());
        assertArrayEquals(r.heard().labels(), r.table().labels());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(18, files.filter(p -> p.toString().endsWith(".wav")).count());
        }
        // the front end's features are close to the table's, not equal to them (it hears, it does not copy)
        int close = 0;
        for (int i = 0; i < r.heard().size(); i++) {
            double[] h = r.heard().features()[i];
            double[] t = r.table().features()[i];
            assertTrue(!java.util.Arrays.equals(h, t));
            if (Math.abs(h[7] - t[7]) < 0.15 * t[7]) { // F2 at 50 %
                close++;
            }
        }
        assertTrue(close >= 0.8 * r.heard().size(), close + " of " + r.heard().size() + " F2 within 15 %");
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() throws Exception {
        HeardVowels.Result parallel = small(null).generate(null);
        HeardVowels.Result single = new ForkJoinPool(1).submit(() -> {
            try {
                return small(null).generate(null);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).get();
        assertEquals(parallel.heard(), single.heard());
        assertEquals(parallel.rejected(), single.rejected());
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> HeardVowels.builder().hvdFraction(1.5));
        assertThrows(IllegalArgumentException.class, () -> HeardVowels.builder().rates(4000));
        assertThrows(IllegalArgumentException.class, () -> HeardVowels.builder().talkers(0));
        assertThrows(IllegalArgumentException.class, () -> HeardVowels.builder().groups(List.of()));
    }
}
