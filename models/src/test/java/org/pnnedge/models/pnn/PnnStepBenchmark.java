package org.pnnedge.models.pnn;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.models.jmh.ModelRigs;
import org.pnnedge.models.nn.Adam;
import org.pnnedge.models.nn.LrSchedule;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.models.twin.Twin;

/**
 * One training step of a 1-layer PNN, batch 8, on the 210-sample vowel set, exactly as the inner loop of
 * {@link PnnTrainer#train} does it: {@link PnnPass#forward} (on the in-process emulated device at timing zero
 * for PAT, on the twin in silico), {@link PnnPass#backward} through the fitted grey-box twin's VJP,
 * {@link Adam#step} and {@link PnnParameters#clampTheta}. Drives the package-private {@link PnnPass} directly
 * (hence this package) instead of dividing a whole {@code train} call, so setup (twin fit, data
 * initialisation, curve bookkeeping) stays out of the score and {@code -prof gc} gives bytes per step.
 *
 * <ul>
 *   <li>{@code step}: the whole step, {@code mode} = pat | insilico;</li>
 *   <li>{@code forward}: the forward pass only (what {@link EpochStats#deviceSeconds} times in PAT);</li>
 *   <li>{@code backward}: the backward pass only (8 twin forward + VJP calls and the element-wise chain rule),
 *       at a fixed forward pass on the device.</li>
 * </ul>
 * Parameters and Adam state are reset to the initial values (in place) at the start of each iteration, so
 * every iteration trains through the same regime. In {@code step} the device gets new parameter codes almost
 * every step (LOAD_PARAMS + SHOT_BATCH of 8), as in real training; {@code forward} alone never changes the
 * parameters, so it is SHOT_BATCH only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PnnStepBenchmark {
    static final int BATCH = 8;

    /** Everything a training step needs, built like {@link PnnTrainer#train} builds it. */
    static final class Rig {
        final DeviceContext ctx;
        final DeviceLink link;
        final ShgTwin twin;
        final Twin.Workspace ws;
        final PnnArchitecture arch;
        final PnnParameters p;
        final PnnParameters start;
        final PnnPass pass;
        final PnnParameters grads;
        final List<double[]> gradArrays;
        final Adam adam;
        final double[][] z;
        final int[] labels;
        final double[][] zb = new double[BATCH][];
        final int[] yb = new int[BATCH];
        PhysicalLayers layers;
        int next;

        Rig(boolean pat) {
            ctx = DeviceContext.create();
            link = ctx.open(ModelRigs.DEVICE_ZERO);
            twin = ModelRigs.fittedShgTwin(link, 4000, 20, 1);
            ws = twin.newWorkspace();
            Dataset data = ModelRigs.vowels210().zScored();
            z = data.features();
            labels = data.labels();
            arch = new PnnArchitecture(1, data.numFeatures(), twin.inputs(), twin.params(), twin.outputs(),
                    PnnArchitecture.spreadChannels(data.numClasses(), twin.outputs()));
            PhysicalLayers device = new PhysicalLayers.OnDevice(link);
            layers = pat ? device : new PhysicalLayers.OnTwin(twin, device.maxDac(), device.maxAdc());
            p = PnnParameters.initial(arch, 1);
            pass = new PnnPass(arch, Math.max(BATCH, z.length));
            PnnTrainer.initialiseFromData(p, pass, z, z.length, layers, false); // affine readout, as the trainer's default
            start = p.copy();
            grads = p.zerosLike();
            gradArrays = grads.arrays();
            int steps = (z.length + BATCH - 1) / BATCH * 150;
            adam = new Adam(p.arrays(), Adam.Options.defaults(0.02))
                    .schedule(LrSchedule.cosine(0.02, 0.02 * 0.05, Math.min(50, steps / 10), steps));
        }

        /** Back to the initial parameters and a fresh optimiser, in place. */
        void reset() {
            List<double[]> from = start.arrays();
            List<double[]> to = p.arrays();
            for (int i = 0; i < from.size(); i++) {
                System.arraycopy(from.get(i), 0, to.get(i), 0, from.get(i).length);
            }
            adam.reset();
            next = 0;
        }

        /** The next minibatch (in order; the trainer shuffles, which costs the same). */
        int nextBatch() {
            int n = z.length;
            int m = Math.min(BATCH, n - next);
            for (int b = 0; b < m; b++) {
                zb[b] = z[next + b];
                yb[b] = labels[next + b];
            }
            next += m;
            if (next >= n) {
                next = 0;
            }
            return m;
        }

        double step() {
            int m = nextBatch();
            pass.forward(p, zb, m, layers);
            double loss = pass.backward(p, zb, yb, m, twin, ws, 1.0, grads);
            adam.step(gradArrays);
            p.clampTheta();
            return loss;
        }

        void close() {
            link.close();
            ctx.close();
        }
    }

    @State(Scope.Thread)
    public static class Training {
        @Param({"pat", "insilico"})
        public String mode;
        Rig rig;

        @Setup(Level.Trial)
        public void open() {
            rig = new Rig(switch (mode) {
                case "pat" -> true;
                case "insilico" -> false;
                default -> throw new IllegalArgumentException("mode " + mode);
            });
        }

        @Setup(Level.Iteration)
        public void reset() {
            rig.reset();
        }

        @TearDown(Level.Trial)
        public void close() {
            rig.close();
        }
    }

    @State(Scope.Thread)
    public static class AtFixedForward {
        Rig rig;
        int m;

        @Setup(Level.Trial)
        public void open() {
            rig = new Rig(true);
            m = rig.nextBatch();
            rig.pass.forward(rig.p, rig.zb, m, rig.layers);
        }

        @TearDown(Level.Trial)
        public void close() {
            rig.close();
        }
    }

    /** A whole training step (forward, backward, Adam, clamp): what one step of an epoch costs. */
    @Benchmark
    public double step(Training t) {
        return t.rig.step();
    }

    /** The forward pass alone: on the device (PAT) or the twin (in silico). */
    @Benchmark
    public double forward(Training t) {
        Rig r = t.rig;
        int m = r.nextBatch();
        r.pass.forward(r.p, r.zb, m, r.layers);
        return r.pass.logits[0][0];
    }

    /**
     * The digital part of a PAT step at a fixed device forward pass: backward (twin forward + VJP at the measured
     * points, chain rule) + Adam + clamp. What {@code bench/pytorch/shg_twin_step.py} times in PyTorch.
     */
    @Benchmark
    public double digitalStep(AtFixedForward s) {
        Rig r = s.rig;
        double loss = r.pass.backward(r.p, r.zb, r.yb, s.m, r.twin, r.ws, 1.0, r.grads);
        r.adam.step(r.gradArrays);
        r.p.clampTheta();
        return loss;
    }

    /** The backward pass alone (twin VJP at the measured points + chain rule), same forward every time. */
    @Benchmark
    public double backward(AtFixedForward s) {
        Rig r = s.rig;
        return r.pass.backward(r.p, r.zb, r.yb, s.m, r.twin, r.ws, 1.0, r.grads);
    }
}
