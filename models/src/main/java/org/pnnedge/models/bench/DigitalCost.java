package org.pnnedge.models.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.pnnedge.models.nn.Activation;
import org.pnnedge.models.nn.Mlp;

/**
 * The digital alternative's cost on this CPU: one sample through a digital classifier of the given widths (the
 * {@link DigitalBaseline}s: logistic regression, MLP), timed by the thread's CPU time. The weights do not matter
 * for the time, so the net is freshly initialised; multiply by a core's power for joules (physics.md, "The digital
 * alternative").
 *
 * @param name                   e.g. "MLP [32, 32]"
 * @param widths                 input, hidden…, classes
 * @param macs                   multiply-accumulates of one forward pass, Σ w_l · w_{l+1}
 * @param cpuSecondsPerInference median over {@code rounds} timed rounds
 */
public record DigitalCost(String name, int[] widths, long macs, double cpuSecondsPerInference) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public DigitalCost {
        widths = widths.clone();
    }

    /** MACs of a dense net of {@code widths}. */
    public static long macs(int[] widths) {
        long m = 0;
        for (int i = 0; i + 1 < widths.length; i++) {
            m += (long) widths[i] * widths[i + 1];
        }
        return m;
    }

    /** The baseline's widths for {@code features} inputs and {@code classes} outputs. */
    public static int[] widths(DigitalBaseline b, int features, int classes) {
        int[] w = new int[b.hidden().length + 2];
        w[0] = features;
        System.arraycopy(b.hidden(), 0, w, 1, b.hidden().length);
        w[w.length - 1] = classes;
        return w;
    }

    /**
     * Times single-sample forward passes on the calling thread: a warm-up, then 7 rounds of at least
     * {@code roundSeconds} CPU time each; the median round's time per inference.
     */
    public static DigitalCost measure(String name, int[] widths, double roundSeconds) {
        Mlp net = new Mlp(widths, Activation.TANH, Activation.IDENTITY, 7);
        Mlp.Workspace ws = net.newWorkspace(1);
        double[] x = new double[widths[0]];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        double sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += net.forward(ws, x, 1)[0];
        }
        double[] perInference = new double[7];
        long roundNanos = (long) (roundSeconds * 1e9);
        for (int k = 0; k < perInference.length; k++) {
            long t0 = cpuNanos();
            long n = 0;
            long elapsed;
            do {
                for (int i = 0; i < 1000; i++) {
                    sink += net.forward(ws, x, 1)[0];
                }
                n += 1000;
                elapsed = cpuNanos() - t0;
            } while (elapsed < roundNanos);
            perInference[k] = elapsed * 1e-9 / n;
        }
        if (Double.isNaN(sink)) { // keeps the JIT from dropping the passes
            throw new IllegalStateException("forward pass gave NaN");
        }
        Arrays.sort(perInference);
        return new DigitalCost(name, widths, macs(widths), perInference[perInference.length / 2]);
    }

    /** Joules per inference at {@code wattsPerCore}. */
    public double joules(double wattsPerCore) {
        return cpuSecondsPerInference * wattsPerCore;
    }

    /** Joules per multiply-accumulate at {@code wattsPerCore}. */
    public double joulesPerMac(double wattsPerCore) {
        return joules(wattsPerCore) / macs;
    }

    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }
}
