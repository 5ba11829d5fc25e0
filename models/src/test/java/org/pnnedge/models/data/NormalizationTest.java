package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    private static final Dataset D = new Dataset(new double[][] {{1, 10}, {3, 10}, {-4, 10}}, new int[] {0, 1, 0},
            List.of("a", "b"), List.of("x", "y"));

    @Test
    void divideByMax() {
        Normalization n = Normalization.columnMax(D);
        assertArrayEquals(new double[] {4, 10}, n.scale());
        assertArrayEquals(new double[] {0.75, 1}, n.apply(new double[] {3, 10}));
        Normalization pat = Normalization.patVowel7();
        assertEquals(12, pat.numFeatures());
        assertEquals(1163, pat.scale()[0]);
        assertEquals(3859, pat.scale()[11]);
    }

    @Test
    void zScoreAndInverse() {
        Normalization z = Normalization.zScore(D);
        Dataset out = z.apply(D);
        double m = 0;
        double s = 0;
        for (double[] r : out.features()) {
            m += r[0] / 3;
            s += r[0] * r[0] / 3;
            assertEquals(0, r[1]); // constant column: scale 1
        }
        assertEquals(0, m, 1e-12);
        assertEquals(1, s, 1e-12);
        assertArrayEquals(D.features()[2], z.invert(out).features()[2], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> z.apply(new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Normalization.divideBy(new double[] {0}));
    }

    @Test
    void serializesAsPlainArrays() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Normalization z = Normalization.zScore(D);
        String s = json.writeValueAsString(z);
        assertEquals(z, json.readValue(s, Normalization.class));
    }
}
