package org.pnnedge.models.twin;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.nn.Adam;
import org.pnnedge.models.nn.LrSchedule;
import org.pnnedge.models.nn.Shuffle;

/**
 * Fits a {@link TrainableTwin} to a characterization by minibatch Adam on the mean squared error of normalised
 * outputs. Holds hyper-parameters and a seed; {@link #fit} returns an immutable {@link FittedTwin} with
 * provenance. A time budget bounds the fit (recalibration on the edge uses it).
 *
 * @param epochs          passes over the training part
 * @param batch           samples per step
 * @param learningRate    peak Adam step size (warm-up, then cosine decay to 5 % of it)
 * @param heldOutFraction part of the data kept for the report
 * @param budget          stop early when this much wall time has passed (null = no limit)
 * @param threads         threads computing a minibatch's gradient; 0 = {@link Runtime#availableProcessors()}.
 *                        The result does not depend on it: a minibatch is cut into fixed chunks of
 *                        {@link MinibatchGradient#CHUNK} samples whatever the thread count, and the chunks' sums are
 *                        added in chunk order
 */
public record TwinFitter(int epochs, int batch, double learningRate, double heldOutFraction, long seed,
                         Duration budget, int threads) {
    public TwinFitter {
        if (epochs < 1 || batch < 1 || !(learningRate > 0) || !(heldOutFraction >= 0 && heldOutFraction < 1)
                || threads < 0) {
            throw new IllegalArgumentException("bad fitter settings: epochs=" + epochs + " batch=" + batch
                    + " lr=" + learningRate + " heldOut=" + heldOutFraction + " threads=" + threads);
        }
    }

    /** A fitter on all cores. */
    public TwinFitter(int epochs, int batch, double learningRate, double heldOutFraction, long seed, Duration budget) {
        this(epochs, batch, learningRate, heldOutFraction, seed, budget, 0);
    }

    /** The same settings on {@code n} threads (0 = all cores). */
    public TwinFitter withThreads(int n) {
        return new TwinFitter(epochs, batch, learningRate, heldOutFraction, seed, budget, n);
    }

    public static TwinFitter defaults(long seed) {
        return new TwinFitter(60, 64, 1e-2, 0.1, seed, null);
    }

    /** Progress of a fit: epoch done, training loss, held-out NRMSE so far. */
    public record Progress(int epoch, int epochs, double trainLoss, double heldOutNrmse) {
    }

    /**
     * Fits starting from {@code start} (a fresh twin, or one to warm-start from when {@code warmStart}). The
     * start twin is not modified.
     */
    public FittedTwin fit(TrainableTwin start, Characterization data, boolean warmStart, Consumer<Progress> progress) {
        long t0 = System.nanoTime();
        TrainableTwin twin = start.copy();
        int n = data.size();
        double[][] x = normalise(data.inputs(), data.maxDac());
        double[][] th = normalise(data.params(), data.maxDac());
        double[][] y = normalise(data.outputs(), data.maxAdc());
        int[] order = permutation(n, seed);
        int nHeld = (int) Math.round(n * heldOutFraction);
        int nTrain = n - nHeld;
        int outs = twin.outputs();
        Twin.Workspace ws = twin.newWorkspace();
        double[] pred = new double[outs];
        if (!warmStart) {
            twin.initialise(x, th, y, order, nTrain);
        }
        int stepsPerEpoch = Math.max(1, (nTrain + batch - 1) / batch);
        int totalSteps = stepsPerEpoch * epochs;
        Adam adam = new Adam(twin.parameters(), Adam.Options.defaults(learningRate))
                .schedule(LrSchedule.cosine(learningRate, learningRate * 0.05, Math.min(100, totalSteps / 20),
                        totalSteps + 1));
        SplittableRandom shuffle = new SplittableRandom(seed ^ 0x7F4A7C15L);
        int[] train = java.util.Arrays.copyOf(order, nTrain);
        long deadline = budget == null ? Long.MAX_VALUE : t0 + budget.toNanos();
        double lastHeld = Double.NaN;
        int nThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        try (MinibatchGradient grad = new MinibatchGradient(twin, x, th, y, train, batch, nThreads)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                Shuffle.inPlace(train, shuffle);
                double lossSum = 0;
                for (int start0 = 0; start0 < nTrain; start0 += batch) {
                    lossSum += grad.compute(start0, Math.min(nTrain, start0 + batch));
                    adam.step(grad.gradients());
                    twin.project();
                }
                double trainLoss = lossSum / ((double) nTrain * outs);
                boolean last = epoch == epochs || System.nanoTime() > deadline;
                if (nHeld > 0 && (last || epoch % 5 == 0)) {
                    lastHeld = evaluate(twin, x, th, y, order, nTrain, n, data, ws, pred).nrmse();
                }
                progress.accept(new Progress(epoch, epochs, trainLoss, lastHeld));
                if (last) {
                    break;
                }
            }
        }
        TwinReport report = nHeld > 0 ? evaluate(twin, x, th, y, order, nTrain, n, data, ws, pred) : null;
        double secs = (System.nanoTime() - t0) / 1e9;
        if (report != null) {
            report = new TwinReport(report.nrmse(), report.nrmsePerChannel(), report.noiseFloor(),
                    report.noiseFloorPerChannel(), nTrain, nHeld, secs);
        }
        return new FittedTwin(twin.copy(), report, TwinProvenance.of(data, this));
    }

    /** Error of any twin against every sample of a characterization (e.g. fresh measurements after drift). */
    public static TwinReport evaluate(Twin twin, Characterization data) {
        double[][] x = normalise(data.inputs(), data.maxDac());
        double[][] th = normalise(data.params(), data.maxDac());
        double[][] y = normalise(data.outputs(), data.maxAdc());
        int[] all = permutation(data.size(), 0);
        return evaluate(twin, x, th, y, all, 0, data.size(), data, twin.newWorkspace(), new double[twin.outputs()]);
    }

    private static TwinReport evaluate(Twin twin, double[][] x, double[][] th, double[][] y, int[] order, int from,
                                       int to, Characterization data, Twin.Workspace ws, double[] pred) {
        int outs = twin.outputs();
        double[] se = new double[outs];
        double[] mean = new double[outs];
        double[] sq = new double[outs];
        int count = to - from;
        for (int b = from; b < to; b++) {
            int i = order[b];
            twin.forward(x[i], th[i], pred, ws);
            for (int k = 0; k < outs; k++) {
                double e = pred[k] - y[i][k];
                se[k] += e * e;
                mean[k] += y[i][k];
                sq[k] += y[i][k] * y[i][k];
            }
        }
        double[] nrmse = new double[outs];
        double[] floor = new double[outs];
        double seAll = 0;
        double varAll = 0;
        double noiseAll = 0;
        for (int k = 0; k < outs; k++) {
            double mu = mean[k] / count;
            double var = Math.max(1e-30, sq[k] / count - mu * mu);
            nrmse[k] = Math.sqrt(se[k] / count / var);
            double noise = data.noiseStd()[k] / data.maxAdc();
            floor[k] = noise / Math.sqrt(var);
            seAll += se[k] / count;
            varAll += var;
            noiseAll += noise * noise;
        }
        return new TwinReport(Math.sqrt(seAll / varAll), nrmse, Math.sqrt(noiseAll / varAll), floor, 0, count, 0);
    }

    static double[][] normalise(int[][] codes, double max) {
        double[][] out = new double[codes.length][];
        for (int i = 0; i < codes.length; i++) {
            out[i] = new double[codes[i].length];
            for (int k = 0; k < codes[i].length; k++) {
                out[i][k] = codes[i][k] / max;
            }
        }
        return out;
    }

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Shuffle.inPlace(p, new SplittableRandom(seed));
        return p;
    }
}
