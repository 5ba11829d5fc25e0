package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** A quick form of {@link VowelValidation}: synthetic training data must classify real vowels well. */
class VowelValidationTest {
    @Test
    void syntheticTrainedClassifierRecognizesRealWomensVowels() {
        Path p = SharedData.hillenbrandFile();
        assumeTrue(Files.exists(p), p + " not found: skipping");
        Dataset real = HillenbrandReader.read(p, HillenbrandReader.Selection.pat7Women());
        Dataset syn = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(100).seed(1).build();
        double acc = VowelClassifiers.accuracy(VowelClassifiers.gaussian(syn), real);
        System.out.printf("synthetic -> real (women, PAT 7 vowels, QDA): %.3f%n", acc);
        assertTrue(acc > 0.9, "synthetic->real accuracy " + acc);
    }
}
