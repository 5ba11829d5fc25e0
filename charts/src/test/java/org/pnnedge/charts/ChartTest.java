package org.pnnedge.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pnnedge.models.plot.Chart;
import org.pnnedge.models.plot.ConfusionMatrixChart;
import org.pnnedge.models.plot.LineChart;
import org.pnnedge.models.plot.ScatterChart;

/**
 * Renders one example of each chart into target/plot-examples (kept for eyeballing) and checks the PNGs
 * decode at the requested size and are not blank; bad inputs must name their problem.
 */
class ChartTest {

    static final Path OUT = Path.of("target", "plot-examples");
    static final Java2dChartRenderer RENDERER = new Java2dChartRenderer();

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Decodes the file and checks size and that it is not a flat image. */
    static BufferedImage assertPng(Path file, int w, int h) throws Exception {
        assertTrue(Files.size(file) > 1000, file + " is suspiciously small");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " is not a decodable image");
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        // luminance variance and share of non-white pixels
        double sum = 0;
        double sq = 0;
        int inked = 0;
        int n = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                double lum = 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
                sum += lum;
                sq += lum * lum;
                if (lum < 200) {
                    inked++;
                }
            }
        }
        double var = sq / n - (sum / n) * (sum / n);
        assertTrue(var > 50, file + ": pixel variance " + var + " looks blank");
        assertTrue(inked > n / 200, file + ": only " + inked + " dark pixels");
        return img;
    }

    @Test
    void lineChartOfTrainingCurves() throws Exception {
        int epochs = 40;
        double[] train = new double[epochs];
        double[] val = new double[epochs];
        double[] accTrain = new double[epochs];
        double[] accVal = new double[epochs];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int e = 0; e < epochs; e++) {
            train[e] = 2.0 * Math.exp(-e / 6.0) + 0.01 + 0.003 * rnd.nextDouble();
            val[e] = 2.1 * Math.exp(-e / 7.0) + 0.03 + 0.01 * rnd.nextDouble();
            accTrain[e] = 1 - 0.66 * Math.exp(-e / 5.0);
            accVal[e] = 1 - 0.05 - 0.62 * Math.exp(-e / 6.0) + 0.01 * rnd.nextDouble();
        }
        val[7] = Double.NaN; // a missing evaluation must just leave a gap
        Path loss = OUT.resolve("loss-log.png");
        new LineChart("Training loss", "epoch", "cross-entropy loss").logY(true)
                .series("train", train).series("validation", val).write(loss);
        assertPng(loss, 800, 600);
        Path acc = OUT.resolve("accuracy.png");
        new LineChart("Accuracy per epoch", "epoch", "accuracy").size(640, 480)
                .series("train", accTrain).series("validation", accVal).write(acc);
        assertPng(acc, 640, 480);
    }

    @Test
    void scatterOfTwinVersusDevice() throws Exception {
        SplittableRandom rnd = new SplittableRandom(2);
        int n = 400;
        double[] meas = new double[n];
        double[] twin = new double[n];
        double[] grey = new double[n];
        for (int i = 0; i < n; i++) {
            meas[i] = rnd.nextDouble(0, 3);
            twin[i] = meas[i] + 0.05 * (rnd.nextDouble() - 0.5);
            grey[i] = 0.9 * meas[i] + 0.2 + 0.15 * (rnd.nextDouble() - 0.5);
        }
        Path file = OUT.resolve("twin-scatter.png");
        new ScatterChart("Digital twin vs device (SHG output, a.u.)", "measured", "predicted")
                .series("MLP twin", meas, twin).series("grey-box model", meas, grey).write(file);
        assertPng(file, 800, 600);
    }

    @Test
    void confusionMatrixHeatmap() throws Exception {
        long[][] counts = {
            {95, 3, 2, 0},
            {4, 180, 10, 6},
            {0, 12, 40, 8},
            {1, 0, 3, 9},
        };
        Path file = OUT.resolve("confusion.png");
        new ConfusionMatrixChart("Vowel classification (PNN, test set)", List.of("a", "e", "i", "o"), counts).write(file);
        assertPng(file, 800, 600);

        // ten classes with longer names: labels must still be placed (rotated columns)
        String[] names = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
        SplittableRandom rnd = new SplittableRandom(3);
        int[] truth = new int[2000];
        int[] pred = new int[2000];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = rnd.nextInt(10);
            pred[i] = rnd.nextDouble() < 0.85 ? truth[i] : rnd.nextInt(10);
        }
        Path ten = OUT.resolve("confusion-10.png");
        new ConfusionMatrixChart("Digits (10 classes)", List.of(names), ConfusionMatrixChart.tally(truth, pred, 10)).write(ten);
        assertPng(ten, 800, 600);
    }

    @Test
    void theRendererIsFoundByServiceLoader() {
        assertTrue(Chart.renderer().orElseThrow() instanceof Java2dChartRenderer);
    }

    @Test
    void renderedImageMatchesRequestedSizeWithoutFile() {
        BufferedImage img = RENDERER.render(new ScatterChart("t", "x", "y").size(300, 200)
                .series("s", new double[] {1, 2}, new double[] {1, 2}));
        assertEquals(300, img.getWidth());
        assertEquals(200, img.getHeight());
    }

    static void assertRejects(String expectedPart, Supplier<Object> action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::get);
        assertTrue(e.getMessage().contains(expectedPart), "message '" + e.getMessage() + "' should mention '" + expectedPart + "'");
    }

    @Test
    void badInputsAreRejectedWithTheProblemNamed() {
        double[] nan = {Double.NaN, Double.NaN};
        assertRejects("'train' is empty", () -> new LineChart("t", "x", "y").series("train", new double[0]));
        assertRejects("no finite points", () -> new LineChart("t", "x", "y").series("val", nan));
        assertRejects("'val'", () -> new LineChart("t", "x", "y").series("val", nan));
        assertRejects("mismatched lengths", () -> new LineChart("t", "x", "y").series("a", new double[3], new double[2]));
        assertRejects("x has 3 values but y has 2", () -> new ScatterChart("t", "x", "y").series("a", new double[3], new double[2]));
        assertRejects("no finite points", () -> new ScatterChart("t", "x", "y").series("a", nan, new double[] {1, 2}));
        assertRejects("no series", () -> RENDERER.render(new LineChart("t", "x", "y")));
        assertRejects("no series", () -> RENDERER.render(new ScatterChart("t", "x", "y")));
        assertRejects("log axis", () -> RENDERER.render(new LineChart("t", "x", "y").logY(true).series("neg", new double[] {-1, 0})));
        assertRejects("name", () -> new LineChart("t", "x", "y").series(" ", new double[] {1}));
        assertRejects("size", () -> new LineChart("t", "x", "y").size(10, 10));
        assertRejects("3 rows but 2 labels", () -> new ConfusionMatrixChart("c", List.of("a", "b"), new long[3][2]));
        assertRejects("row 1", () -> new ConfusionMatrixChart("c", List.of("a", "b"), new long[][] {{1, 2}, {3}}));
        assertRejects("negative", () -> new ConfusionMatrixChart("c", List.of("a", "b"), new long[][] {{1, 2}, {3, -4}}));
        assertRejects("at least one", () -> new ConfusionMatrixChart("c", List.of(), new long[0][0]));
    }

    @Test
    void niceTicks() {
        Axis a = Axis.linear(0, 1);
        assertEquals("0", a.labels()[0]);
        assertTrue(List.of(a.labels()).contains("0.2"), List.of(a.labels()).toString());
        Axis b = Axis.linear(0.1, 0.7);
        for (String s : b.labels()) {
            assertTrue(s.length() <= 4, "ugly label " + s);
        }
        Axis l = Axis.log10(1e-4, 10);
        assertTrue(List.of(l.labels()).containsAll(List.of("0.001", "1")), List.of(l.labels()).toString());
        Axis big = Axis.linear(0, 3e7);
        assertTrue(List.of(big.labels()).contains("1e7"), List.of(big.labels()).toString());
        Axis flat = Axis.linear(5, 5);
        assertTrue(flat.hi() > flat.lo());
    }
}
