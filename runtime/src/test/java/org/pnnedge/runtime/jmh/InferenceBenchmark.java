package org.pnnedge.runtime.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.runtime.service.InferenceEngine;
import org.pnnedge.runtime.service.Prediction;

/**
 * One inference on {@code emulator:shg?seed=1&timing=zero} (the device answers at once, so only CPU work is
 * measured): {@link #classify} is {@code InferenceEngine.classify} of the shipped vowels7 bundle (1 layer, one
 * SHOT per inference); {@link #deviceShot} is the device part alone, {@code DeviceLink.shot} on the same link
 * and slot with exactly the DAC codes {@code classify} sends for the same rows. classify − deviceShot is the
 * engine's own host work (input encoding, readout, softmax, checks); {@link #classifyHostOnly} measures that
 * directly: the same engine arithmetic on a {@link ReplayLink} whose shot only copies the outputs the device gave
 * for the row in setup (no link, no firmware, no physics). Rows: the 210 vowel feature rows, cycled.
 * Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per inference (target 0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InferenceBenchmark {
    private DeviceContext ctx;
    private DeviceLink link;
    private InferenceEngine engine;
    private Prediction prediction;
    private double[][] rows;
    private int[][] codes;
    private int[] out;
    private ReplayLink replay;
    private InferenceEngine hostOnly;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ctx = DeviceContext.create();
        link = ctx.open(RuntimeRigs.DEVICE_ZERO);
        engine = new InferenceEngine(link, RuntimeRigs.bundle());
        if (engine.model().architecture().layers() != 1) {
            throw new IllegalStateException("deviceShot assumes a 1-layer bundle");
        }
        prediction = engine.newPrediction();
        rows = RuntimeRigs.featureRows();
        codes = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            codes[i] = RuntimeRigs.layer0Codes(engine.model(), link.info(), rows[i]);
        }
        out = new int[engine.model().architecture().outputs()];
        int[][] recorded = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            recorded[i] = link.shot(0, codes[i]);
        }
        replay = new ReplayLink(link, recorded);
        hostOnly = new InferenceEngine(replay, RuntimeRigs.bundle()); // loads the same codes into slot 0 again
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.close();
    }

    private int row() {
        int i = next;
        next = i + 1 == rows.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public int classify() {
        engine.classify(rows[row()], prediction);
        return prediction.label();
    }

    @Benchmark
    public int classifyHostOnly() {
        int i = row();
        replay.row = i;
        hostOnly.classify(rows[i], prediction);
        return prediction.label();
    }

    @Benchmark
    public int deviceShot() {
        link.shot(0, codes[row()], out);
        return out[0];
    }
}
