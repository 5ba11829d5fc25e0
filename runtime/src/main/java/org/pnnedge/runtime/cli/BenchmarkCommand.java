package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bench.MnistBaselines;
import org.pnnedge.models.bench.VowelBenchmark;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.characterize.Characterizer;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.twin.FittedTwin;
import org.pnnedge.models.twin.TwinFitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "benchmark", description = "Benchmarks. 'vowels': PAT vs in-silico vs ablation vs digital, by "
        + "cross-validation. 'mnist-digital': digital baselines (logistic regression, MLP 784-16-10 and 784-128-10) "
        + "on the split of `pnn data mnist`.")
final class BenchmarkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TASK", description = "vowels or mnist-digital")
    String task;

    @Option(names = "--data", paramLabel = "CSV", description = "vowels: e.g. ../shared/data/vowels/train.csv")
    Path data;

    @Option(names = "--train", paramLabel = "CSV", description = "mnist-digital: DIR/mnist-train.csv of `pnn data mnist`")
    Path trainCsv;

    @Option(names = "--test", paramLabel = "CSV", description = "mnist-digital: DIR/mnist-test.csv of `pnn data mnist`")
    Path testCsv;

    @Option(names = "--device", defaultValue = "emulator:shg?seed=1&timing=zero",
            description = "Device URI; an emulator URI lets folds run in parallel (default ${DEFAULT-VALUE}).")
    String uri;

    @Option(names = "--folds", defaultValue = "5", description = "Default ${DEFAULT-VALUE}.")
    int folds;

    @Option(names = "--seeds", defaultValue = "3", description = "Default ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--layers", defaultValue = "1", description = "Default ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--epochs", description = "Default 400 (vowels), 20 (mnist-digital).")
    Integer epochs;

    @Option(names = "--batch", description = "Default 8 (vowels), 32 (mnist-digital).")
    Integer batch;

    @Option(names = "--learning-rate", description = "Default 0.03 (vowels), 0.001 (mnist-digital).")
    Double learningRate;

    @Option(names = "--samples", defaultValue = "10000", description = "Characterization samples for the twin (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--repeats", defaultValue = "3", description = "Device passes per test fold (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--threads", defaultValue = "2", description = "Parallel folds (emulator only; default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "1", description = "mnist-digital: initialisation and shuffling seed "
            + "(default ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ("mnist-digital".equals(task)) {
            return mnistDigital();
        }
        if (!"vowels".equals(task)) {
            throw new CliException("unknown benchmark '" + task + "' (known: vowels, mnist-digital)");
        }
        if (data == null) {
            throw new CliException("benchmark vowels needs --data CSV");
        }
        boolean emulator = uri.startsWith("emulator:");
        int workers = emulator ? threads : 1;
        Dataset ds = ModelData.load(data);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FittedTwin twin;
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(uri)) {
            ProgressBar bar = new ProgressBar(err, "characterize", samples);
            Characterization c = Characterizer.of(samples, 5).measure(link, d -> bar.update(d, null));
            twin = Twins.fit(Twins.fresh("greybox", c, 1), c, TwinFitter.defaults(1), err);
        }
        Twins.printReport(out, twin.report());
        VowelBenchmark b = new VowelBenchmark(uri, folds, seeds, layers, or(epochs, 400), or(batch, 8),
                or(learningRate, 0.03), repeats, workers);
        ProgressBar bar = new ProgressBar(err, "cross-validate", (long) folds * seeds);
        int[] done = {0};
        VowelBenchmark.Result r = b.run(ds, twin.twin(), line -> {
            bar.update(++done[0], "");
            out.println(line);
        });
        out.printf("%n%d-fold cross-validation on %s (%d samples), mean ± std over %d seeds, %d physical layer%s, "
                + "device %s:%n", folds, data.getFileName(), ds.size(), seeds, layers, layers == 1 ? "" : "s", uri);
        out.println("| method | accuracy |");
        out.println("|---|---|");
        for (String m : r.accuracy().keySet()) {
            double[] ms = r.meanStd(m);
            out.printf("| %s | %.1f %% ± %.1f %% |%n", m, 100 * ms[0], 100 * ms[1]);
        }
        out.println("| reference: SHG PNN, Wright et al. 2022 | 93 % |");
        out.println("| reference: PAT reference code, coupled pendula | 93 % |");
        out.printf("(%.0f s)%n", r.seconds());
        return 0;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Digital baselines on the MNIST split; times are training wall time on this machine. */
    private Integer mnistDigital() {
        if (trainCsv == null || testCsv == null) {
            throw new CliException("benchmark mnist-digital needs --train DIR/mnist-train.csv and --test "
                    + "DIR/mnist-test.csv (write them with `pnn data mnist --out DIR`)");
        }
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Dataset train = ModelData.load(trainCsv);
        Dataset test = ModelData.load(testCsv);
        out.printf("loaded %s and %s in %.2f s%n", train, test, (System.nanoTime() - t0) / 1e9);
        MnistBaselines d = MnistBaselines.defaults();
        MnistBaselines b = new MnistBaselines(or(epochs, d.epochs()), or(batch, d.batch()),
                or(learningRate, d.learningRate()), d.weightDecay(), seed);
        out.printf("minibatch Adam: %d epochs, batch %d, learning rate %s, weight decay %s, seed %d, tanh%n",
                b.epochs(), b.batch(), b.learningRate(), b.weightDecay(), b.seed());
        out.println("| model | parameters | test accuracy | training s |");
        out.println("|---|---:|---:|---:|");
        out.flush();
        try {
            b.run(train, test, r -> {
                out.printf("| %s | %d | %.1f %% | %.1f |%n", r.model(), r.parameters(), 100 * r.accuracy(),
                        r.trainSeconds());
                out.flush();
            });
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        return 0;
    }
}
