package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/**
 * Runs {@link VowelValidation} (about a minute) and rewrites {@code models/VOWELS-VALIDATION.md}, only when asked:
 * <pre>
 * mvn -q -B -pl models -am test -Dtest=VowelValidationReportTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dpnn.vowels.report=true
 * </pre>
 * This route uses the toolchain JDK like every test, whereas {@code exec:java} runs inside Maven's own JVM and so
 * needs Maven itself on Java 21 or later.
 */
class VowelValidationReportTest {
    @Test
    void writeReport() throws Exception {
        assumeTrue(Boolean.getBoolean("pnn.vowels.report"), "set -Dpnn.vowels.report=true to run the validation report");
        assumeTrue(Files.exists(SharedData.hillenbrandFile()), SharedData.hillenbrandFile() + " not found: skipping");
        VowelValidation.main(new String[0]);
    }
}
