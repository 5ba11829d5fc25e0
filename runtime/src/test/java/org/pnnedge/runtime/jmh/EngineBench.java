package org.pnnedge.runtime.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.runtime.service.InferenceEngine;
import org.pnnedge.runtime.service.Prediction;

/**
 * What the {@code InferenceEngine} benchmarks share (JMH runs the inherited {@link #classify} and
 * {@link #classifyHostOnly} under each subclass's name): a bundle loaded on {@code emulator:shg?seed=1&timing=zero}
 * (CPU work only), and the same bundle on a {@link ReplayLink} that recorded, per row and layer, what that device
 * answered (the engine's host work alone). Rows are cycled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class EngineBench {
    DeviceContext ctx;
    DeviceLink link;
    InferenceEngine engine;
    Prediction prediction;
    double[][] rows;
    ReplayLink replay;
    private InferenceEngine hostOnly;
    private int next;

    /** Loads {@code bundle} on the instant emulator and on a replay of it that has seen every row once. */
    final void open(ModelBundle bundle, double[][] rows) throws BundleException {
        this.rows = rows;
        ctx = DeviceContext.create();
        link = ctx.open(RuntimeRigs.DEVICE_ZERO);
        engine = new InferenceEngine(link, bundle);
        prediction = engine.newPrediction();
        replay = ReplayLink.recording(link, rows.length);
        hostOnly = new InferenceEngine(replay, bundle); // loads the same codes into the same slots again
        double[] recorded = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            replay.row = i;
            hostOnly.classify(rows[i], prediction);
            recorded[i] = prediction.confidence();
        }
        replay.replay();
        for (int i = 0; i < rows.length; i++) { // the replay must give what the device gave
            replay.row = i;
            hostOnly.classify(rows[i], prediction);
            if (prediction.confidence() != recorded[i]) {
                throw new IllegalStateException("row " + i + ": replayed confidence " + prediction.confidence()
                        + " differs from the recorded " + recorded[i]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.close();
    }

    final int row() {
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
}
