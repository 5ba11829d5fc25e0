package org.pnnedge.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {
    /** Strictly increasing precedence; mostly the examples of semver.org §11. */
    static final List<String> ORDER = List.of(
            "0.0.0", "0.0.1", "0.1.0", "0.9.99", "1.0.0-0", "1.0.0-0.3", "1.0.0-1", "1.0.0-2", "1.0.0-10",
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0-rc.1", "2.0.0", "2.1.0", "2.1.1",
            "10.0.0", "99999999999999.0.0");

    @Test
    void precedenceTable() {
        for (int i = 0; i < ORDER.size(); i++) {
            for (int j = 0; j < ORDER.size(); j++) {
                SemVer a = SemVer.parse(ORDER.get(i));
                SemVer b = SemVer.parse(ORDER.get(j));
                assertEquals(Integer.signum(Integer.compare(i, j)), Integer.signum(a.compareTo(b)),
                        ORDER.get(i) + " vs " + ORDER.get(j));
            }
        }
        List<SemVer> shuffled = new ArrayList<>(ORDER.stream().map(SemVer::parse).toList());
        Collections.shuffle(shuffled, new java.util.Random(7));
        Collections.sort(shuffled);
        assertEquals(ORDER, shuffled.stream().map(SemVer::toString).toList());
    }

    @Test
    void buildMetadataIsIgnoredForPrecedenceButKept() {
        SemVer a = SemVer.parse("1.0.0+build.1");
        SemVer b = SemVer.parse("1.0.0+build.2");
        assertEquals(0, a.compareTo(b));
        assertNotEquals(a, b);
        assertEquals("1.0.0+build.1", a.toString());
        assertEquals(List.of("build", "1"), a.build());
        assertEquals(SemVer.of(1, 0, 0), a.withoutBuild());
        assertTrue(SemVer.parse("1.0.0-rc.1+exp.sha.5114f85").isPreRelease());
        assertEquals("1.0.0-rc.1+001", SemVer.parse("1.0.0-rc.1+001").toString());
    }

    @Test
    void newerThan() {
        assertTrue(SemVer.parse("1.0.0").isNewerThan(SemVer.parse("1.0.0-rc.9")));
        assertTrue(!SemVer.parse("1.0.0").isNewerThan(SemVer.parse("1.0.0+other")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "v1.2.3", "1.2.3-", "1.2.3-01",
            "1.2.3-a..b", "1.2.3+", "1.2.3+a_b", " 1.2.3", "-1.2.3", "1.2.3-α", "99999999999999999999.0.0"})
    void invalidVersionsSayWhy(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SemVer.parse(text));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
