package org.pnnedge.models.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.pnnedge.models.data.Dataset;

/**
 * Digital baselines on the MNIST split ({@code pnn data mnist}): logistic regression and MLPs 784-16-10 and
 * 784-128-10 (tanh), minibatch Adam on the raw grey levels (already in [0, 1]; no standardisation).
 *
 * @param epochs       passes over the training set
 * @param batch        samples per Adam step
 * @param learningRate Adam step size
 * @param weightDecay  decoupled weight decay
 * @param seed         initialisation and shuffling seed
 */
public record MnistBaselines(int epochs, int batch, double learningRate, double weightDecay, long seed) {
    /** The settings of the BENCHMARKS.md figures. */
    public static MnistBaselines defaults() {
        return new MnistBaselines(20, 32, 1e-3, 1e-4, 1);
    }

    /** One model's result. */
    public record Result(String model, int parameters, double accuracy, double trainSeconds) {
    }

    /** The three models, in order: logistic regression, 784-16-10, 784-128-10. */
    public List<DigitalBaseline> models() {
        return List.of(new DigitalBaseline(new int[0], epochs, learningRate, weightDecay, seed, batch),
                new DigitalBaseline(new int[] {16}, epochs, learningRate, weightDecay, seed, batch),
                new DigitalBaseline(new int[] {128}, epochs, learningRate, weightDecay, seed, batch));
    }

    /** Trains each model on {@code train}, measures it on {@code test}; reports each result as it comes. */
    public List<Result> run(Dataset train, Dataset test, Consumer<Result> progress) {
        if (train.numFeatures() != test.numFeatures() || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("train and test differ: " + train + " vs " + test);
        }
        List<Result> out = new ArrayList<>();
        for (DigitalBaseline b : models()) {
            long t0 = System.nanoTime();
            var net = b.train(train.features(), train.labels(), train.numClasses());
            double secs = (System.nanoTime() - t0) / 1e9;
            double acc = DigitalBaseline.accuracy(net, test.features(), test.labels(), test.numClasses());
            String name = b.hidden().length == 0 ? "logistic regression " + train.numFeatures() + "-"
                    + train.numClasses() : "MLP " + train.numFeatures() + "-" + b.hidden()[0] + "-" + train.numClasses();
            Result r = new Result(name, net.parameterCount(), acc, secs);
            out.add(r);
            progress.accept(r);
        }
        return out;
    }
}
