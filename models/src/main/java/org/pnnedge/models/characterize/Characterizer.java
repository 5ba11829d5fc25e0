package org.pnnedge.models.characterize;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;

/**
 * Measures a device for twin fitting. Parameters are drawn in sets (one LOAD_PARAMS each) and each set is
 * shot with a batch of inputs, since reloading parameters for every sample would waste most of the device
 * time. Codes are uniform over the DAC range: the twin must be right wherever training may take it. The
 * first input of every set is repeated to measure shot-to-shot noise.
 *
 * @param inputsPerSet inputs shot with one parameter set
 * @param repeats      shots of the repeated input per set (noise estimate); 0 = no noise estimate
 * @param slot         parameter slot used for measuring (the last slot by default, away from a model's)
 */
public record Characterizer(int samples, int inputsPerSet, int repeats, long seed, int slot) {
    public Characterizer {
        if (samples < 1 || inputsPerSet < 1 || repeats < 0) {
            throw new IllegalArgumentException("samples and inputsPerSet must be >= 1, repeats >= 0");
        }
    }

    public static Characterizer of(int samples, long seed) {
        return new Characterizer(samples, 32, 4, seed, -1);
    }

    /**
     * @param progress receives the number of samples measured so far
     */
    public Characterization measure(DeviceLink link, IntConsumer progress) {
        DeviceInfo d = link.info();
        int useSlot = slot >= 0 ? slot : d.slots() - 1;
        SplittableRandom r = new SplittableRandom(seed);
        int maxDac = d.maxDacCode();
        int[][] xs = new int[samples][];
        int[][] ps = new int[samples][];
        int[][] ys = new int[samples][];
        double[] sumSq = new double[d.outputs()];
        long noiseCount = 0;
        int done = 0;
        while (done < samples) {
            int n = Math.min(inputsPerSet, samples - done);
            int[] params = new int[d.params()];
            for (int i = 0; i < params.length; i++) {
                params[i] = r.nextInt(maxDac + 1);
            }
            link.loadParams(useSlot, params);
            int[][] batch = new int[n + repeats][];
            for (int s = 0; s < n; s++) {
                int[] x = new int[d.inputs()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextInt(maxDac + 1);
                }
                batch[s] = x;
            }
            for (int k = 0; k < repeats; k++) {
                batch[n + k] = batch[0];
            }
            int[][] out = link.shotBatch(useSlot, batch);
            for (int s = 0; s < n; s++) {
                xs[done + s] = batch[s];
                ps[done + s] = params;
                ys[done + s] = out[s];
            }
            if (repeats > 0) {
                // pooled variance of the repeated shots (including the first one) around their own mean
                for (int c = 0; c < d.outputs(); c++) {
                    double mean = out[0][c];
                    for (int k = 0; k < repeats; k++) {
                        mean += out[n + k][c];
                    }
                    mean /= repeats + 1;
                    double ss = (out[0][c] - mean) * (out[0][c] - mean);
                    for (int k = 0; k < repeats; k++) {
                        ss += (out[n + k][c] - mean) * (out[n + k][c] - mean);
                    }
                    sumSq[c] += ss;
                }
                noiseCount += repeats;
            }
            done += n;
            progress.accept(done);
        }
        double[] noise = new double[d.outputs()];
        for (int c = 0; c < noise.length; c++) {
            noise[c] = noiseCount == 0 ? 0 : Math.sqrt(sumSq[c] / noiseCount);
        }
        return new Characterization(d.kind(), d.serialHex(), d.dacBits(), d.adcBits(), Instant.now(), seed, xs, ps,
                ys, noise);
    }
}
