package org.pnnedge.models.nn;

import java.util.SplittableRandom;

/**
 * The minibatch shuffle of the PNN trainer and the twin fitter. Its draw order is part of what makes a trained
 * bundle reproducible from its seed, so it must not change: Fisher–Yates from the last element down, one
 * {@code nextInt(i + 1)} per position.
 */
public final class Shuffle {
    private Shuffle() {
    }

    /** Permutes {@code a} in place with the draws of {@code r}. */
    public static void inPlace(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
