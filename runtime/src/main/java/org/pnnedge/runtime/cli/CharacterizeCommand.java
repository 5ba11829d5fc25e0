package org.pnnedge.runtime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "characterize", description = "Measure (inputs, parameters) -> outputs on a device for twin fitting.")
final class CharacterizeCommand implements Callable<Integer> {
    @Option(names = "--device", required = true, paramLabel = "URI", description = "Device URI.")
    String uri;

    @Option(names = "--samples", defaultValue = "10000", description = "Samples to measure (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Characterization file to write.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random codes (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--per-set", defaultValue = "32", description = "Inputs per parameter set (default ${DEFAULT-VALUE}).")
    int perSet;

    @Option(names = "--repeats", defaultValue = "4", description = "Repeated shots per set for the noise estimate (default ${DEFAULT-VALUE}).")
    int repeats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (samples < 1 || samples > 10_000_000) {
            throw new CliException("--samples must be in 1..10000000, got " + samples);
        }
        if (perSet < 1 || repeats < 0) { // the characterizer's own check names "inputsPerSet", no option
            throw new CliException("--per-set must be at least 1 and --repeats at least 0, got " + perSet + " and "
                    + repeats);
        }
        OutputFile.check("--out", out);
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uri)) {
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "characterize", samples);
            Characterization c = new Characterizer(samples, perSet, repeats, seed, -1).measure(link,
                    done -> bar.update(done, null));
            c.write(out);
            double meanNoise = java.util.Arrays.stream(c.noiseStd()).average().orElse(0);
            spec.commandLine().getOut().printf("wrote %d samples of %s device %s to %s (shot noise %.1f ADC codes rms)%n",
                    c.size(), c.kind().id(), c.serial(), out, meanNoise);
        }
        return 0;
    }
}
