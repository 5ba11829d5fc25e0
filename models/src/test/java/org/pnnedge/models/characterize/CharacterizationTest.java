package org.pnnedge.models.characterize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.PhysicsKind;

class CharacterizationTest {
    @TempDir
    Path dir;

    static Characterization sample(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] x = new int[n][3];
        int[][] p = new int[n][4];
        int[][] y = new int[n][2];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                x[i][k] = r.nextInt(4096);
            }
            for (int k = 0; k < 4; k++) {
                p[i][k] = r.nextInt(4096);
            }
            for (int k = 0; k < 2; k++) {
                y[i][k] = r.nextInt(1024);
            }
        }
        return new Characterization(PhysicsKind.SHG, "00c0ffee", 12, 10, Instant.parse("2025-02-03T04:05:06.789Z"),
                seed, x, p, y, new double[] {1.25, 0.1 + 0.2});
    }

    @Test
    void writeReadRoundTrip() throws IOException {
        Characterization c = sample(50, 7);
        Path f = dir.resolve("c.csv");
        c.write(f);
        List<String> lines = Files.readAllLines(f);
        assertEquals(Characterization.MAGIC, lines.get(0));
        assertEquals("x0,x1,x2,p0,p1,p2,p3,y0,y1", lines.get(3));
        assertEquals(54, lines.size());
        Characterization back = Characterization.read(f);
        assertEquals(c.kind(), back.kind());
        assertEquals("00c0ffee", back.serial());
        assertEquals(12, back.dacBits());
        assertEquals(10, back.adcBits());
        assertEquals(c.measured(), back.measured());
        assertEquals(7, back.seed());
        assertEquals(4095.0, back.maxDac());
        assertEquals(1023.0, back.maxAdc());
        assertEquals(50, back.size());
        assertEquals(3, back.inputCount());
        assertEquals(4, back.paramCount());
        assertEquals(2, back.outputCount());
        assertTrue(Arrays.deepEquals(c.inputs(), back.inputs()));
        assertTrue(Arrays.deepEquals(c.params(), back.params()));
        assertTrue(Arrays.deepEquals(c.outputs(), back.outputs()));
        assertArrayEquals(c.noiseStd(), back.noiseStd(), 0.0, "noise survives exactly (shortest repr)");
        assertEquals(c.dataHash(), back.dataHash());
    }

    @Test
    void dataHashIsStableAndSensitive() {
        Characterization a = sample(30, 1);
        Characterization b = sample(30, 1);
        assertEquals(a.dataHash(), b.dataHash());
        assertEquals(a.dataHash(), a.dataHash());
        assertTrue(a.dataHash().matches("[0-9a-f]{64}"), a.dataHash());
        for (int which = 0; which < 3; which++) {
            Characterization c = sample(30, 1);
            int[][] arr = which == 0 ? c.inputs() : which == 1 ? c.params() : c.outputs();
            arr[17][1] ^= 1; // one code, one bit
            assertNotEquals(a.dataHash(), c.dataHash(), "array " + which);
        }
        // the hash covers the codes, not metadata
        Characterization other = new Characterization(PhysicsKind.SHG, "other", 12, 10, Instant.EPOCH, 99,
                a.inputs(), a.params(), a.outputs(), new double[] {5, 5});
        assertEquals(a.dataHash(), other.dataHash());
        assertNotEquals(a.dataHash(), sample(30, 2).dataHash());
    }

    @Test
    void constructorRejectsInconsistentArrays() {
        int[][] x = new int[2][3];
        int[][] p = new int[2][4];
        int[][] y = new int[2][2];
        assertThrows(IllegalArgumentException.class, () -> new Characterization(PhysicsKind.SHG, "s", 12, 12,
                Instant.EPOCH, 0, x, new int[1][4], y, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> new Characterization(PhysicsKind.SHG, "s", 12, 12,
                Instant.EPOCH, 0, new int[0][], new int[0][], new int[0][], new double[2]));
        assertThrows(IllegalArgumentException.class, () -> new Characterization(PhysicsKind.SHG, "s", 12, 12,
                Instant.EPOCH, 0, x, p, y, new double[3]));
        assertThrows(NullPointerException.class, () -> new Characterization(null, "s", 12, 12,
                Instant.EPOCH, 0, x, p, y, new double[2]));
    }

    /** Writes a good file, lets {@code edit} change its lines, reads it and returns the error message. */
    private String readError(java.util.function.Consumer<List<String>> edit) throws IOException {
        Path f = dir.resolve("bad.csv");
        sample(5, 3).write(f);
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        edit.accept(lines);
        Files.write(f, lines);
        IOException e = assertThrows(IOException.class, () -> Characterization.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ":"), "message names the file: " + e.getMessage());
        return e.getMessage();
    }

    private void assertLine(String message, int line, String why) {
        assertTrue(message.contains(":" + line + ": "), "line " + line + " in '" + message + "'");
        assertTrue(message.contains(why), "'" + why + "' in '" + message + "'");
    }

    @Test
    void badFilesNameFileAndLine() throws IOException {
        assertLine(readError(l -> l.set(0, "# pnn-characterization 2")), 1, "not a characterization file");
        assertLine(readError(l -> l.set(0, "x0,x1")), 1, "not a characterization file");
        assertLine(readError(l -> l.subList(1, l.size()).clear()), 2, "truncated header");
        assertLine(readError(l -> l.set(1, "# serial=1 dac_bits=12 adc_bits=10")), 2, "physics");
        assertLine(readError(l -> l.set(1, l.get(1).replace("dac_bits=12", "dac_bits=twelve"))), 2, "dac_bits");
        assertLine(readError(l -> l.set(1, l.get(1).replace("physics=shg", "physics=magic"))), 2, "physics");
        assertLine(readError(l -> l.set(2, "# noise=1,2")), 3, "noise_std");
        assertLine(readError(l -> l.set(2, "# noise_std=1,x")), 3, "'x'");
        assertLine(readError(l -> l.set(2, "# noise_std=1,2,3")), 3, "noise_std has 3 values");
        assertLine(readError(l -> l.set(3, l.get(3).replace("p3", "q3"))), 4, "unknown column 'q3'");
        // body: line 5 is the first sample
        assertLine(readError(l -> l.set(6, l.get(6).replaceFirst("^\\d+", "12.5"))), 7, "'12.5') is not an integer");
        assertLine(readError(l -> l.set(5, l.get(5).replaceFirst("^\\d+", "abc"))), 6, "column 1");
        assertLine(readError(l -> l.set(4, l.get(4).replaceFirst("^\\d+", "4096"))), 5, "code 4096 outside 0..4095");
        assertLine(readError(l -> l.set(4, l.get(4).replaceFirst("^\\d+", "-1"))), 5, "outside");
        // outputs have their own (10-bit) range
        assertLine(readError(l -> l.set(8, l.get(8).replaceFirst("\\d+$", "1024"))), 9, "column 9 code 1024 outside 0..1023");
        assertLine(readError(l -> l.set(5, l.get(5) + ",7")), 6, "10 columns, header has 9");
        assertLine(readError(l -> l.set(5, l.get(5).substring(0, l.get(5).lastIndexOf(',')))), 6, "8 columns");
        assertLine(readError(l -> l.subList(4, l.size()).clear()), 4, "no samples");
        assertLine(readError(l -> {
            l.subList(4, l.size()).clear();
            l.add("");
            l.add("  ");
        }), 6, "no samples");
        // an empty file
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        IOException e = assertThrows(IOException.class, () -> Characterization.read(empty));
        assertTrue(e.getMessage().contains(empty + ":1: empty file"), e.getMessage());
    }

    @Test
    void blankLinesAndUnknownHeaderKeysAreTolerated() throws IOException {
        Path f = dir.resolve("c.csv");
        Characterization c = sample(4, 9);
        c.write(f);
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        lines.set(1, lines.get(1) + " temperature=25.0");
        lines.add(6, "");
        Files.write(f, lines);
        Characterization back = Characterization.read(f);
        assertEquals(4, back.size());
        assertEquals(c.dataHash(), back.dataHash());
    }

    @Test
    void characterizerMeasuresNoiseWhenThereIsNoise() {
        try (DeviceContext ctx = DeviceContext.create();
             DeviceLink noisy = ctx.open("emulator:shg?seed=1&timing=zero");
             DeviceLink clean = ctx.open("emulator:shg?seed=1&noise=off&drift=off&timing=zero")) {
            List<Integer> progress = new ArrayList<>();
            Characterization n = new Characterizer(200, 32, 4, 5, -1).measure(noisy, progress::add);
            Characterization c = new Characterizer(200, 32, 4, 5, -1).measure(clean, d -> { });
            assertEquals(List.of(32, 64, 96, 128, 160, 192, 200), progress);
            for (Characterization m : List.of(n, c)) {
                assertEquals(200, m.size());
                assertEquals(PhysicsKind.SHG, m.kind());
                assertEquals(16, m.inputCount());
                assertEquals(32, m.paramCount());
                assertEquals(16, m.outputCount());
                assertEquals(noisy.info().serialHex(), m.serial());
                // parameter sets are shared by 32 consecutive inputs
                assertTrue(m.params()[0] == m.params()[31] && m.params()[31] != m.params()[32]);
                for (int[] row : m.outputs()) {
                    for (int v : row) {
                        assertTrue(v >= 0 && v <= m.maxAdc());
                    }
                }
            }
            // same seed: same codes on both devices
            assertTrue(Arrays.deepEquals(n.inputs(), c.inputs()) && Arrays.deepEquals(n.params(), c.params()));
            double mean = Arrays.stream(n.noiseStd()).average().orElseThrow();
            System.out.printf("characterizer noise estimate: mean %.2f ADC codes, per channel %s%n", mean,
                    Arrays.toString(n.noiseStd()));
            for (double s : n.noiseStd()) {
                assertTrue(s > 0, "noise on: every channel has shot noise " + Arrays.toString(n.noiseStd()));
            }
            assertTrue(mean > 0.3 && mean < 400, "plausible noise estimate " + mean);
            // independent check: many repeated shots of random points, pooled standard deviation
            double direct = directNoise(noisy, 30, 24, 8);
            System.out.printf("direct pooled shot-to-shot std over 30 points x 24 shots: %.2f (ratio %.2f)%n", direct,
                    mean / direct);
            Characterization big = new Characterizer(1280, 32, 4, 6, -1).measure(noisy, d -> { });
            double bigMean = Arrays.stream(big.noiseStd()).average().orElseThrow();
            System.out.printf("characterizer, 40 sets: %.2f (ratio %.2f)%n", bigMean, bigMean / direct);
            assertTrue(bigMean / direct > 0.7 && bigMean / direct < 1.4, bigMean + " vs direct " + direct);
            for (double s : c.noiseStd()) {
                assertEquals(0.0, s, "noise off: no shot-to-shot variation");
            }
            // no repeats: no estimate
            Characterization none = new Characterizer(40, 32, 0, 5, -1).measure(noisy, d -> { });
            assertArrayEquals(new double[16], none.noiseStd());
        }
    }

    /** Mean over channels of the pooled standard deviation of repeated shots at random operating points. */
    static double directNoise(DeviceLink link, int points, int shots, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int slot = link.info().slots() - 1;
        int outs = link.info().outputs();
        double[] ss = new double[outs];
        for (int p = 0; p < points; p++) {
            int[] params = new int[link.info().params()];
            for (int i = 0; i < params.length; i++) {
                params[i] = r.nextInt(4096);
            }
            link.loadParams(slot, params);
            int[] x = new int[link.info().inputs()];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(4096);
            }
            int[][] batch = new int[shots][];
            Arrays.fill(batch, x);
            int[][] out = link.shotBatch(slot, batch);
            for (int k = 0; k < outs; k++) {
                double m = 0;
                for (int[] o : out) {
                    m += o[k];
                }
                m /= shots;
                for (int[] o : out) {
                    ss[k] += (o[k] - m) * (o[k] - m);
                }
            }
        }
        double sum = 0;
        for (int k = 0; k < outs; k++) {
            sum += Math.sqrt(ss[k] / (points * (shots - 1.0)));
        }
        return sum / outs;
    }

    @Test
    void characterizerRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Characterizer(0, 32, 4, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new Characterizer(10, 0, 4, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new Characterizer(10, 32, -1, 1, -1));
    }
}
