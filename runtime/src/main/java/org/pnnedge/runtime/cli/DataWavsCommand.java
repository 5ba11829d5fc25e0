package org.pnnedge.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.pnnedge.models.audio.AudioException;
import org.pnnedge.models.audio.FormantFeatures;
import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.HillenbrandReader;
import org.pnnedge.models.data.Vowel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pnn data wavs}: recorded vowels or /hVd/ words, measured by the audio front end, as a data set. */
@Command(name = "wavs", description = "Measure every WAV in a folder with the audio front end (as `pnn classify "
        + "--wav` does) and write the features as a CSV. The label comes from the file name: its last '_'-separated "
        + "part is a vowel code or /hVd/ word (kal_heed.wav, w03_iy.wav, x_whod.wav); other files are skipped.")
final class DataWavsCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "CSV")
    Path out;

    @Option(names = "--vowels", defaultValue = "pat7", description = "pat7, all12 or Hillenbrand codes: the labels, in this "
            + "order (default ${DEFAULT-VALUE}).")
    String vowels;

    @Option(names = "--units", defaultValue = "pat", description = "pat, hz, hz-f0 or a feature layout, as for "
            + "`pnn data synth`; for talker13 the talker is the file name before its last '_', its words in file "
            + "name order (default ${DEFAULT-VALUE}).")
    String units;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Vowel> v = DataCommand.parseVowels(vowels);
        OutputFile.checkNotDirectory("--out", out); // before measuring every recording
        if (!Files.isDirectory(dir)) {
            throw new CliException(dir + " is not a folder");
        }
        List<Path> wavs;
        try (Stream<Path> s = Files.list(dir)) {
            wavs = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")).sorted().toList();
        }
        List<double[]> hz = new ArrayList<>();
        List<Double> f0 = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> voices = new ArrayList<>();
        int unlabelled = 0;
        List<String> refused = new ArrayList<>();
        for (Path w : wavs) {
            Vowel label = labelOf(w.getFileName().toString(), v);
            if (label == null) {
                unlabelled++;
                continue;
            }
            FormantFeatures.Result r;
            try {
                r = FormantFeatures.extract(w);
            } catch (AudioException e) {
                refused.add(w.getFileName() + ": " + e.reason());
                continue;
            }
            hz.add(r.featuresHz());
            f0.add(r.f0Hz());
            labels.add(v.indexOf(label));
            voices.add(voiceOf(w.getFileName().toString()));
        }
        if (hz.isEmpty()) {
            throw new CliException(dir + ": no labelled WAV the front end could measure (" + wavs.size() + " WAVs, "
                    + unlabelled + " without a vowel in the name, " + refused.size() + " refused)");
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        List<String> names = Vowel.codes(v);
        Dataset hzSet = new Dataset(hz.toArray(double[][]::new), y, names, HillenbrandReader.FEATURE_NAMES);
        Dataset rawSet = FeatureLayout.withF0(hzSet, f0.stream().mapToDouble(Double::doubleValue).toArray());
        Dataset ds = DataCommand.inUnits(hzSet, () -> rawSet, () -> voices, units);
        CsvDatasets.write(ds, out);
        spec.commandLine().getOut().printf("wrote %d measured tokens (%s units) to %s; skipped %d without a vowel in "
                + "the name, %d refused by the front end%s%n", ds.size(), units, out, unlabelled, refused.size(),
                refused.isEmpty() ? "" : " (" + String.join(", ", refused.subList(0, Math.min(5, refused.size())))
                        + (refused.size() > 5 ? ", ..." : "") + ")");
        return 0;
    }

    /** The talker of a file: its name before the last '_' (the whole stem when there is none). */
    static String voiceOf(String fileName) {
        String stem = fileName.replaceFirst("(?i)\\.wav$", "");
        return stem.lastIndexOf('_') < 0 ? stem : stem.substring(0, stem.lastIndexOf('_'));
    }

    /** The vowel named by the last '_'-separated part of a file name (code or word, apostrophes dropped). */
    static Vowel labelOf(String fileName, List<Vowel> vowels) {
        String stem = fileName.replaceFirst("(?i)\\.wav$", "");
        String last = stem.substring(stem.lastIndexOf('_') + 1).toLowerCase(Locale.ROOT).replace("'", "");
        for (Vowel x : vowels) {
            if (x.code().equals(last) || x.word().replace("'", "").equals(last)) {
                return x;
            }
        }
        return null;
    }
}
