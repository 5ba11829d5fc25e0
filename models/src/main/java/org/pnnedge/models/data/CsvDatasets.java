package org.pnnedge.models.data;

// Over 400 lines: reading and writing one file format, with a precise message for every malformed input.

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Datasets as CSV: a header line naming the columns, then one row per sample; comma-separated.
 *
 * <ul>
 *   <li>The label column is the one named {@code label} (or else {@code vowel}, case-insensitive), otherwise the
 *       last column. All other columns are numeric features.</li>
 *   <li>A label is a class index ({@code 0, 1, ...}) or a name ({@code iy}). Label names come from, in order:
 *       the caller's list; a {@code # labels: ae,ah,...} comment before the header (written by {@link #write});
 *       {@code "0".."max"} for integer labels; the sorted distinct names otherwise.</li>
 *   <li>Blank lines and lines starting with {@code #} are skipped; fields are trimmed; a UTF-8 BOM is ignored.</li>
 * </ul>
 * The PAT reference split ({@code f1,...,f12,label} with integer labels) loads as-is. Every problem is a
 * {@link DatasetException} naming the file and line.
 */
public final class CsvDatasets {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final String LABELS_DIRECTIVE = "labels:";

    private CsvDatasets() {
    }

    /** Loads a CSV file; label names are inferred (see class comment). */
    public static Dataset load(Path file) {
        return load(file, null);
    }

    /**
     * Loads a CSV file whose labels must belong to {@code labelNames} (indices into it, or names in it);
     * {@code null} infers them.
     */
    public static Dataset load(Path file, List<String> labelNames) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file, labelNames);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, 0, "file not found");
        } catch (CharacterCodingException e) { // otherwise the bare "Input length = 1"
            throw new DatasetException(file, 0, "not a CSV file: it holds bytes that are not UTF-8 text (an image, a "
                    + "bundle?)", e);
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException(file, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses CSV text; {@code source} only names it in error messages (may be null). */
    public static Dataset parse(String text, Path source, List<String> labelNames) {
        try {
            return parse(new StringReader(text), source, labelNames);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with a StringReader
        }
    }

    private static Dataset parse(Reader reader, Path file, List<String> givenLabels) throws IOException {
        Lines in = new Lines(new BufferedReader(reader));
        Header h = readHeader(in, file);
        List<String> labelSet = givenLabels;
        if (givenLabels != null && h.declaredLabels() != null && !h.declaredLabels().equals(givenLabels)) {
            throw new DatasetException(file, 0, "the file declares labels " + h.declaredLabels()
                    + " but " + givenLabels + " were expected");
        }
        if (labelSet == null) {
            labelSet = h.declaredLabels();
        }
        Rows rows = readRows(in, file, h, labelSet == null);
        if (labelSet == null) {
            labelSet = inferLabels(rows, file);
        }
        return new Dataset(rows.features().toArray(double[][]::new), labelIndices(rows, labelSet, file), labelSet,
                h.featureNames());
    }

    /** A reader that counts lines, so errors can name them. */
    private static final class Lines {
        private final BufferedReader in;
        int lineNo;

        Lines(BufferedReader in) {
            this.in = in;
        }

        String next() throws IOException {
            String line = in.readLine();
            if (line != null) {
                lineNo++;
            }
            return line;
        }
    }

    /** The header line, the {@code # labels:} comment before it (or null) and the label column. */
    private record Header(String[] columns, int line, List<String> declaredLabels, int labelCol) {
        List<String> featureNames() {
            List<String> names = new ArrayList<>();
            for (int j = 0; j < columns.length; j++) {
                if (j != labelCol) {
                    names.add(columns[j]);
                }
            }
            return names;
        }
    }

    /** Reads comments up to and including the header line and checks the header. */
    private static Header readHeader(Lines in, Path file) throws IOException {
        List<String> declaredLabels = null;
        String[] header = null;
        String line;
        while ((line = in.next()) != null) {
            if (in.lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("#")) {
                String c = t.substring(1).trim();
                if (c.toLowerCase(Locale.ROOT).startsWith(LABELS_DIRECTIVE)) {
                    declaredLabels = splitFields(c.substring(LABELS_DIRECTIVE.length()));
                    if (declaredLabels.isEmpty() || declaredLabels.contains("")) {
                        throw new DatasetException(file, in.lineNo, "empty name in '# labels:' comment");
                    }
                }
                continue;
            }
            header = splitFields(t).toArray(String[]::new);
            break;
        }
        if (header == null) {
            throw new DatasetException(file, 0, "empty file: a header line naming the columns is required");
        }
        int headerLine = in.lineNo;
        if (Arrays.stream(header).allMatch(h -> NUMBER.matcher(h).matches())) {
            throw new DatasetException(file, headerLine, "the first line looks like data (all numeric);"
                    + " a header line naming the columns is required");
        }
        if (header.length < 2) {
            throw new DatasetException(file, headerLine, "missing label column: the header has "
                    + header.length + " column, need at least one feature column and a label column");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int j = 0; j < header.length; j++) {
            if (header[j].isEmpty()) {
                throw new DatasetException(file, headerLine, "header column " + (j + 1) + " has no name");
            }
            Integer prev = seen.put(header[j].toLowerCase(Locale.ROOT), j);
            if (prev != null) {
                throw new DatasetException(file, headerLine, "duplicate column name '" + header[j] + "'");
            }
        }
        int labelCol = seen.getOrDefault("label", seen.getOrDefault("vowel", header.length - 1));
        return new Header(header, headerLine, declaredLabels, labelCol);
    }

    /** The data rows: features, raw label text and line of each; whether the labels are integers (null: unknown). */
    private record Rows(List<double[]> features, List<String> rawLabels, List<Integer> lines, Boolean integerLabels) {
    }

    /** Reads the data rows; {@code inferring}: the label set comes from the rows, so they must not mix kinds. */
    private static Rows readRows(Lines in, Path file, Header h, boolean inferring) throws IOException {
        String[] header = h.columns();
        int labelCol = h.labelCol();
        List<double[]> rows = new ArrayList<>();
        List<String> rawLabels = new ArrayList<>();
        List<Integer> rowLines = new ArrayList<>();
        Boolean integerLabels = null;
        String line;
        while ((line = in.next()) != null) {
            int lineNo = in.lineNo;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            List<String> fields = splitFields(t);
            if (fields.size() != header.length) {
                throw new DatasetException(file, lineNo, "expected " + header.length
                        + " columns (as in the header), found " + fields.size());
            }
            double[] x = new double[header.length - 1];
            int k = 0;
            for (int j = 0; j < header.length; j++) {
                if (j == labelCol) {
                    continue;
                }
                x[k++] = parseNumber(fields.get(j), file, lineNo, header[j], j);
            }
            String lab = fields.get(labelCol);
            if (lab.isEmpty()) {
                throw new DatasetException(file, lineNo, "missing label (column '" + header[labelCol] + "' is empty)");
            }
            boolean isInt = INTEGER.matcher(lab).matches();
            if (inferring) {
                if (integerLabels == null) {
                    integerLabels = isInt;
                } else if (integerLabels != isInt) {
                    throw new DatasetException(file, lineNo, "label '" + lab + "' mixes class names and class"
                            + " indices in one file");
                }
            }
            rows.add(x);
            rawLabels.add(lab);
            rowLines.add(lineNo);
        }
        if (rows.isEmpty()) {
            throw new DatasetException(file, h.line(), "the file has a header but no data rows");
        }
        return new Rows(rows, rawLabels, rowLines, integerLabels);
    }

    /** Label names when neither the caller nor the file gives them: "0".."max", or the sorted distinct names. */
    private static List<String> inferLabels(Rows rows, Path file) {
        if (Boolean.TRUE.equals(rows.integerLabels())) {
            int max = 0;
            for (int i = 0; i < rows.rawLabels().size(); i++) {
                int v = parseIndex(rows.rawLabels().get(i), file, rows.lines().get(i));
                max = Math.max(max, v);
            }
            List<String> names = new ArrayList<>();
            for (int c = 0; c <= max; c++) {
                names.add(Integer.toString(c));
            }
            return names;
        }
        return List.copyOf(new TreeSet<>(rows.rawLabels()));
    }

    /** Each row's class index in {@code labelSet}: by exact name, then case-insensitive name, then as an index. */
    private static int[] labelIndices(Rows rows, List<String> labelSet, Path file) {
        Map<String, Integer> byName = new HashMap<>();
        Map<String, Integer> byLowerName = new HashMap<>();
        for (int c = 0; c < labelSet.size(); c++) {
            byName.put(labelSet.get(c), c);
            byLowerName.putIfAbsent(labelSet.get(c).toLowerCase(Locale.ROOT), c);
        }
        int[] labels = new int[rows.rawLabels().size()];
        for (int i = 0; i < labels.length; i++) {
            String lab = rows.rawLabels().get(i);
            int ln = rows.lines().get(i);
            Integer c = byName.get(lab);
            if (c == null) {
                c = byLowerName.get(lab.toLowerCase(Locale.ROOT));
            }
            if (c == null && INTEGER.matcher(lab).matches()) {
                int v = parseIndex(lab, file, ln);
                if (v >= labelSet.size()) {
                    throw new DatasetException(file, ln, "label index " + v + " is out of range 0.."
                            + (labelSet.size() - 1) + " (labels " + labelSet + ")");
                }
                c = v;
            }
            if (c == null) {
                throw new DatasetException(file, ln, "unknown label '" + lab + "' (known labels: " + labelSet + ")");
            }
            labels[i] = c;
        }
        return labels;
    }

    private static int parseIndex(String s, Path file, int line) {
        try {
            int v = Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
            if (v < 0) {
                throw new DatasetException(file, line, "negative label index " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DatasetException(file, line, "label index '" + s + "' is too large");
        }
    }

    private static double parseNumber(String s, Path file, int line, String column, int j) {
        String where = "column '" + column + "' (" + (j + 1) + ")";
        if (s.isEmpty()) {
            throw new DatasetException(file, line, where + " is empty");
        }
        if (!isNumber(s)) {
            if (NON_FINITE.matcher(s).matches()) {
                throw new DatasetException(file, line, where + " is " + s + ": NaN and infinite values are not allowed");
            }
            throw new DatasetException(file, line, where + ": '" + s + "' is not a number");
        }
        double v = parseDecimal(s);
        if (!Double.isFinite(v)) {
            throw new DatasetException(file, line, where + ": '" + s + "' overflows to an infinite value");
        }
        return v;
    }

    /**
     * Same language as {@link #NUMBER}, scanned by hand: a regex match per value made a 784-column file (6 million
     * values) take seconds to load.
     */
    static boolean isNumber(String s) {
        int n = s.length();
        int i = skipSign(s, 0);
        int afterInt = skipDigits(s, i);
        boolean digits = afterInt > i;
        i = afterInt;
        if (i < n && s.charAt(i) == '.') {
            int afterFrac = skipDigits(s, i + 1);
            digits |= afterFrac > i + 1;
            i = afterFrac;
        }
        if (!digits) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int expStart = skipSign(s, i + 1);
            i = skipDigits(s, expStart);
            if (i == expStart) {
                return false;
            }
        }
        return i == n;
    }

    private static int skipSign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    private static int skipDigits(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * {@link Double#parseDouble} of a string {@link #isNumber} accepted, with Clinger's fast path for plain decimals
     * of at most 15 digits: digits / 10^k with both exactly representable is one correctly rounded division, so the
     * result is bit-identical; everything else goes to the JDK. Loading MNIST's 6 million values is mostly this.
     */
    static double parseDecimal(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            negative = s.charAt(0) == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                fraction = 0;
            } else if (isDigit(c) && digits < 15) {
                mantissa = 10 * mantissa + (c - '0');
                digits++;
                if (fraction >= 0) {
                    fraction++;
                }
            } else {
                return Double.parseDouble(s); // exponent or more than 15 digits
            }
        }
        double v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
        return negative ? -v : v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Splits on commas, trims each field and strips one pair of surrounding double quotes. */
    private static List<String> splitFields(String line) {
        String[] parts = line.split(",", -1);
        List<String> out = new ArrayList<>(parts.length);
        for (String p : parts) {
            String f = p.trim();
            if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
                f = f.substring(1, f.length() - 1).trim();
            }
            out.add(f);
        }
        return out;
    }

    /**
     * Writes {@code data} in the format {@link #load} reads: a {@code # labels:} comment keeping the label names
     * and their order, a header of the feature names plus {@code label}, and one row per sample with the class
     * index as label (like the PAT split). Values are written with {@link Double#toString}, which reads back
     * exactly, so {@link Dataset#contentHash()} survives a round trip.
     */
    public static void write(Dataset data, Path file) {
        for (String n : data.labelNames()) {
            checkName(n, "label name");
        }
        for (String n : data.featureNames()) {
            checkName(n, "feature name");
            if (n.equalsIgnoreCase("label") || n.equalsIgnoreCase("vowel")) {
                throw new DatasetException(file, 0, "feature name '" + n + "' is reserved for the label column");
            }
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("# " + LABELS_DIRECTIVE + " " + String.join(",", data.labelNames()));
                w.newLine();
                w.write(String.join(",", data.featureNames()) + ",label");
                w.newLine();
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < data.size(); i++) {
                    sb.setLength(0);
                    for (double v : data.features()[i]) {
                        sb.append(v).append(',');
                    }
                    sb.append(data.labels()[i]);
                    w.write(sb.toString());
                    w.newLine();
                }
            }
        } catch (FileAlreadyExistsException e) { // its message is only the path of the file in the folder's way
            throw new DatasetException(file, 0, "cannot write: " + e.getFile() + " is a file, not a folder", e);
        } catch (IOException e) {
            throw new DatasetException(file, 0, "cannot write: " + e.getMessage(), e);
        }
    }

    private static void checkName(String n, String what) {
        if (n.isBlank() || n.contains(",") || n.contains("\"") || n.contains("\n") || n.contains("\r")
                || !n.equals(n.trim()) || n.startsWith("#")) {
            throw new DatasetException("cannot write " + what + " '" + n + "' to CSV: it must be non-blank,"
                    + " without commas, quotes, line breaks, surrounding spaces or a leading '#'");
        }
    }
}
