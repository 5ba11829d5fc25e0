package org.pnnedge.fleet.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.fleet.rollout.RolloutException.Kind;

/**
 * The probe file of {@code --soak-probes}: read against the bundle's input width and classes, an optional header
 * skipped, and every bad file refused by name ({@link Kind#BAD_OPTION}, "nothing was sent") before a rollout starts.
 */
class ProbeSetTest {
    private static final VerifiedBundle BUNDLE = new VerifiedBundle("vowels", "1.0.0", "k", "00", false,
            List.of("iy", "uw", "ae"), 2);

    @TempDir
    Path dir;

    @Test
    void readsNamesAndIndicesAfterAnOptionalHeader() throws Exception {
        ProbeSet p = ProbeSet.read(write("f1,f2,label\n# a comment\n0.1,0.2,uw\n\n0.3,0.4,2\n"), BUNDLE);
        assertEquals(2, p.size());
        assertArrayEquals(new int[] {1, 2}, p.labels());
        assertArrayEquals(new double[] {0.3, 0.4}, p.features().get(1));
    }

    @Test
    void refusesBadFilesByName() throws Exception {
        refused("0.1,0.2,0.3,iy\n", "line 1 has 4 fields; the bundle's network takes 2 features, then the label");
        refused("0.1,0.2,iy\n0.1,x,iy\n", "line 2: a feature is not a number");
        refused("0.1,NaN,iy\n", "line 1: feature 2 is not finite");
        refused("0.1,0.2,eh\n", "line 1: label 'eh' is neither a class of the bundle [iy, uw, ae] nor an index 0..2");
        refused("0.1,0.2,3\n", "label '3' is neither");
        refused("# only a comment\n\n", "has no probes");
        refused("0.1,0.2,iy\n".repeat(ProbeSet.MAX_ROWS + 1), "has more than " + ProbeSet.MAX_ROWS + " probes");
        RolloutException e = assertThrows(RolloutException.class,
                () -> ProbeSet.read(dir.resolve("missing.csv"), BUNDLE));
        assertEquals(Kind.BAD_OPTION, e.kind());
        assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
        e = assertThrows(RolloutException.class, () -> ProbeSet.read(write("0.1,0.2,iy\n"),
                new VerifiedBundle("raw", "1.0.0", "k", "00", false, List.of(), 0)));
        assertTrue(e.getMessage().contains("the bundle has no network with labelled classes"), e.getMessage());
    }

    private void refused(String csv, String reason) throws Exception {
        RolloutException e = assertThrows(RolloutException.class, () -> ProbeSet.read(write(csv), BUNDLE));
        assertEquals(Kind.BAD_OPTION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().endsWith("nothing was sent"), e.getMessage());
    }

    private Path write(String csv) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "probes", ".csv"), csv);
    }
}
