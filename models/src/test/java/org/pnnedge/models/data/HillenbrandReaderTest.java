package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HillenbrandReaderTest {
    @TempDir
    Path dir;

    /** A made-up file in vowdata.dat's layout (invented numbers, not from the real data). */
    private static final String FAKE = """
            (c) header text that the reader must skip
            col1:  filename
              1    2   3    4    5    6    7    8    9   10    11  12   13    14  15   16
            m01ae 300 120  600 1900 2600 3600  600 1900 2600  610 1850 2600  620 1700 2600
            w01iy 250 220  440 2700 3300    0  445 2700 3300  440 2750 3300  430 2750 3300
            w02iy 250 220  440 2700 3300 4000    0 2700 3300  440 2750 3300  430 2750 3300
            \tb01uw   200  250 500 1300 3000 4100 500 1350 3000 490 1300 3000 490 1450 2950
            g01ae 260 240  750 2500 3400 4300  750 2500 3400  840 2370 3250  880 2120 3170
            """;

    @Test
    void parsesSelectsAndCountsMissing() throws IOException {
        Path p = dir.resolve("vowdata.dat");
        Files.writeString(p, FAKE);
        HillenbrandReader.Reading all = HillenbrandReader.readDetailed(p, HillenbrandReader.Selection.all());
        assertEquals(5, all.selected());
        assertEquals(1, all.droppedMissing()); // w02iy has F1@20% = 0; w01iy's zero is F4, not selected
        assertEquals(Map.of(TalkerGroup.WOMEN, 1), all.droppedByGroup());
        assertEquals(List.of("m01ae", "w01iy", "b01uw", "g01ae"), all.tokenIds());
        assertArrayEquals(new double[] {600, 1900, 2600, 600, 1900, 2600, 610, 1850, 2600, 620, 1700, 2600},
                all.dataset().features()[0]);
        assertEquals(HillenbrandReader.FEATURE_NAMES, all.dataset().featureNames());
        assertEquals("b01", all.talkerId(2));

        Dataset kids = HillenbrandReader.read(p, HillenbrandReader.Selection.of(TalkerGroup.CHILDREN,
                List.of(Vowel.UW, Vowel.AE)));
        assertEquals(List.of("uw", "ae"), kids.labelNames());
        assertArrayEquals(new int[] {0, 1}, kids.labels());
    }

    @Test
    void malformedTokenLineNamesTheLine() throws IOException {
        Path p = dir.resolve("bad.dat");
        Files.writeString(p, "header\nm01ae 300 120 600\n");
        DatasetException e = assertThrows(DatasetException.class,
                () -> HillenbrandReader.read(p, HillenbrandReader.Selection.all()));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("expected 15"), e.getMessage());

        Files.writeString(p, FAKE.replace("1850", "18x0"));
        e = assertThrows(DatasetException.class, () -> HillenbrandReader.read(p, HillenbrandReader.Selection.all()));
        assertEquals(4, e.line());

        Files.writeString(p, "no tokens here\n");
        assertThrows(DatasetException.class, () -> HillenbrandReader.read(p, HillenbrandReader.Selection.all()));
        Path missing = dir.resolve("none.dat");
        e = assertThrows(DatasetException.class, () -> HillenbrandReader.read(missing, HillenbrandReader.Selection.all()));
        assertTrue(e.getMessage().contains("none.dat"));
    }

    @Test
    void realFileCounts() {
        Path p = SharedData.hillenbrandFile();
        assumeTrue(Files.exists(p), p + " not found: skipping");
        HillenbrandReader.Reading all = HillenbrandReader.readDetailed(p, HillenbrandReader.Selection.all());
        assertEquals(1619, all.selected()); // 1,668 in the paper minus the 49 withheld women's tokens
        assertEquals(71, all.droppedMissing());
        assertEquals(1548, all.dataset().size());
        assertEquals(Map.of(TalkerGroup.MEN, 13, TalkerGroup.WOMEN, 28, TalkerGroup.BOYS, 23, TalkerGroup.GIRLS, 7),
                all.droppedByGroup());
        assertEquals(12, all.dataset().numClasses());

        HillenbrandReader.Reading w7 = HillenbrandReader.readDetailed(p, HillenbrandReader.Selection.pat7Women());
        assertEquals(287, w7.selected());
        assertEquals(20, w7.droppedMissing());
        assertEquals(Vowel.PAT_7_CODES, w7.dataset().labelNames());

        Dataset men = HillenbrandReader.read(p, HillenbrandReader.Selection.of(EnumSet.of(TalkerGroup.MEN),
                List.of(Vowel.values())));
        assertEquals(527, men.size());
    }
}
