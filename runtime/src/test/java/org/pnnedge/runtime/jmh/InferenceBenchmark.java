package org.pnnedge.runtime.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

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
public class InferenceBenchmark extends EngineBench {
    private int[][] codes;
    private int[] out;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        open(RuntimeRigs.bundle(), RuntimeRigs.featureRows());
        if (engine.model().architecture().layers() != 1) {
            throw new IllegalStateException("deviceShot assumes a 1-layer bundle");
        }
        codes = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            codes[i] = RuntimeRigs.layer0Codes(engine.model(), link.info(), rows[i]);
        }
        out = new int[engine.model().architecture().outputs()];
    }

    @Benchmark
    public int deviceShot() {
        link.shot(0, codes[row()], out);
        return out[0];
    }
}
