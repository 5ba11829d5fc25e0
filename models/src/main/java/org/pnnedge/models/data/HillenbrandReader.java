package org.pnnedge.models.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.tinylog.Logger;

/**
 * Reads {@code vowdata.dat} of Hillenbrand, Getty, Clark &amp; Wheeler (1995), "Acoustic characteristics of
 * American English vowels", J. Acoust. Soc. Am. 97(5), 3099–3111.
 *
 * <p>File layout: free-text header lines, then one token per line, whitespace-separated:
 * {@code filename duration f0 F1ss F2ss F3ss F4ss F1@20% F2@20% F3@20% F1@50% F2@50% F3@50% F1@80% F2@80% F3@80%}
 * (ms, Hz). The file name is group letter (m/w/b/g), two-digit talker number, two-letter vowel code. A zero means
 * "not measurable". Lines before the first token line are skipped, whatever they say.
 *
 * <p>The result has the 12 features {@link #FEATURE_NAMES} in Hz, labels in the requested vowel order; tokens
 * missing any of the 12 are dropped and counted ({@link Reading#droppedMissing()}).
 */
public final class HillenbrandReader {
    /** F1, F2, F3 at steady state, then at 20 %, 50 % and 80 % of the vowel's duration. */
    public static final List<String> FEATURE_NAMES = List.of(
            "F1_ss", "F2_ss", "F3_ss", "F1_20", "F2_20", "F3_20", "F1_50", "F2_50", "F3_50", "F1_80", "F2_80", "F3_80");

    /** Columns (0-based, after the file name) of the 12 features: F1..F3 ss skip F4ss, then 20/50/80 %. */
    private static final int[] FEATURE_COLUMNS = {2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14};
    private static final int VALUE_COLUMNS = 15;
    /** Column of the token's F0 (Hz; 0 = not measurable). */
    private static final int F0_COLUMN = 1;
    private static final Pattern TOKEN_NAME = Pattern.compile("[mwbgMWBG]\\d{2}[a-zA-Z]{2}");

    private HillenbrandReader() {
    }

    /**
     * Which tokens to read.
     *
     * @param groups talker groups ({@link TalkerGroup#CHILDREN} for boys and girls)
     * @param vowels vowels, in label order
     */
    public record Selection(Set<TalkerGroup> groups, List<Vowel> vowels) {
        public Selection {
            if (groups.isEmpty() || vowels.isEmpty()) {
                throw new IllegalArgumentException("select at least one talker group and one vowel");
            }
            groups = Set.copyOf(EnumSet.copyOf(groups));
            vowels = List.copyOf(vowels);
            if (Set.copyOf(vowels).size() != vowels.size()) {
                throw new IllegalArgumentException("vowel listed twice: " + vowels);
            }
        }

        public static Selection of(Collection<TalkerGroup> groups, List<Vowel> vowels) {
            return new Selection(EnumSet.copyOf(groups), vowels);
        }

        /** All four groups, all 12 vowels in {@link Vowel} order. */
        public static Selection all() {
            return new Selection(TalkerGroup.ALL, List.of(Vowel.values()));
        }

        /** Women, the PAT 7 vowels in PAT label order. */
        public static Selection pat7Women() {
            return new Selection(EnumSet.of(TalkerGroup.WOMEN), Vowel.PAT_7);
        }
    }

    /**
     * The selected tokens and what happened to the rest.
     *
     * @param dataset        complete tokens, in file order
     * @param tokenIds       file name of each row (e.g. {@code w03iy}); the talker is its first three characters
     * @param selected       tokens in the file matching the selection
     * @param droppedMissing selected tokens dropped because a feature was 0 ("not measurable")
     * @param droppedByGroup the same, per talker group
     * @param f0Hz           each row's F0 (Hz) from the file; 0 where the file says "not measurable"
     */
    public record Reading(Dataset dataset, List<String> tokenIds, int selected, int droppedMissing,
                          Map<TalkerGroup, Integer> droppedByGroup, double[] f0Hz) {
        public Reading {
            tokenIds = List.copyOf(tokenIds);
            droppedByGroup = Map.copyOf(droppedByGroup);
            f0Hz = f0Hz.clone();
            if (f0Hz.length != dataset.size()) {
                throw new IllegalArgumentException(f0Hz.length + " F0 values for " + dataset.size() + " rows");
            }
        }

        @Override
        public double[] f0Hz() {
            return f0Hz.clone();
        }

        /**
         * The rows as raw measurements ({@link FeatureLayout#RAW_NAMES}: 12 formants and F0, Hz), for a
         * {@link FeatureLayout}; rows without a measured F0 are left out when {@code needF0}.
         */
        public Dataset raw(boolean needF0) {
            int[] keep = java.util.stream.IntStream.range(0, f0Hz.length).filter(i -> !needF0 || f0Hz[i] > 0)
                    .toArray();
            double[] f0 = java.util.Arrays.stream(keep).mapToDouble(i -> f0Hz[i]).toArray();
            return FeatureLayout.withF0(dataset.subset(keep), f0);
        }

        /** Talker id of row {@code i}, e.g. {@code w03}. */
        public String talkerId(int i) {
            return tokenIds.get(i).substring(0, 3);
        }

        /** Talker group of row {@code i}. */
        public TalkerGroup group(int i) {
            return TalkerGroup.fromPrefix(tokenIds.get(i).charAt(0));
        }
    }

    /** Reads the selected complete tokens; the number dropped for missing values is logged. */
    public static Dataset read(Path file, Selection selection) {
        Reading r = readDetailed(file, selection);
        if (r.droppedMissing() > 0) {
            Logger.info("{}: dropped {} of {} selected tokens with unmeasurable formants", file, r.droppedMissing(),
                    r.selected());
        }
        return r.dataset();
    }

    /** Reads the selected tokens, reporting token ids and drop counts. */
    public static Reading readDetailed(Path file, Selection selection) {
        Objects.requireNonNull(selection, "selection");
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Double> f0s = new ArrayList<>();
        Map<TalkerGroup, Integer> dropped = new EnumMap<>(TalkerGroup.class);
        int selected = 0;
        int tokens = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String[] f = line.trim().split("\\s+");
                if (f.length == 0 || !TOKEN_NAME.matcher(f[0]).matches()) {
                    if (tokens > 0 && !line.isBlank()) {
                        throw new DatasetException(file, lineNo, "expected a token line (e.g. 'w01ae 283 ...'),"
                                + " found '" + abbreviate(line) + "'");
                    }
                    continue; // header text before the first token
                }
                tokens++;
                if (f.length != 1 + VALUE_COLUMNS) {
                    throw new DatasetException(file, lineNo, "token " + f[0] + " has " + (f.length - 1)
                            + " values, expected " + VALUE_COLUMNS);
                }
                String name = f[0].toLowerCase(java.util.Locale.ROOT);
                TalkerGroup group = TalkerGroup.fromPrefix(name.charAt(0));
                Vowel vowel;
                try {
                    vowel = Vowel.fromCode(name.substring(3, 5));
                } catch (IllegalArgumentException e) {
                    throw new DatasetException(file, lineNo, "token " + f[0] + ": " + e.getMessage());
                }
                double[] x = new double[FEATURE_COLUMNS.length];
                boolean complete = true;
                for (int j = 0; j < FEATURE_COLUMNS.length; j++) {
                    String s = f[1 + FEATURE_COLUMNS[j]];
                    double v;
                    try {
                        v = Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw new DatasetException(file, lineNo, "token " + f[0] + ", " + FEATURE_NAMES.get(j)
                                + ": '" + s + "' is not a number");
                    }
                    if (!Double.isFinite(v) || v < 0) {
                        throw new DatasetException(file, lineNo, "token " + f[0] + ", " + FEATURE_NAMES.get(j)
                                + ": invalid value " + s);
                    }
                    complete &= v > 0;
                    x[j] = v;
                }
                int label = selection.vowels().indexOf(vowel);
                if (!selection.groups().contains(group) || label < 0) {
                    continue;
                }
                selected++;
                if (!complete) {
                    dropped.merge(group, 1, Integer::sum);
                    continue;
                }
                double f0;
                try {
                    f0 = Double.parseDouble(f[1 + F0_COLUMN]);
                } catch (NumberFormatException e) {
                    throw new DatasetException(file, lineNo, "token " + f[0] + ", F0: '" + f[1 + F0_COLUMN]
                            + "' is not a number");
                }
                if (!Double.isFinite(f0) || f0 < 0) {
                    throw new DatasetException(file, lineNo, "token " + f[0] + ", F0: invalid value " + f0);
                }
                rows.add(x);
                labels.add(label);
                ids.add(name);
                f0s.add(f0);
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, 0, "file not found");
        } catch (IOException e) {
            throw new DatasetException(file, 0, "cannot read: " + e.getMessage(), e);
        }
        if (tokens == 0) {
            throw new DatasetException(file, 0, "no token lines found: is this Hillenbrand's vowdata.dat?");
        }
        Dataset ds = new Dataset(rows.toArray(double[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(),
                Vowel.codes(selection.vowels()), FEATURE_NAMES);
        int droppedTotal = dropped.values().stream().mapToInt(Integer::intValue).sum();
        return new Reading(ds, ids, selected, droppedTotal, dropped,
                f0s.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 40 ? t : t.substring(0, 40) + "...";
    }
}
