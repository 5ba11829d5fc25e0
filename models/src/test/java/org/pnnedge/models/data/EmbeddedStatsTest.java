package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The constants in {@link SyntheticVowels} are what its documented procedure gives on vowdata.dat, rounded. */
class EmbeddedStatsTest {
    @Test
    void embeddedConstantsMatchTheDerivation() {
        Path p = SharedData.hillenbrandFile();
        assumeTrue(Files.exists(p), p + " not found: skipping");
        SyntheticVowels.Stats derived = SyntheticVowelStatsDerivation.derive(SyntheticVowelStatsDerivation.readAll(p),
                t -> true);
        SyntheticVowels.Stats e = SyntheticVowels.EMBEDDED;
        double tiny = 1e-9;
        for (int g = 0; g < 4; g++) {
            assertEquals(e.talkerLogSd()[g], derived.talkerLogSd()[g], 0.5e-4 + tiny, "talker SD " + g);
            for (int v = 0; v < 12; v++) {
                for (int j = 0; j < 12; j++) {
                    assertEquals(e.meanHz()[g][v][j], derived.meanHz()[g][v][j], 0.5 + tiny, "mean " + g + "/" + v + "/" + j);
                }
                for (int k = 0; k < 3; k++) {
                    assertEquals(e.tokenLogSd()[g][v][k], derived.tokenLogSd()[g][v][k], 0.5e-4 + tiny, "token SD");
                }
            }
            for (int j = 0; j < 12; j++) {
                assertEquals(e.timeSdScale()[g][j], derived.timeSdScale()[g][j], 0.5e-3 + tiny, "time scale");
                for (int k = 0; k < 12; k++) {
                    assertEquals(e.correlation()[g][j][k], derived.correlation()[g][j][k], 0.5e-3 + tiny, "corr");
                }
            }
        }
    }
}
