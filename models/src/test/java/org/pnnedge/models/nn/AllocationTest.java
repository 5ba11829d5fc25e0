package org.pnnedge.models.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Steady-state training and VJP must not allocate (Raspberry Pi: GC pauses and allocation cost). */
class AllocationTest {

    private static final long SLACK_BYTES = 512;

    private static com.sun.management.ThreadMXBean bean() {
        com.sun.management.ThreadMXBean b = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        b.setThreadAllocatedMemoryEnabled(true);
        return b;
    }

    @Test
    void trainingStepAllocatesNothing() {
        SplittableRandom rnd = new SplittableRandom(1);
        int batch = 32;
        Mlp mlp = new Mlp(new int[] {6, 48, 48, 4}, Activation.GELU, Activation.IDENTITY, 3);
        Mlp.Workspace ws = mlp.newWorkspace(batch);
        Adam adam = new Adam(mlp, Adam.Options.defaults(1e-3).withWeightDecay(1e-4).withMaxGradNorm(5))
                .schedule(LrSchedule.cosine(1e-3, 1e-5, 10, 100_000));
        double[] x = new double[batch * 6];
        double[] t = new double[batch * 4];
        int[] labels = new int[batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 4;
        }
        double[] dy = new double[batch * 4];
        double[] xi = new double[6];
        double[] di = new double[4];
        double[] dxi = new double[6];
        double[] yi = new double[4];
        double sink = 0;
        for (int it = 0; it < 3000; it++) { // warm-up: let C2 compile everything
            sink += iteration(mlp, ws, adam, x, t, labels, dy, batch, xi, di, dxi, yi, it);
        }
        com.sun.management.ThreadMXBean b = bean();
        long before = b.getCurrentThreadAllocatedBytes();
        for (int it = 0; it < 2000; it++) {
            sink += iteration(mlp, ws, adam, x, t, labels, dy, batch, xi, di, dxi, yi, it);
        }
        long allocated = b.getCurrentThreadAllocatedBytes() - before;
        assertTrue(Double.isFinite(sink), "training diverged: " + sink);
        assertTrue(allocated <= SLACK_BYTES, "2000 steady-state iterations allocated " + allocated + " bytes");
    }

    private static double iteration(Mlp mlp, Mlp.Workspace ws, Adam adam, double[] x, double[] t, int[] labels, double[] dy,
                                    int batch, double[] xi, double[] di, double[] dxi, double[] yi, int it) {
        ws.zeroGradients();
        double[] y = mlp.forward(ws, x, batch);
        double loss = (it & 1) == 0
                ? Loss.mse(y, t, batch, 4, dy)
                : Loss.softmaxCrossEntropy(y, labels, batch, 4, dy);
        double[] dx = mlp.backward(ws, dy);
        adam.step(ws.gradients());
        // single-sample input VJP (physics-aware training path)
        System.arraycopy(x, 0, xi, 0, 6);
        System.arraycopy(dy, 0, di, 0, 4);
        mlp.forward(xi, yi, ws);
        mlp.vjpInput(xi, di, dxi, yi, ws);
        mlp.forward(ws, x, batch);
        mlp.backward(ws, dy, false);
        return loss + dx[0] + dxi[0];
    }

    @Test
    void measurementDetectsAllocation() {
        // guard against a broken probe that always reads 0
        com.sun.management.ThreadMXBean b = bean();
        long before = b.getCurrentThreadAllocatedBytes();
        Object[] keep = new Object[100];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = new double[100];
        }
        long allocated = b.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated >= 100 * 800, "probe saw only " + allocated + " bytes for " + keep.length + " arrays");
    }
}
