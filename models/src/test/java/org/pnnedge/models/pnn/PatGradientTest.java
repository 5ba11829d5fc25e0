package org.pnnedge.models.pnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.nn.Activation;
import org.pnnedge.models.testing.GradientCheck;
import org.pnnedge.models.twin.MlpTwin;
import org.pnnedge.models.twin.ShgTwin;
import org.pnnedge.models.twin.Twin;

/**
 * The PAT gradient check: physics-aware training with a perfect twin (the "device" is the twin itself) and no
 * noise equals ordinary backpropagation through the twin. {@link PnnPass#backward} is compared with central
 * finite differences of the softmax cross-entropy (plus range penalty) computed from {@link PnnPass#forward}.
 * A maximum code of 2^30 makes the DAC quantisation negligible; parameters θ sit exactly on the code grid and
 * their steps are whole codes, so for them quantisation vanishes altogether.
 */
class PatGradientTest {
    static final int MAX_DAC = 1 << 30;
    static final int FEATURES = 5;
    static final int CLASSES = 4;
    static final int N = 6;

    /**
     * A grey-box twin that is smooth everywhere the test goes: a linear mask response (no interpolation kinks),
     * but random envelope, spectral phase, crosstalk, weights and compression; outputs well below clipping.
     */
    static ShgTwin smoothShg(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ShgTwin t = ShgTwin.initial();
        double[] c = t.calibration();
        // the initial mask response is linear with zero phase (no kinks): keep it; envelope and spectral phase
        // start after the two 33-knot lookup tables
        int amp = 2 * ShgTwin.KNOTS;
        for (int b = 0; b < ShgTwin.BINS; b++) {
            c[amp + b] = 0.6 + 0.6 * r.nextDouble();
            c[amp + ShgTwin.BINS + b] = 2 * r.nextDouble() - 1;
        }
        double[] y = new double[16];
        t.scaleWeights(1e-4); // far below clipping (y = 1), so the maximum below is the unclipped one
        // weights: scale so outputs are mostly 0.05..0.6
        Twin.Workspace ws = t.newWorkspace();
        double[] x = new double[16];
        double[] th = new double[32];
        double max = 0;
        for (int s = 0; s < 200; s++) {
            for (int i = 0; i < 16; i++) {
                x[i] = r.nextDouble();
            }
            for (int i = 0; i < 32; i++) {
                th[i] = r.nextDouble();
            }
            t.forward(x, th, y, ws);
            for (double v : y) {
                max = Math.max(max, v);
            }
        }
        t.scaleWeights(0.6 / max);
        double[] off = new double[16];
        for (int k = 0; k < 16; k++) {
            off[k] = 0.03 + 0.05 * r.nextDouble();
        }
        t.setOffsets(off);
        return t;
    }

    static MlpTwin smoothMlp(long seed) {
        MlpTwin m = MlpTwin.create(PhysicsKind.SHG, 16, 32, 16, new int[] {10}, Activation.GELU, seed);
        List<double[]> p = m.parameters();
        double[] bias = p.get(p.size() - 1);
        java.util.Arrays.fill(bias, 0.4);
        return m;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("shg", 1, 0.0, "legacy", 0), Arguments.of("shg", 2, 0.0, "legacy", 0),
                Arguments.of("shg", 3, 0.0, "legacy", 0), Arguments.of("shg", 1, 0.7, "legacy", 0),
                Arguments.of("shg", 2, 0.7, "legacy", 0), Arguments.of("shg", 3, 0.7, "legacy", 0),
                Arguments.of("mlp", 1, 0.0, "legacy", 0), Arguments.of("mlp", 2, 0.0, "legacy", 0),
                Arguments.of("mlp", 3, 0.0, "legacy", 0), Arguments.of("mlp", 3, 0.7, "legacy", 0),
                // deep operations: skip path, common-mode normalisation, soft range keeping
                Arguments.of("shg", 1, 0.0, "deep", 0), Arguments.of("shg", 3, 0.0, "deep", 0),
                Arguments.of("shg", 3, 0.7, "deep", 0), Arguments.of("mlp", 2, 0.7, "deep", 0),
                Arguments.of("shg", 2, 0.0, "skip-only", 0), Arguments.of("shg", 2, 0.0, "norm-only", 0),
                // hybrid: a 20-channel digital projection (two shots per layer) and a digital readout
                Arguments.of("shg", 1, 0.7, "deep", 20), Arguments.of("shg", 2, 0.0, "deep", 20),
                Arguments.of("mlp", 2, 0.7, "legacy", 20));
    }

    static LayerOps ops(String name) {
        return switch (name) {
            case "legacy" -> LayerOps.LEGACY;
            case "deep" -> LayerOps.DEEP;
            case "skip-only" -> new LayerOps(true, LayerOps.OutputNorm.NONE, LayerOps.RangeKeeping.CLAMP);
            case "norm-only" -> new LayerOps(false, LayerOps.OutputNorm.COMMON_MODE, LayerOps.RangeKeeping.SOFT);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Non-trivial gains, offsets, skips, standardisation and readout; with {@code outOfRange} some inputs leave [0,1]. */
    static PnnParameters parameters(PnnArchitecture arch, long seed, boolean outOfRange) {
        SplittableRandom r = new SplittableRandom(seed);
        PnnParameters p = PnnParameters.initial(arch, seed);
        for (int l = 0; l < arch.layers(); l++) {
            for (int i = 0; i < arch.params(); i++) {
                p.theta[l][i] = (MAX_DAC / 10 + r.nextInt(MAX_DAC / 10 * 8)) / (double) MAX_DAC; // on the code grid
            }
            boolean projection = l == 0 && arch.hybrid();
            for (int k = 0; k < p.gain[l].length; k++) {
                double g = (r.nextBoolean() ? 1 : -1) * (0.05 + 0.15 * r.nextDouble());
                p.gain[l][k] = projection ? 3 * g : g; // the projection's 1/√F factor is applied by the pass
            }
            for (int k = 0; k < arch.width(); k++) {
                p.offset[l][k] = 0.3 + 0.4 * r.nextDouble();
                p.shift[l][k] = l == 0 ? 0.1 * r.nextGaussian() : 0.1 + 0.2 * r.nextDouble();
                p.scale[l][k] = l == 0 ? 0.8 + 0.4 * r.nextDouble() : 2 + 2 * r.nextDouble();
                if (p.trainsSkip(l)) {
                    p.skip[l][k] = 0.5 + 0.7 * r.nextDouble();
                }
            }
        }
        if (arch.ops().norm() == LayerOps.OutputNorm.COMMON_MODE) {
            for (int k = 0; k < p.dark.length; k++) {
                p.dark[k] = 0.01 + 0.02 * r.nextDouble();
            }
            // normalised outputs are of order 1, not 0.1..0.6: standardise them accordingly
            for (int l = 1; l < arch.layers(); l++) {
                for (int k = 0; k < arch.width(); k++) {
                    p.shift[l][k] = 0.5 + 1.0 * r.nextDouble();
                    p.scale[l][k] = 0.3 + 0.4 * r.nextDouble();
                }
            }
        }
        if (outOfRange) {
            // some channels pushed outside the DAC range: clamped on the device, penalised in training
            p.offset[0][1] = 1.45;
            p.offset[0][7] = -0.5;
            if (arch.layers() > 1) {
                p.offset[1][3] = 1.6;
                p.offset[1][12] = -0.45;
            }
            if (arch.layers() > 2) {
                p.offset[2][0] = -0.6;
            }
        }
        boolean common = arch.ops().norm() == LayerOps.OutputNorm.COMMON_MODE;
        for (int i = 0; i < p.readGain.length; i++) {
            p.readGain[i] = arch.hybrid() ? (r.nextBoolean() ? 1 : -1) * (1.5 + 3 * r.nextDouble())
                    : 2 + 4 * r.nextDouble();
        }
        for (int c = 0; c < arch.classes(); c++) {
            p.readOffset[c] = 0.3 * r.nextGaussian();
        }
        for (int i = 0; i < p.readShift.length; i++) {
            p.readShift[i] = common ? 0.5 + r.nextDouble() : 0.1 + 0.1 * r.nextDouble();
            p.readScale[i] = common ? 0.3 + 0.4 * r.nextDouble() : 2 + 3 * r.nextDouble();
        }
        return p;
    }

    /** Mean softmax cross-entropy of the last forward pass plus the range penalty (what backward differentiates). */
    static double loss(PnnPass pass, PnnParameters p, double[][] z, int[] labels, PhysicalLayers dev,
                       double rangePenalty) {
        pass.forward(p, z, z.length, dev);
        double ce = pass.meanCrossEntropy(labels, z.length) * z.length;
        double pen = 0;
        for (int l = 0; l < pass.arch.layers(); l++) {
            for (int b = 0; b < z.length; b++) {
                for (double v : pass.u[l][b]) {
                    double e = v < 0 ? v : v > 1 ? v - 1 : 0;
                    pen += e * e;
                }
            }
        }
        return (ce + rangePenalty * pen) / z.length;
    }

    /**
     * Which layer inputs of the last forward pass were below 0 or above 1, and (soft range keeping) inside its
     * knees: a difference across one of these points is not a derivative (the clamp has a kink, the knee a jump
     * in curvature).
     */
    static java.util.BitSet clampState(PnnPass pass, int n) {
        java.util.BitSet bits = new java.util.BitSet();
        double m = LayerOps.RangeKeeping.SOFT_MARGIN;
        int i = 0;
        for (int l = 0; l < pass.arch.layers(); l++) {
            for (int b = 0; b < n; b++) {
                for (double v : pass.u[l][b]) {
                    bits.set(i++, v < 0);
                    bits.set(i++, v > 1);
                    bits.set(i++, v < m);
                    bits.set(i++, v > 1 - m);
                }
            }
        }
        return bits;
    }

    @ParameterizedTest(name = "{0} twin, {1} layer(s), range penalty {2}, {3} ops, projection {4}")
    @MethodSource("cases")
    void patWithPerfectTwinEqualsBackprop(String twinKind, int layers, double rangePenalty, String opsName,
                                          int projection) {
        Twin twin = twinKind.equals("shg") ? smoothShg(layers) : smoothMlp(layers);
        PhysicalLayers device = new PhysicalLayers.OnTwin(twin, MAX_DAC, 65535);
        PnnArchitecture arch = projection > 0
                ? PnnArchitecture.hybrid(layers, FEATURES, 16, 32, 16, CLASSES, ops(opsName), projection)
                : PnnArchitecture.physical(layers, FEATURES, 16, 32, 16, CLASSES, ops(opsName));
        boolean outOfRange = rangePenalty > 0;
        PnnParameters p = parameters(arch, 100 + layers, outOfRange);
        SplittableRandom r = new SplittableRandom(7 * layers);
        double[][] z = new double[N][FEATURES];
        int[] labels = new int[N];
        for (int b = 0; b < N; b++) {
            for (int f = 0; f < FEATURES; f++) {
                z[b][f] = r.nextGaussian();
            }
            labels[b] = b % CLASSES;
        }
        PnnPass pass = new PnnPass(arch, N);
        pass.forward(p, z, N, device);
        int outside = 0;
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < N; b++) {
                for (double v : pass.u[l][b]) {
                    if (v < 0 || v > 1) {
                        outside++;
                    }
                }
            }
        }
        if (outOfRange) {
            assertTrue(outside > 0, "inputs outside [0,1]: " + outside);
        }
        PnnParameters gradHolder = p.zerosLike();
        double ce = pass.backward(p, z, labels, N, twin, twin.newWorkspace(), rangePenalty, gradHolder);
        List<double[]> grads = gradHolder.arrays();
        double total = loss(pass, p, z, labels, device, rangePenalty);
        double penaltyPart = total - loss(pass, p, z, labels, device, 0);
        assertEquals(total - penaltyPart, ce, 1e-12, "backward returns the mean cross-entropy");
        assertTrue(outOfRange == (penaltyPart > 0), "penalty " + penaltyPart);

        List<double[]> arrays = p.arrays();
        assertEquals(arrays.size(), grads.size());
        loss(pass, p, z, labels, device, rangePenalty);
        java.util.BitSet clampedAtStart = clampState(pass, N);
        boolean[] kink = new boolean[1];
        java.util.function.DoubleSupplier lossAndKink = () -> {
            double l = loss(pass, p, z, labels, device, rangePenalty);
            kink[0] |= !clampState(pass, N).equals(clampedAtStart);
            return l;
        };
        List<double[]> fds = new java.util.ArrayList<>();
        List<java.util.BitSet> kinks = new java.util.ArrayList<>();
        int skipped = 0;
        int checked = 0;
        double maxGrad = 0;
        int nonZero = 0;
        for (int a = 0; a < arrays.size(); a++) {
            double[] v = arrays.get(a);
            boolean theta = isTheta(p, v);
            // steps large enough that the 2^-31 rounding of the layer inputs downstream does not matter;
            // θ steps are whole codes
            double h = theta ? (1 << 20) / (double) MAX_DAC : 1e-3;
            double[] fd = new double[v.length];
            java.util.BitSet skip = new java.util.BitSet();
            for (int i = 0; i < v.length; i++) { // one at a time: each difference needs its own kink flag
                kink[0] = false;
                // Richardson extrapolation of two central differences cancels their h² truncation error
                fd[i] = theta ? GradientCheck.centralDifference(v, i, lossAndKink, h)
                        : (4 * GradientCheck.centralDifference(v, i, lossAndKink, h / 2)
                        - GradientCheck.centralDifference(v, i, lossAndKink, h)) / 3;
                if (kink[0]) {
                    skip.set(i); // a layer input crossed the edge of the DAC range: not differentiable there
                    skipped++;
                    continue;
                }
                checked++;
                maxGrad = Math.max(maxGrad, Math.abs(fd[i]));
                if (Math.abs(fd[i]) > 1e-5) {
                    nonZero++;
                }
            }
            fds.add(fd);
            kinks.add(skip);
        }
        double maxErr = 0;
        // what is left is finite-difference truncation and the input rounding: far below 1e-5 of the scale
        GradientCheck.Tolerance tol = GradientCheck.absRel(1e-5 * maxGrad, 1e-4);
        for (int a = 0; a < arrays.size(); a++) {
            double[] pat = grads.get(a);
            double[] fd = fds.get(a);
            for (int i = 0; i < fd.length; i++) {
                if (!kinks.get(a).get(i)) {
                    maxErr = Math.max(maxErr, Math.abs(fd[i] - pat[i]));
                }
            }
            GradientCheck.assertGradient(twinKind + " array " + a + (isTheta(p, arrays.get(a)) ? " (θ)" : ""),
                    pat, fd, tol, kinks.get(a));
        }
        System.out.printf("PAT gradient check %s L=%d penalty=%.1f %s K=%d: max |fd - pat| %.2e, max |grad| %.3f, "
                + "%d non-zero, %d inputs outside, %d skipped at range edges%n", twinKind, layers, rangePenalty, opsName,
                projection, maxErr, maxGrad, nonZero, outside, skipped);
        assertTrue(nonZero > 40 * layers, "most parameters must matter: " + nonZero);
        assertTrue(skipped <= checked / 20, skipped + " checks skipped at range edges");
    }

    private static boolean isTheta(PnnParameters p, double[] v) {
        for (double[] t : p.theta) {
            if (t == v) {
                return true;
            }
        }
        return false;
    }
}
