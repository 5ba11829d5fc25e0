package org.pnnedge.models.twin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calibration gradient of a minibatch's squared error for {@link TwinFitter}, on several threads with a result
 * that does not depend on how many: the minibatch is cut into chunks of {@link #CHUNK} samples, each chunk sums its
 * samples' gradients in order in its own twin workspace, and the chunk sums are added in chunk order. Threads only
 * decide who computes which chunk. Memory visibility: the chunk results are published by the {@code done} counter
 * (an atomic increment after each chunk, read by the caller before it adds them up).
 */
final class MinibatchGradient implements AutoCloseable {
    /** Samples per chunk: 4 chunks for the default batch of 64, enough to keep 2–4 cores busy. */
    static final int CHUNK = 16;

    private final TrainableTwin twin;
    private final double[][] x;
    private final double[][] th;
    private final double[][] y;
    private final int[] rows;
    private final Chunk[] chunks;
    private final List<double[]> total;
    private final int threads;
    private final ExecutorService pool;

    /**
     * @param rows the training rows, read in the order they have at each {@link #compute} call (the fitter
     *             shuffles this array in place between epochs)
     */
    MinibatchGradient(TrainableTwin twin, double[][] x, double[][] th, double[][] y, int[] rows, int batch,
                      int threads) {
        this.twin = twin;
        this.x = x;
        this.th = th;
        this.y = y;
        this.rows = rows;
        this.chunks = new Chunk[(batch + CHUNK - 1) / CHUNK];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = new Chunk(twin.newWorkspace(), twin.outputs());
        }
        this.total = new ArrayList<>();
        for (double[] p : twin.parameters()) {
            total.add(new double[p.length]);
        }
        this.threads = Math.max(1, Math.min(threads, chunks.length));
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "twin-fit");
            t.setDaemon(true);
            return t;
        });
    }

    /** Gradients of the last {@link #compute}, shaped like the twin's parameters. */
    List<double[]> gradients() {
        return total;
    }

    /**
     * Gradient of the mean squared error over rows {@code rows[from..to)} into {@link #gradients()}.
     *
     * @return the sum of squared errors over those rows (for the epoch's training loss)
     */
    double compute(int from, int to) {
        int m = to - from;
        int k = (m + CHUNK - 1) / CHUNK;
        double scale = 2.0 / (m * twin.outputs());
        int workers = Math.min(threads, k);
        Step step = new Step(k, from, to, scale);
        for (int w = 1; w < workers; w++) {
            pool.execute(step::work);
        }
        step.work();
        // Chunks are claimed, not assigned: a worker the OS has not scheduled yet claims nothing, so on a loaded
        // machine the caller does the rest itself and only waits for chunks already being computed.
        for (int spins = 0; step.done.get() < k && step.failure == null; spins++) {
            if (spins < 10_000) {
                Thread.onSpinWait(); // a chunk takes ~0.1 ms: a short spin beats parking
            } else {
                Thread.yield(); // the other thread was descheduled mid-chunk: let it run
            }
        }
        if (step.failure != null) {
            throw step.failure instanceof RuntimeException re ? re : new IllegalStateException(step.failure);
        }
        double loss = 0;
        for (int i = 0; i < total.size(); i++) {
            double[] sum = total.get(i);
            Arrays.fill(sum, 0.0);
            for (int c = 0; c < k; c++) {
                double[] g = twin.gradients(chunks[c].ws).get(i);
                for (int j = 0; j < sum.length; j++) {
                    sum[j] += g[j];
                }
            }
        }
        for (int c = 0; c < k; c++) {
            loss += chunks[c].loss;
        }
        return loss;
    }

    /** One minibatch: its chunks go to whichever thread claims them first. */
    private final class Step {
        final int k;
        final int from;
        final int to;
        final double scale;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Step(int k, int from, int to, double scale) {
            this.k = k;
            this.from = from;
            this.to = to;
            this.scale = scale;
        }

        void work() {
            int c;
            while ((c = next.getAndIncrement()) < k) {
                int a = from + c * CHUNK;
                try {
                    chunks[c].run(a, Math.min(to, a + CHUNK), scale);
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                done.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** One chunk's workspace (its own gradient accumulators) and scratch. */
    private final class Chunk {
        final Twin.Workspace ws;
        final double[] pred;
        final double[] dy;
        double loss;

        Chunk(Twin.Workspace ws, int outputs) {
            this.ws = ws;
            this.pred = new double[outputs];
            this.dy = new double[outputs];
        }

        void run(int from, int to, double scale) {
            twin.zeroGradients(ws);
            double sse = 0;
            for (int b = from; b < to; b++) {
                int i = rows[b];
                twin.forward(x[i], th[i], pred, ws);
                for (int o = 0; o < pred.length; o++) {
                    double e = pred[o] - y[i][o];
                    sse += e * e;
                    dy[o] = scale * e;
                }
                twin.backward(dy, null, null, ws);
            }
            loss = sse;
        }
    }
}
