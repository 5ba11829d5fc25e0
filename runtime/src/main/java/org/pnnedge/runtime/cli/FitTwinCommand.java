package org.pnnedge.runtime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.twin.FittedTwin;
import org.pnnedge.models.twin.TwinFitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fit-twin", description = "Fit a differentiable digital twin to a characterization file.")
final class FitTwinCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Characterization file (pnn characterize).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "TWIN", description = "Twin file to write (JSON).")
    Path out;

    @Option(names = "--type", defaultValue = "greybox",
            description = "greybox (SHG physics form, learned calibration), greybox+mlp (plus an MLP residual), "
                    + "or mlp (black box, any physics). Default ${DEFAULT-VALUE}.")
    String type;

    @Option(names = "--epochs", defaultValue = "60", description = "Default ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "0.01", description = "Default ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--seed", defaultValue = "1", description = "Default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--plot", paramLabel = "PNG", description = "Also write predicted-vs-measured as a PNG.")
    Path plot;

    @Option(names = "--fidelity-device", paramLabel = "URI", description = "Emulator-only diagnostic: cosine between "
            + "the twin's VJP and finite differences on this device (give noise=off&drift=off), e.g. "
            + "\"emulator:shg?seed=1&noise=off&drift=off&timing=zero\".")
    String fidelityDevice;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (plot != null) {
            ToolsLib.requireChartRenderer("--plot");
            OutputFile.checkNotDirectory("--plot", plot);
            OutputFile.notInput("--plot", plot, "--data", data);
        }
        OutputFile.check("--out", out);
        OutputFile.notInput("--out", out, "--data", data);
        TrainChecks.requireSteps(epochs, null, learningRate);
        Characterization c;
        try {
            c = Characterization.read(data);
        } catch (java.io.IOException e) {
            if (e.getClass() == java.io.IOException.class && !java.nio.file.Files.isDirectory(data)) {
                throw new CliException(e.getMessage()); // a format error: it names the file and line
            }
            throw FileProblem.unreadable("--data", data, e); // not the bare "Is a directory" or "Input length = 1"
        }
        TwinFitter fitter = new TwinFitter(epochs, 64, learningRate, 0.1, seed, null);
        FittedTwin f = Twins.fit(Twins.fresh(type, c, seed), c, fitter, spec.commandLine().getErr());
        Twins.write(out, f);
        Twins.printReport(spec.commandLine().getOut(), f.report());
        if (plot != null) {
            Twins.plot(plot, f.twin(), c);
            spec.commandLine().getOut().println("plot: " + plot);
        }
        if (fidelityDevice != null) {
            try (org.pnnedge.bridge.DeviceContext ctx = org.pnnedge.bridge.DeviceContext.create();
                 org.pnnedge.bridge.DeviceLink link = ctx.open(fidelityDevice)) {
                org.pnnedge.models.twin.GradientFidelity.Result g =
                        new org.pnnedge.models.twin.GradientFidelity(20, 32, seed).measure(link, f.twin());
                spec.commandLine().getOut().printf("gradient fidelity vs device finite differences: mean cosine %.3f "
                                + "(worst %.3f; inputs %.3f, parameters %.3f) over %d points%n", g.meanCosine(),
                        g.minCosine(), g.inputCosine(), g.paramCosine(), g.points());
            }
        }
        spec.commandLine().getOut().println("wrote " + f.twin().type() + " twin to " + out);
        return 0;
    }
}
