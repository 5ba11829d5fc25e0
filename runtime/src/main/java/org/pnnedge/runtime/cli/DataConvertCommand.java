package org.pnnedge.runtime.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.data.FeatureLayout;
import org.pnnedge.models.data.HillenbrandReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pnn data convert}: raw measurements (12 formants and F0 in Hz) into other units or a feature layout. */
@Command(name = "convert", description = "Convert raw measurements (a CSV written with --units hz-f0) to other "
        + "units: pat, hz or a feature layout (log13, bark13, logmean13), without measuring the audio again.")
final class DataConvertCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "CSV", description = "Raw measurements (--units hz-f0).")
    Path in;

    @Option(names = "--units", required = true, description = "pat, hz, hz-f0 or a feature layout.")
    String units;

    @Option(names = "--out", required = true, paramLabel = "CSV")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OutputFile.notInput("--out", out, "--in", in);
        Dataset raw = ModelData.load(in);
        if (!raw.featureNames().equals(FeatureLayout.RAW_NAMES)) {
            throw new CliException(in + " has the columns " + raw.featureNames() + "; raw measurements have "
                    + FeatureLayout.RAW_NAMES + " (write them with --units hz-f0)");
        }
        double[][] hz = Arrays.stream(raw.features()).map(r -> Arrays.copyOf(r, 12)).toArray(double[][]::new);
        Dataset ds = DataCommand.inUnits(raw.withFeatures(hz, HillenbrandReader.FEATURE_NAMES), () -> raw, units);
        CsvDatasets.write(ds, out);
        spec.commandLine().getOut().printf("wrote %d tokens (%s units) to %s%n", ds.size(), units, out);
        return 0;
    }
}
