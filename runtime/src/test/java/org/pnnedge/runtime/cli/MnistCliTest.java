package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.runtime.cli.CliTest.Result;

/** {@code pnn data mnist --package DIR} and {@code pnn benchmark mnist-digital} on a tiny fake package folder. */
class MnistCliTest {
    @TempDir
    Path dir;

    /** An extracted package folder: digit d has 10 images, pixel j of image i = ((d + i + j) mod 11) / 10. */
    Path fakePackage(int truncatedDigit) throws IOException {
        Path digits = dir.resolve("pkg/package/src/digits");
        Files.createDirectories(digits);
        for (int d = 0; d < 10; d++) {
            StringBuilder sb = new StringBuilder("{\"data\":[");
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 784; j++) {
                    sb.append(i + j > 0 ? "," : "").append(((d + i + j) % 11) / 10.0);
                }
            }
            String json = sb.append("]}").toString();
            Files.writeString(digits.resolve(d + ".json"), d == truncatedDigit ? json.substring(0, 999) : json);
        }
        return dir.resolve("pkg");
    }

    @Test
    void convertsThenBenchmarks() throws IOException {
        Path out = dir.resolve("mnist");
        Result r = CliTest.run("data", "mnist", "--package", fakePackage(-1).toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote 80 training and 20 test digits"), r.out());
        Result b = CliTest.run("benchmark", "mnist-digital", "--train", out.resolve("mnist-train.csv").toString(),
                "--test", out.resolve("mnist-test.csv").toString(), "--epochs", "2");
        assertEquals(0, b.exit(), b.err());
        assertTrue(b.out().contains("| MLP 784-128-10 | 101770 |"), b.out());
    }

    @Test
    void truncatedJsonIsExit2NamingTheFileAndWritesNothing() throws IOException {
        Path out = dir.resolve("mnist");
        Result r = CliTest.run("data", "mnist", "--package", fakePackage(4).toString(), "--out", out.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("4.json") && r.err().contains("truncated"), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void mnistDigitalNeedsBothFiles() {
        Result r = CliTest.run("benchmark", "mnist-digital", "--train", "x.csv");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--test"), r.err());
    }
}
