package org.pnnedge.runtime.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * One inference on {@code emulator:shg?seed=1&timing=zero} (the device answers at once, so only CPU work is
 * measured): {@link #classify} is {@code InferenceEngine.classify} of the shipped vowels7 bundle (one SHOT per
 * layer); {@link #deviceShot} is the device part alone, {@code DeviceLink.shot} on the same link, one per layer
 * into that layer's slot, with exactly the DAC codes {@code classify} sent for the same rows in setup.
 * classify − deviceShot is the engine's own host work (input encoding, readout, softmax, checks);
 * {@link #classifyHostOnly} measures that directly: the same engine arithmetic on a {@link ReplayLink} whose shot
 * only copies the outputs the device gave for the row in setup (no link, no firmware, no physics). Rows: the 210
 * vowel feature rows, cycled.
 * Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per inference (target 0).
 */
public class InferenceBenchmark extends EngineBench {
    private int[][][] codes; // [row][layer]
    private int[] out;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        open(RuntimeRigs.bundle(), RuntimeRigs.featureRows());
        int layers = engine.model().architecture().layers();
        codes = new int[rows.length][layers][];
        for (int i = 0; i < rows.length; i++) {
            for (int l = 0; l < layers; l++) {
                codes[i][l] = replay.input(i, l);
            }
        }
        out = new int[engine.model().architecture().outputs()];
    }

    @Benchmark
    public int deviceShot() {
        int[][] c = codes[row()];
        for (int l = 0; l < c.length; l++) {
            link.shot(l, c[l], out);
        }
        return out[0];
    }
}
