package org.pnnedge.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetsTest {
    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path p = dir.resolve("data.csv");
        Files.writeString(p, content);
        return p;
    }

    /** Loads and expects a DatasetException naming the file and the given line. */
    private DatasetException fails(String content, int line, String fragment, List<String> labels) throws IOException {
        Path p = file(content);
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasets.load(p, labels));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        if (line > 0) {
            assertTrue(e.getMessage().contains("line " + line), e.getMessage());
        }
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    @Test
    void wrongColumnCountNamesTheLine() throws IOException {
        fails("a,b,label\n1,2,0\n1,2\n", 3, "expected 3 columns", null);
        fails("a,b,label\n1,2,0\n1,2,3,4\n", 3, "found 4", null);
    }

    @Test
    void nonNumbersNamesLineAndColumn() throws IOException {
        fails("a,b,label\n1,x2,0\n", 2, "'x2' is not a number", null);
        fails("a,b,label\n1,,0\n", 2, "column 'b' (2) is empty", null);
        fails("a,b,label\n1,2,0\n1,1f,0\n", 3, "not a number", null);
    }

    @Test
    void nanAndInfinityAreRejected() throws IOException {
        fails("a,b,label\n1,2,0\n\n1,NaN,0\n", 4, "NaN and infinite values are not allowed", null);
        fails("a,b,label\n-Infinity,2,0\n", 2, "not allowed", null);
        fails("a,b,label\n1e999,2,0\n", 2, "overflows", null);
    }

    @Test
    void unknownLabelsWithAGivenLabelSet() throws IOException {
        List<String> set = List.of("ae", "iy");
        fails("a,label\n1,ae\n2,uw\n", 3, "unknown label 'uw'", set);
        fails("a,label\n1,0\n2,2\n", 3, "label index 2 is out of range 0..1", set);
        fails("a,label\n1,-1\n", 2, "negative label index", set);
    }

    @Test
    void emptyHeaderOnlyAndMissingLabelColumn() throws IOException {
        fails("", 0, "empty file", null);
        fails("\n# only a comment\n\n", 0, "empty file", null);
        fails("a,b,label\n", 1, "no data rows", null);
        fails("label\n0\n", 1, "missing label column", null);
        fails("1.0,2.0,3\n4.0,5.0,6\n", 1, "header line", null);
        fails("a,b,label\n1,2,\n", 2, "missing label", null);
        fails("a,a,label\n1,2,0\n", 1, "duplicate column", null);
        fails("a,label\n1,iy\n2,3\n", 3, "mixes class names and class indices", null);
    }

    @Test
    void missingFileIsADatasetException() {
        Path p = dir.resolve("nope.csv");
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasets.load(p));
        assertTrue(e.getMessage().contains("nope.csv") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void labelColumnByNameAndLabelNames() throws IOException {
        Dataset d = CsvDatasets.load(file("\uFEFFF1, vowel ,F2\r\n500, iy,2500\r\n700,ae,1800\n\n600,iy,2400\n"));
        assertEquals(List.of("F1", "F2"), d.featureNames());
        assertEquals(List.of("ae", "iy"), d.labelNames()); // sorted when inferred from names
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertArrayEquals(new double[] {700, 1800}, d.features()[1]);

        Dataset given = CsvDatasets.load(file("F1,F2,label\n500,2500,IY\n700,1800,0\n"), List.of("ae", "iy"));
        assertArrayEquals(new int[] {1, 0}, given.labels());

        Dataset ints = CsvDatasets.load(file("x,y\n1,3\n2,0\n"));
        assertEquals(List.of("0", "1", "2", "3"), ints.labelNames());
    }

    @Test
    void roundTripKeepsValuesNamesAndHash() {
        Dataset d = SyntheticVowels.builder().groups(TalkerGroup.WOMEN).vowels(Vowel.PAT_7).talkers(5).seed(3).build();
        Dataset n = Normalization.patVowel7().apply(d); // non-integer values exercise exact formatting
        Path p = dir.resolve("sub/heldout.csv");
        CsvDatasets.write(n, p);
        Dataset back = CsvDatasets.load(p);
        assertEquals(n, back);
        assertEquals(n.contentHash(), back.contentHash());
        assertEquals(Vowel.PAT_7_CODES, back.labelNames());
        assertEquals(n, CsvDatasets.load(p, Vowel.PAT_7_CODES));
        DatasetException e = assertThrows(DatasetException.class, () -> CsvDatasets.load(p, List.of("a", "b")));
        assertTrue(e.getMessage().contains("declares labels"), e.getMessage());
    }

    @Test
    void writeRejectsNamesThatCannotRoundTrip() {
        Dataset d = new Dataset(new double[][] {{1}}, new int[] {0}, List.of("a,b"), List.of("x"));
        assertThrows(DatasetException.class, () -> CsvDatasets.write(d, dir.resolve("x.csv")));
    }

    @Test
    void patTrainSplitLoadsAsIs() {
        Path p = SharedData.vowelsTrainCsv();
        assumeTrue(Files.exists(p), p + " not found: skipping");
        Dataset d = CsvDatasets.load(p, Vowel.PAT_7_CODES);
        assertEquals(210, d.size());
        assertEquals(12, d.numFeatures());
        assertEquals(7, d.numClasses());
        for (int c : d.classCounts()) {
            assertTrue(c >= 28, "every vowel has about 30 training tokens");
        }
        // Multiplying back by the documented maxima gives Hillenbrand's integer Hz values.
        Dataset hz = Normalization.patVowel7().invert(d);
        for (double[] row : hz.features()) {
            for (double v : row) {
                assertEquals(Math.rint(v), v, 0.01);
            }
        }
        assertEquals(CsvDatasets.load(p).size(), 210); // also loads without a label set (names "0".."6")
    }

    @Test
    void handScannedNumbersMatchTheNumberRegex() {
        java.util.regex.Pattern re = java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
        String alphabet = "0159.+-eEx ";
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int k = 0; k < 200_000; k++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(7);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertEquals(re.matcher(s).matches(), CsvDatasets.isNumber(s), "'" + s + "'");
            if (CsvDatasets.isNumber(s)) {
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)),
                        Double.doubleToRawLongBits(CsvDatasets.parseDecimal(s)), "'" + s + "'");
            }
        }
    }

    @Test
    void fastDecimalParsingIsBitIdenticalToTheJdk() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int k = 0; k < 300_000; k++) {
            double v = switch (k % 3) {
                case 0 -> r.nextInt(256) / 255.0;
                case 1 -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-8, 9));
                default -> Math.round(r.nextDouble() * 1e6) / 1e3;
            };
            for (String s : new String[] {Double.toString(v), String.format(java.util.Locale.ROOT, "%.6f", v),
                    String.format(java.util.Locale.ROOT, "%.3f", v)}) {
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)),
                        Double.doubleToRawLongBits(CsvDatasets.parseDecimal(s)), s);
            }
        }
    }
}
