package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.pnnedge.models.bench.MnistBaselines;
import org.pnnedge.models.data.Dataset;

/** {@code pnn benchmark mnist-digital}: the digital baselines on the MNIST split; times are training wall time. */
final class MnistDigitalBenchmark {
    private MnistDigitalBenchmark() {
    }

    /** Null settings take {@link MnistBaselines#defaults()}. */
    static int run(PrintWriter out, Path trainCsv, Path testCsv, Integer epochs, Integer batch, Double learningRate,
                   long seed) {
        if (trainCsv == null || testCsv == null) {
            throw new CliException("benchmark mnist-digital needs --train DIR/mnist-train.csv and --test "
                    + "DIR/mnist-test.csv (write them with `pnn data mnist --out DIR`)");
        }
        long t0 = System.nanoTime();
        Dataset train = ModelData.load(trainCsv);
        Dataset test = ModelData.load(testCsv);
        out.printf("loaded %s and %s in %.2f s%n", train, test, (System.nanoTime() - t0) / 1e9);
        MnistBaselines d = MnistBaselines.defaults();
        MnistBaselines b = new MnistBaselines(epochs != null ? epochs : d.epochs(), batch != null ? batch : d.batch(),
                learningRate != null ? learningRate : d.learningRate(), d.weightDecay(), seed);
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
