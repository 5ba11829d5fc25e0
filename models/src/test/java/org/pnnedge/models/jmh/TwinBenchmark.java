package org.pnnedge.models.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.nn.Activation;
import org.pnnedge.models.twin.MlpTwin;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.models.twin.Twin;

/**
 * Cost of one sample through a twin: forward alone, and forward + VJP (dL/dx and dL/dθ, what physics-aware
 * training calls once per sample and layer). Grey-box {@link ShgTwin} (fitted briefly on the emulated device
 * in setup) and, for comparison, a black-box {@link MlpTwin} of widths 48→128→128→16 (GELU).
 * Each op takes the next of 256 stored (x, θ, dy) rows. Run with {@code -prof gc}: gc.alloc.rate.norm is
 * the bytes allocated per sample (target 0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TwinBenchmark {
    private static final int ROWS = 256;

    private Twin shg;
    private Twin mlp;
    private Twin.Workspace shgWs;
    private Twin.Workspace mlpWs;
    private double[][] x;
    private double[][] theta;
    private double[][] dy;
    private final double[] y = new double[ShgTwin.OUTPUTS];
    private final double[] dx = new double[ShgTwin.INPUTS];
    private final double[] dTheta = new double[ShgTwin.PARAMS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        try (DeviceContext ctx = DeviceContext.create(); DeviceLink link = ctx.open(ModelRigs.DEVICE_ZERO)) {
            shg = ModelRigs.fittedShgTwin(link, 2000, 10, 1);
        }
        mlp = MlpTwin.create(PhysicsKind.SHG, ShgTwin.INPUTS, ShgTwin.PARAMS, ShgTwin.OUTPUTS, new int[] {128, 128},
                Activation.GELU, 1);
        shgWs = shg.newWorkspace();
        mlpWs = mlp.newWorkspace();
        SplittableRandom r = new SplittableRandom(42);
        x = ModelRigs.uniformRows(r, ROWS, ShgTwin.INPUTS);
        theta = ModelRigs.uniformRows(r, ROWS, ShgTwin.PARAMS);
        dy = new double[ROWS][ShgTwin.OUTPUTS];
        for (double[] row : dy) {
            for (int k = 0; k < row.length; k++) {
                row[k] = r.nextDouble(-1, 1);
            }
        }
    }

    private int row() {
        int i = next;
        next = (i + 1) & (ROWS - 1);
        return i;
    }

    @Benchmark
    public double shgForward() {
        int i = row();
        shg.forward(x[i], theta[i], y, shgWs);
        return y[0];
    }

    @Benchmark
    public void shgForwardVjp(Blackhole bh) {
        int i = row();
        shg.forward(x[i], theta[i], y, shgWs);
        shg.vjp(dy[i], dx, dTheta, shgWs);
        bh.consume(dx[0]);
        bh.consume(dTheta[0]);
    }

    @Benchmark
    public double mlpForward() {
        int i = row();
        mlp.forward(x[i], theta[i], y, mlpWs);
        return y[0];
    }

    @Benchmark
    public void mlpForwardVjp(Blackhole bh) {
        int i = row();
        mlp.forward(x[i], theta[i], y, mlpWs);
        mlp.vjp(dy[i], dx, dTheta, mlpWs);
        bh.consume(dx[0]);
        bh.consume(dTheta[0]);
    }
}
