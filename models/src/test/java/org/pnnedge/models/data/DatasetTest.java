package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class DatasetTest {
    /** 3 classes with 10, 7 and 5 rows; feature = row index. */
    private static Dataset unbalanced() {
        int[] y = new int[22];
        for (int i = 0; i < 22; i++) {
            y[i] = i < 10 ? 0 : i < 17 ? 1 : 2;
        }
        double[][] x = IntStream.range(0, 22).mapToObj(i -> new double[] {i, -i}).toArray(double[][]::new);
        return new Dataset(x, y, List.of("a", "b", "c"), List.of("f1", "f2"));
    }

    @Test
    void stratifiedKFoldPartitionsAndKeepsEveryClass() {
        Dataset d = unbalanced();
        List<Dataset.Fold> folds = d.stratifiedKFold(5, 42);
        assertEquals(5, folds.size());
        int[] seen = new int[d.size()];
        for (Dataset.Fold f : folds) {
            for (int i : f.testIndices()) {
                seen[i]++;
            }
            for (int c : f.test().classCounts()) {
                assertTrue(c >= 1, "every fold holds every class");
            }
            assertEquals(d.size(), f.trainIndices().length + f.testIndices().length);
            assertTrue(Arrays.stream(f.trainIndices()).noneMatch(i -> Arrays.binarySearch(f.testIndices(), i) >= 0));
            assertTrue(f.test().size() == 4 || f.test().size() == 5, "fold sizes differ by at most one");
            assertEquals(f.test().features()[0][0], f.testIndices()[0]);
        }
        assertTrue(Arrays.stream(seen).allMatch(s -> s == 1), "test folds partition the rows");
        // deterministic for a seed, different for another
        assertArrayEquals(folds.get(0).testIndices(), d.stratifiedKFold(5, 42).get(0).testIndices());
        assertNotEquals(Arrays.toString(folds.get(0).testIndices()),
                Arrays.toString(d.stratifiedKFold(5, 43).get(0).testIndices()));
        assertThrows(IllegalArgumentException.class, () -> d.stratifiedKFold(6, 1)); // class c has 5 rows
        assertThrows(IllegalArgumentException.class, () -> d.stratifiedKFold(1, 1));
    }

    @Test
    void stratifiedSplit() {
        Dataset d = unbalanced();
        Dataset.Split s = d.stratifiedSplit(0.2, 7);
        assertArrayEquals(new int[] {8, 6, 4}, s.train().classCounts());
        assertArrayEquals(new int[] {2, 1, 1}, s.validation().classCounts());
        assertEquals(d.size(), s.trainIndices().length + s.validationIndices().length);
    }

    @Test
    void helpersAndHash() {
        Dataset d = unbalanced();
        assertEquals(22, d.size());
        assertEquals(3, d.numClasses());
        assertArrayEquals(new int[] {10, 7, 5}, d.classCounts());
        Dataset sub = d.subset(new int[] {21, 0});
        assertArrayEquals(new int[] {2, 0}, sub.labels());
        assertEquals(64, d.contentHash().length());
        assertEquals(d.contentHash(), unbalanced().contentHash());
        assertNotEquals(d.contentHash(), d.subset(IntStream.range(0, 21).toArray()).contentHash());
        assertEquals(d, d.subset(IntStream.range(0, 22).toArray()));
        assertEquals(d.size() + 2, d.concat(sub).size());
        // names are not part of the hash: renaming columns keeps it
        Dataset tiny = new Dataset(new double[][] {{1.5, -2}}, new int[] {1}, List.of("x", "y"), List.of("a", "b"));
        assertEquals(tiny.contentHash(), tiny.withFeatures(new double[][] {{1.5, -2}}, List.of("c", "d")).contentHash());
    }

    @Test
    void constructorValidates() {
        List<String> f = List.of("a");
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new double[][] {{1}}, new int[] {1}, List.of("x"), f));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new double[][] {{1, 2}}, new int[] {0}, List.of("x"), f));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new double[][] {{Double.NaN}}, new int[] {0}, List.of("x"), f));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new double[][] {{1}}, new int[] {0, 0}, List.of("x"), f));
        double[][] x = {{1}};
        Dataset d = new Dataset(x, new int[] {0}, List.of("x"), f);
        x[0][0] = 5; // defensive copy
        assertEquals(1, d.features()[0][0]);
    }
}
