package org.pnnedge.models.pnn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.pnnedge.models.nn.Adam;
import org.pnnedge.models.nn.LrSchedule;
import org.pnnedge.models.nn.Shuffle;
import org.pnnedge.models.twin.Twin;

/**
 * Trains a PNN by physics-aware training or in silico. Holds hyper-parameters and a seed (Tribuo style);
 * {@link #train} returns an immutable {@link PnnModel} and its learning curve.
 *
 * @param epochs        passes over the training data
 * @param batch         samples per step (one SHOT_BATCH per layer per step)
 * @param learningRate  peak Adam step size (warm-up, then cosine decay)
 * @param rangePenalty  weight of the penalty on layer inputs outside the DAC range
 * @param darkReferencedReadout when true, class logits are g_c·(y_c − dark_c) with dark_c the channel's dark level
 *                      measured on the device (all codes zero) and no trained offset: the argmax is then unchanged
 *                      when the light source drifts (all signals scale together). When false, g_c·y_c + h_c.
 */
public record PnnTrainer(TrainingMode mode, int layers, int epochs, int batch, double learningRate,
                         double rangePenalty, boolean darkReferencedReadout, long seed) {
    public PnnTrainer {
        if (layers < 1 || epochs < 1 || batch < 1 || !(learningRate > 0) || rangePenalty < 0) {
            throw new IllegalArgumentException("bad trainer settings: layers=" + layers + " epochs=" + epochs
                    + " batch=" + batch + " lr=" + learningRate);
        }
    }

    /** With the affine readout (per-class gain and offset): the most accurate, but it relies on recalibration. */
    public PnnTrainer(TrainingMode mode, int layers, int epochs, int batch, double learningRate, double rangePenalty,
                      long seed) {
        this(mode, layers, epochs, batch, learningRate, rangePenalty, false, seed);
    }

    public static PnnTrainer defaults(TrainingMode mode, int layers, long seed) {
        return new PnnTrainer(mode, layers, 400, 8, 0.03, 1.0, false, seed);
    }

    /** The result of training. */
    public record Result(PnnModel model, List<EpochStats> curve, double seconds) {
    }

    /**
     * @param zTrain       normalised training features (see {@link PnnModel} for the normalisation it stores)
     * @param device       where evaluation runs (and, for PAT, the forward pass)
     * @param twin         the differentiable model used for the backward pass (and, in silico, the forward pass)
     * @param zValidation  validation features, evaluated on the device each epoch (may be null)
     */
    public Result train(PnnArchitecture arch, List<String> labels, double[] featureOffset, double[] featureScale,
                        double[][] zTrain, int[] yTrain, double[][] zValidation, int[] yValidation,
                        PhysicalLayers device, Twin twin, Consumer<EpochStats> progress) {
        long t0 = System.nanoTime();
        PhysicalLayers forwardOn = mode == TrainingMode.PAT ? device
                : new PhysicalLayers.OnTwin(twin, device.maxDac(), device.maxAdc());
        PnnParameters p = PnnParameters.initial(arch, seed);
        int n = zTrain.length;
        PnnPass pass = new PnnPass(arch, Math.max(batch, n));
        initialiseFromData(p, pass, zTrain, n, forwardOn, darkReferencedReadout);

        List<double[]> grads = p.zerosLike();
        int stepsPerEpoch = (n + batch - 1) / batch;
        int total = stepsPerEpoch * epochs;
        Adam adam = new Adam(p.arrays(), Adam.Options.defaults(learningRate))
                .schedule(LrSchedule.cosine(learningRate, learningRate * 0.05, Math.min(50, total / 10), total));
        Twin.Workspace ws = twin.newWorkspace();
        SplittableRandom shuffle = new SplittableRandom(seed * 31 + 7);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[][] zb = new double[batch][];
        int[] yb = new int[batch];
        PnnPass evalPass = zValidation == null ? null : new PnnPass(arch, Math.max(1, zValidation.length));
        List<EpochStats> curve = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Shuffle.inPlace(order, shuffle);
            double lossSum = 0;
            int correct = 0;
            long deviceNanos = 0;
            long digitalNanos = 0;
            for (int s = 0; s < n; s += batch) {
                int m = Math.min(batch, n - s);
                for (int b = 0; b < m; b++) {
                    zb[b] = zTrain[order[s + b]];
                    yb[b] = yTrain[order[s + b]];
                }
                long a = System.nanoTime();
                pass.forward(p, zb, m, forwardOn);
                long bTime = System.nanoTime();
                correct += pass.correct(yb, m);
                lossSum += m * pass.backward(p, zb, yb, m, twin, ws, rangePenalty, grads);
                if (darkReferencedReadout) {
                    java.util.Arrays.fill(grads.get(grads.size() - 1), 0); // readout offsets stay at zero
                }
                adam.step(grads);
                p.clampTheta();
                long c = System.nanoTime();
                deviceNanos += bTime - a;
                digitalNanos += c - bTime;
            }
            double val = Double.NaN;
            if (evalPass != null) {
                long a = System.nanoTime();
                evalPass.forward(p, zValidation, zValidation.length, device);
                val = evalPass.correct(yValidation, zValidation.length) / (double) zValidation.length;
                deviceNanos += System.nanoTime() - a;
            }
            EpochStats st = new EpochStats(epoch, lossSum / n, correct / (double) n, val, deviceNanos / 1e9,
                    digitalNanos / 1e9);
            curve.add(st);
            progress.accept(st);
        }
        PnnModel model = PnnModel.of(p, labels, featureOffset, featureScale, device.maxDac());
        return new Result(model, List.copyOf(curve), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Sets the gains in front of layers 1.. and the readout from the statistics of a first forward pass, so
     * every layer starts inside the DAC range and every class logit starts on a comparable scale.
     */
    static void initialiseFromData(PnnParameters p, PnnPass pass, double[][] z, int n, PhysicalLayers on,
                                           boolean darkReferenced) {
        PnnArchitecture a = p.arch;
        double[] dark = darkReferenced ? darkLevels(a, on) : null;
        for (int l = 1; l <= a.layers(); l++) {
            pass.forward(p, z, n, on);
            double[][] prev = pass.y[l - 1];
            for (int k = 0; k < a.outputs(); k++) {
                double mu = 0;
                double sq = 0;
                for (int b = 0; b < n; b++) {
                    mu += prev[b][k];
                    sq += prev[b][k] * prev[b][k];
                }
                mu /= n;
                double sd = Math.sqrt(Math.max(1e-12, sq / n - mu * mu));
                if (l < a.layers()) {
                    p.shift[l][k] = mu;
                    p.scale[l][k] = 1.0 / sd;
                } else {
                    for (int c = 0; c < a.classes(); c++) {
                        if (a.classChannel(c) == k) {
                            if (dark != null) {
                                // logit = g·(y − dark)/(mean − dark): scale-free, so source drift cancels in argmax
                                p.readShift[c] = dark[k];
                                p.readScale[c] = 1.0 / Math.max(1e-6, mu - dark[k]);
                                p.readGain[c] = 5.0;
                                p.readOffset[c] = 0.0;
                            } else {
                                p.readShift[c] = mu;
                                p.readScale[c] = 1.0 / sd;
                            }
                        }
                    }
                }
            }
        }
    }

    /** Output of the last layer with every input and parameter code at zero: the detector's dark level. */
    private static double[] darkLevels(PnnArchitecture a, PhysicalLayers on) {
        int last = a.layers() - 1;
        int[][] in = {new int[a.inputs()]};
        double[][] y = new double[1][a.outputs()];
        double[] mean = new double[a.outputs()];
        int shots = 8;
        for (int s = 0; s < shots; s++) {
            on.run(last, new int[a.params()], in, 1, y);
            for (int k = 0; k < mean.length; k++) {
                mean[k] += y[0][k] / shots;
            }
        }
        return mean;
    }

    /** Accuracy of a model on the device over {@code repeats} passes (the device is noisy). */
    public static double[] evaluate(PnnModel model, double[][] z, int[] labels, PhysicalLayers layers, int repeats,
                                    int[][] confusion) {
        PnnParameters p = model.toParameters(layers.maxDac());
        PnnPass pass = new PnnPass(model.architecture(), Math.max(1, z.length));
        double[] acc = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            pass.forward(p, z, z.length, layers);
            int ok = 0;
            for (int b = 0; b < z.length; b++) {
                int pred = PnnPass.argmax(pass.logits[b]);
                if (pred == labels[b]) {
                    ok++;
                }
                if (confusion != null) {
                    confusion[labels[b]][pred]++;
                }
            }
            acc[r] = ok / (double) z.length;
        }
        return acc;
    }
}
