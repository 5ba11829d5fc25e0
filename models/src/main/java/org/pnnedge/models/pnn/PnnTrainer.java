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
 * @param augmentation  random image shifts of the training samples, or null
 */
public record PnnTrainer(TrainingMode mode, int layers, int epochs, int batch, double learningRate,
                         double rangePenalty, boolean darkReferencedReadout, long seed, ImageShift augmentation) {
    public PnnTrainer {
        if (layers < 1 || epochs < 1 || batch < 1 || !(learningRate > 0) || rangePenalty < 0) {
            throw new IllegalArgumentException("bad trainer settings: layers=" + layers + " epochs=" + epochs
                    + " batch=" + batch + " lr=" + learningRate);
        }
    }

    /** Without augmentation. */
    public PnnTrainer(TrainingMode mode, int layers, int epochs, int batch, double learningRate, double rangePenalty,
                      boolean darkReferencedReadout, long seed) {
        this(mode, layers, epochs, batch, learningRate, rangePenalty, darkReferencedReadout, seed, null);
    }

    /** With the affine readout (per-class gain and offset): the most accurate, but it relies on recalibration. */
    public PnnTrainer(TrainingMode mode, int layers, int epochs, int batch, double learningRate, double rangePenalty,
                      long seed) {
        this(mode, layers, epochs, batch, learningRate, rangePenalty, false, seed);
    }

    /**
     * The default peak learning rate for {@code layers} layers: 0.03 / √L. Through the skip path an early layer's
     * input receives gradient from every later layer, so deeper networks need smaller steps; 8 layers trained at
     * 0.03 sometimes saturated their first layer (61 % of its inputs out of range) and stalled.
     */
    public static double defaultLearningRate(int layers) {
        return 0.03 / Math.sqrt(layers);
    }

    public static PnnTrainer defaults(TrainingMode mode, int layers, long seed) {
        return new PnnTrainer(mode, layers, 400, 8, 0.03, 1.0, false, seed);
    }

    /** The result of training. */
    public record Result(PnnModel model, List<EpochStats> curve, double seconds) {
    }

    /**
     * @param zTrain       normalised training features (see {@link PnnModel} for the normalisation it stores)
     * @param device       where evaluation runs (and, for PAT, the forward pass); told each epoch's start
     *                     ({@link PhysicalLayers#startEpoch}), e.g. to rotate over sessions
     * @param twin         the differentiable model used for the backward pass (and, in silico, the forward pass)
     * @param zValidation  validation features, evaluated on the device each epoch (may be null)
     */
    public Result train(PnnArchitecture arch, List<String> labels, double[] featureOffset, double[] featureScale,
                        double[][] zTrain, int[] yTrain, double[][] zValidation, int[] yValidation,
                        PhysicalLayers device, Twin twin, Consumer<EpochStats> progress) {
        if (arch.layers() != layers) {
            throw new IllegalArgumentException("trainer is for " + layers + " layers, architecture has " + arch.layers());
        }
        long t0 = System.nanoTime();
        PhysicalLayers forwardOn = mode == TrainingMode.PAT ? device
                : new PhysicalLayers.OnTwin(twin, device.maxDac(), device.maxAdc());
        PnnParameters p = PnnParameters.initial(arch, seed);
        int n = zTrain.length;
        PnnPass pass = new PnnPass(arch, Math.min(n, Math.max(batch, 512)));
        initialiseFromData(p, pass, zTrain, n, forwardOn, darkReferencedReadout);

        PnnParameters grads = p.zerosLike();
        List<double[]> gradArrays = grads.arrays();
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
        double[][] shifted = augmentation == null ? null : new double[batch][zTrain[0].length];
        SplittableRandom augmentRandom = new SplittableRandom(seed * 7919 + 3);
        Evaluation validation = zValidation == null ? null : new Evaluation(arch, zValidation, yValidation);
        InputScaling scaling = arch.ops().legacy() ? null : new InputScaling(arch);
        List<EpochStats> curve = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            device.startEpoch(epoch); // across sessions: this epoch's forward passes and validation on its session
            Shuffle.inPlace(order, shuffle);
            double lossSum = 0;
            int correct = 0;
            long deviceNanos = 0;
            long digitalNanos = 0;
            double[] gradNorm = new double[arch.layers()];
            long[] saturated = new long[arch.layers()];
            for (int s = 0; s < n; s += batch) {
                int m = Math.min(batch, n - s);
                for (int b = 0; b < m; b++) {
                    zb[b] = zTrain[order[s + b]];
                    yb[b] = yTrain[order[s + b]];
                    if (shifted != null) {
                        augmentation.apply(zb[b], shifted[b], augmentRandom);
                        zb[b] = shifted[b];
                    }
                }
                long a = System.nanoTime();
                pass.forward(p, zb, m, forwardOn);
                long bTime = System.nanoTime();
                correct += pass.correct(yb, m);
                if (scaling != null) {
                    scaling.accumulate(pass, m);
                }
                countSaturated(pass, m, saturated);
                lossSum += m * pass.backward(p, zb, yb, m, twin, ws, rangePenalty, grads);
                if (darkReferencedReadout) {
                    java.util.Arrays.fill(grads.readOffset, 0); // readout offsets stay at zero
                }
                for (int l = 0; l < arch.layers(); l++) {
                    gradNorm[l] += norm(grads.theta[l]) / stepsPerEpoch;
                }
                adam.step(gradArrays);
                p.clampTheta();
                long c = System.nanoTime();
                deviceNanos += bTime - a;
                digitalNanos += c - bTime;
            }
            if (scaling != null) {
                scaling.apply(p, !darkReferencedReadout);
            }
            if (!Double.isFinite(lossSum)) {
                throw new IllegalStateException("training diverged in epoch " + epoch + " (the loss is not finite)");
            }
            double val = Double.NaN;
            if (validation != null) {
                long a = System.nanoTime();
                val = validation.accuracy(p, device);
                deviceNanos += System.nanoTime() - a;
            }
            double[] sat = new double[arch.layers()];
            for (int l = 0; l < sat.length; l++) {
                sat[l] = saturated[l] / (double) ((long) n * arch.width());
            }
            EpochStats st = new EpochStats(epoch, lossSum / n, correct / (double) n, val, deviceNanos / 1e9,
                    digitalNanos / 1e9, gradNorm, sat);
            curve.add(st);
            progress.accept(st);
        }
        PnnModel model = PnnModel.of(p, labels, featureOffset, featureScale, device.maxDac());
        return new Result(model, List.copyOf(curve), (System.nanoTime() - t0) / 1e9);
    }

    private static void countSaturated(PnnPass pass, int n, long[] saturated) {
        for (int l = 0; l < saturated.length; l++) {
            for (int b = 0; b < n; b++) {
                for (double v : pass.u[l][b]) {
                    if (v < 0 || v > 1) {
                        saturated[l]++;
                    }
                }
            }
        }
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * Measures the dark level (when the architecture or readout needs it), then sets the standardisation in front
     * of layers 1.. and the readout from the statistics of forward passes, layer by layer, so every layer starts
     * inside the DAC range and every class logit starts on a comparable scale.
     */
    static void initialiseFromData(PnnParameters p, PnnPass pass, double[][] z, int n, PhysicalLayers on,
                                   boolean darkReferenced) {
        PnnArchitecture a = p.arch;
        boolean common = a.ops().norm() == LayerOps.OutputNorm.COMMON_MODE;
        double[] readoutDark = new double[a.outputs()]; // with common-mode outputs the dark is subtracted already
        if (common) {
            System.arraycopy(darkLevels(a, on, 0), 0, p.dark, 0, a.outputs());
        } else if (darkReferenced) {
            readoutDark = darkLevels(a, on, a.layers() - 1);
        }
        for (int l = 1; l <= a.layers(); l++) {
            double[][] st = outputStats(p, pass, z, n, on, l - 1);
            for (int j = 0; j < a.outWidth(); j++) {
                double mu = st[0][j];
                double sd = st[1][j];
                if (l < a.layers()) {
                    p.shift[l][j] = mu;
                    p.scale[l][j] = 1.0 / sd;
                } else if (a.hybrid()) {
                    p.readShift[j] = mu;
                    p.readScale[j] = 1.0 / sd;
                } else {
                    for (int c = 0; c < a.classes(); c++) {
                        if (a.classChannel(c) != j) {
                            continue;
                        }
                        if (darkReferenced) {
                            // logit = g·(y − dark)/(mean − dark): scale-free, so source drift cancels in argmax
                            double dk = readoutDark[j];
                            p.readShift[c] = dk;
                            p.readScale[c] = 1.0 / Math.max(1e-6, mu - dk);
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

    /** Mean and standard deviation per channel of layer l's normalised outputs over all n samples. */
    private static double[][] outputStats(PnnParameters p, PnnPass pass, double[][] z, int n, PhysicalLayers on,
                                          int l) {
        int wo = p.arch.outWidth();
        double[] sum = new double[wo];
        double[] sq = new double[wo];
        for (int s = 0; s < n; s += pass.maxBatch) {
            int m = Math.min(pass.maxBatch, n - s);
            double[][] chunk = java.util.Arrays.copyOfRange(z, s, s + m);
            pass.forward(p, chunk, m, on);
            for (int b = 0; b < m; b++) {
                for (int j = 0; j < wo; j++) {
                    double v = pass.yh[l][b][j];
                    sum[j] += v;
                    sq[j] += v * v;
                }
            }
        }
        double[][] st = new double[2][wo];
        for (int j = 0; j < wo; j++) {
            st[0][j] = sum[j] / n;
            st[1][j] = Math.sqrt(Math.max(1e-12, sq[j] / n - st[0][j] * st[0][j]));
        }
        return st;
    }

    /** Output of layer {@code slotLayer}'s slot with every input and parameter code at zero: the dark level. */
    private static double[] darkLevels(PnnArchitecture a, PhysicalLayers on, int slotLayer) {
        int[][] in = {new int[a.inputs()]};
        double[][] y = new double[1][a.outputs()];
        double[] mean = new double[a.outputs()];
        int shots = 8;
        for (int s = 0; s < shots; s++) {
            on.run(slotLayer, new int[a.params()], in, 1, y);
            for (int k = 0; k < mean.length; k++) {
                mean[k] += y[0][k] / shots;
            }
        }
        return mean;
    }

    /** Accuracy of a model on the device over {@code repeats} passes (the device is noisy). */
    public static double[] evaluate(PnnModel model, double[][] z, int[] labels, PhysicalLayers layers, int repeats,
                                    int[][] confusion) {
        Evaluation e = new Evaluation(model.architecture(), z, labels);
        PnnParameters p = model.toParameters(layers.maxDac());
        double[] acc = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            acc[r] = e.accuracy(p, layers, confusion);
        }
        return acc;
    }
}
