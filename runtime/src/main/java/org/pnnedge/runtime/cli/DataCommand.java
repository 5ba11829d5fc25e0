package org.pnnedge.runtime.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.Normalization;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "data", description = "Datasets.", subcommands = {DataCommand.Synth.class})
final class DataCommand {

    @Command(name = "synth", description = "Write synthetic vowels (Hillenbrand et al. 1995 statistics) as a CSV.")
    static final class Synth implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "CSV")
        Path out;

        @Option(names = "--groups", defaultValue = "women", description = "men, women, boys, girls, children, all "
                + "(comma-separated; default ${DEFAULT-VALUE}).")
        String groups;

        @Option(names = "--vowels", defaultValue = "pat7", description = "pat7 (ae,ah,aw,uw,er,iy,ih) or Hillenbrand "
                + "codes, comma-separated (default ${DEFAULT-VALUE}).")
        String vowels;

        @Option(names = "--talkers", defaultValue = "50", description = "Talkers per group (default ${DEFAULT-VALUE}).")
        int talkers;

        @Option(names = "--tokens-per-talker", defaultValue = "1", description = "Tokens of each vowel per talker (default ${DEFAULT-VALUE}).")
        int tokens;

        @Option(names = "--seed", defaultValue = "1", description = "Default ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--units", defaultValue = "pat", description = "pat: each feature divided by the PAT "
                + "split's column maximum (the format of ../shared/data/vowels/train.csv); hz: formants in Hz "
                + "(default ${DEFAULT-VALUE}).")
        String units;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<Vowel> v;
            if ("pat7".equalsIgnoreCase(vowels.trim())) {
                v = Vowel.PAT_7;
            } else {
                try {
                    v = java.util.Arrays.stream(vowels.split(",")).map(String::trim).map(Vowel::fromCode).toList();
                } catch (IllegalArgumentException e) {
                    throw new CliException("--vowels: " + e.getMessage());
                }
            }
            java.util.Set<TalkerGroup> g;
            try {
                g = TalkerGroup.parse(groups);
            } catch (IllegalArgumentException e) {
                throw new CliException("--groups: " + e.getMessage());
            }
            Dataset ds = SyntheticVowels.builder().groups(g).vowels(v).talkers(talkers).tokensPerTalker(tokens)
                    .seed(seed).build();
            switch (units.toLowerCase(Locale.ROOT)) {
                case "hz" -> { }
                case "pat" -> ds = Normalization.patVowel7().apply(ds);
                default -> throw new CliException("--units must be pat or hz, got '" + units + "'");
            }
            CsvDatasets.write(ds, out);
            spec.commandLine().getOut().printf("wrote %d synthetic tokens (%s; %s; %s units) to %s%n", ds.size(),
                    String.join(",", ds.labelNames()), groups, units, out);
            return 0;
        }
    }
}
