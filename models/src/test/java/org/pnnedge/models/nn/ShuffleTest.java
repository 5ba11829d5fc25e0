package org.pnnedge.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ShuffleTest {
    /** Pinned: PnnTrainer's epoch orders for seed 7 (its shuffle seed is seed * 31 + 7); shipped bundles rely on them. */
    @Test
    void keepsTheTrainersPermutationSequence() {
        SplittableRandom r = new SplittableRandom(7L * 31 + 7);
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Shuffle.inPlace(order, r);
        assertArrayEquals(new int[] {6, 0, 8, 1, 5, 4, 7, 9, 2, 3}, order);
        Shuffle.inPlace(order, r);
        assertArrayEquals(new int[] {6, 8, 4, 5, 2, 3, 7, 1, 0, 9}, order);
    }

    @Test
    void sameAsTheFormerInlineLoop() {
        for (int n = 0; n < 40; n++) {
            SplittableRandom r1 = new SplittableRandom(n), r2 = new SplittableRandom(n);
            int[] a = new int[n], b = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = b[i] = i;
            }
            for (int epoch = 0; epoch < 3; epoch++) {
                Shuffle.inPlace(a, r1);
                for (int i = n - 1; i > 0; i--) { // the loop PnnTrainer and TwinFitter each had
                    int j = r2.nextInt(i + 1);
                    int t = b[i];
                    b[i] = b[j];
                    b[j] = t;
                }
                assertArrayEquals(b, a);
            }
        }
    }
}
