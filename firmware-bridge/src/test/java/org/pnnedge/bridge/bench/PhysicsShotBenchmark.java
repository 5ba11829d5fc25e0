package org.pnnedge.bridge.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.emulator.physics.PhysicsSpec;
import org.pnnedge.bridge.emulator.physics.PhysicsState;

/**
 * The physics model alone, as the emulated firmware calls it ({@code Physics.create(kind, 1, true)}, noise and
 * drift on, the clock advancing by the modelled shot time per shot). The difference to
 * {@link InProcessShotBenchmark#shot()} is what the link, the SPI framing and the emulated firmware cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PhysicsShotBenchmark {
    @Param({"shg", "circuit"})
    public String kind;

    private Physics physics;
    private BenchState state;
    private int[] params;
    private int[][] inputs;
    private int[] out;
    private double shotSeconds;
    private int next;

    /** A minimal emulated world: clock, fixed temperature, noise and drift on. */
    static final class BenchState implements PhysicsState {
        double time;
        private final RandomGenerator random = new SplittableRandom(BenchRigs.SEED);

        @Override
        public double timeSeconds() {
            return time;
        }

        @Override
        public double deviceTemperatureC() {
            return 22.0;
        }

        @Override
        public boolean noise() {
            return true;
        }

        @Override
        public boolean drift() {
            return true;
        }

        @Override
        public RandomGenerator noiseRandom() {
            return random;
        }
    }

    @Setup(Level.Trial)
    public void create() {
        physics = Physics.create(PhysicsKind.fromId(kind), BenchRigs.SEED, true);
        PhysicsSpec spec = physics.spec();
        state = new BenchState();
        SplittableRandom r = new SplittableRandom(42);
        params = BenchRigs.codes(r, spec.params(), spec.maxDacCode());
        inputs = BenchRigs.rows(r, BenchRigs.BATCH, spec.inputs(), spec.maxDacCode());
        out = new int[spec.outputs()];
        shotSeconds = spec.typicalShotMicros() * 1e-6;
    }

    @Benchmark
    public int[] shot() {
        int[] in = inputs[next];
        next = (next + 1) & (BenchRigs.BATCH - 1);
        state.time += shotSeconds;
        physics.shot(params, in, out, state);
        return out;
    }
}
