package org.pnnedge.bridge.emulator.physics.circuit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.SelfTestCheck;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.emulator.physics.FixedState;
import org.pnnedge.bridge.emulator.physics.Physics;
import org.pnnedge.bridge.emulator.physics.PhysicsSpec;

class CircuitPhysicsTest {
    private static final int N = CircuitPhysics.CHANNELS;
    private static final int MAX = 4095;

    private static int[] random(SplittableRandom r) {
        int[] a = new int[N];
        for (int k = 0; k < N; k++) {
            a[k] = r.nextInt(MAX + 1);
        }
        return a;
    }

    private static int[] filled(int code) {
        int[] a = new int[N];
        Arrays.fill(a, code);
        return a;
    }

    private static int[] run(Physics p, int[] params, int[] inputs, FixedState state) {
        int[] out = new int[N];
        p.shot(params, inputs, out, state);
        return out;
    }

    @Test
    void specMatchesTheBoard() {
        PhysicsSpec spec = new CircuitPhysics(1, true).spec();
        assertEquals(PhysicsKind.CIRCUIT, spec.kind());
        assertEquals(16, spec.inputs());
        assertEquals(16, spec.params());
        assertEquals(16, spec.outputs());
        assertEquals(12, spec.dacBits());
        assertEquals(12, spec.adcBits());
        // 32 segments × 5 µs + 100 µs settling + 20 µs readout
        assertEquals(280, spec.typicalShotMicros());
        assertTrue(Physics.create(PhysicsKind.CIRCUIT, 3, true) instanceof CircuitPhysics);
    }

    @Test
    void outputsAreBoundedForRandomAndExtremeWaveforms() {
        CircuitPhysics p = new CircuitPhysics(7, true);
        FixedState state = new FixedState(true, true);
        SplittableRandom r = new SplittableRandom(11);
        int[] out = new int[N];
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (int n = 0; n < 3000; n++) {
            int[] params = random(r);
            int[] inputs = random(r);
            if (n % 3 == 0) {           // bang-bang waveforms excite the largest ringing
                for (int k = 0; k < N; k++) {
                    params[k] = r.nextBoolean() ? 0 : MAX;
                    inputs[k] = r.nextBoolean() ? 0 : MAX;
                }
            }
            state.temperature = -10 + 70 * r.nextDouble();
            state.time += 1.0;
            p.shot(params, inputs, out, state);
            for (int code : out) {
                assertTrue(code >= 0 && code <= MAX, "code out of range: " + code);
                lo = Math.min(lo, code);
                hi = Math.max(hi, code);
            }
        }
        // ... and the response uses a good part of the ADC range.
        assertTrue(lo < 100 && hi > 3000, "range used " + lo + ".." + hi);
    }

    @Test
    void midRangeWaveformGivesMidRangeOutputs() {
        int[] out = run(new CircuitPhysics(1, false), filled(2048), filled(2048), new FixedState(false, false));
        for (int code : out) {
            assertTrue(code > 1000 && code < 3000, Arrays.toString(out));
        }
    }

    @Test
    void laterSegmentsDoNotAffectEarlierSamples() {
        CircuitPhysics p = new CircuitPhysics(5, true);
        FixedState state = new FixedState(false, true);
        state.temperature = 31;
        SplittableRandom r = new SplittableRandom(3);
        int[] params = random(r);
        int[] inputs = random(r);
        int[] base = run(p, params, inputs, state);
        int changedAtOwnSample = 0;
        for (int k = 0; k < N; k++) {
            for (boolean param : new boolean[] {true, false}) {
                int[] ps = params.clone();
                int[] xs = inputs.clone();
                int[] target = param ? ps : xs;
                target[k] = target[k] < 2048 ? MAX : 0;
                int[] out = run(p, ps, xs, state);
                // segment of p_k starts at 2k·T, x_k at (2k+1)·T; sample j is taken before 2(j+1)·T
                for (int j = 0; j < k; j++) {
                    assertEquals(base[j], out[j], "sample " + j + " changed by " + (param ? "param " : "input ") + k);
                }
                if (out[k] != base[k]) {
                    changedAtOwnSample++;
                }
            }
        }
        // The test only means something if the changed segment does reach the next sample.
        assertTrue(changedAtOwnSample >= 2 * N - 2, "changes reaching their sample: " + changedAtOwnSample);
    }

    @Test
    void superpositionFails() {
        CircuitPhysics p = new CircuitPhysics(1, false);
        FixedState state = new FixedState(false, false);
        SplittableRandom r = new SplittableRandom(9);
        int[] zero = run(p, filled(0), filled(0), state);
        double sumDev = 0;
        int count = 0;
        for (int n = 0; n < 50; n++) {
            int[] pa = new int[N], xa = new int[N], pb = new int[N], xb = new int[N], ps = new int[N], xs = new int[N];
            for (int k = 0; k < N; k++) {
                pa[k] = r.nextInt(2048);
                xa[k] = r.nextInt(2048);
                pb[k] = r.nextInt(2048);
                xb[k] = r.nextInt(2048);
                ps[k] = pa[k] + pb[k];
                xs[k] = xa[k] + xb[k];
            }
            int[] a = run(p, pa, xa, state);
            int[] b = run(p, pb, xb, state);
            int[] s = run(p, ps, xs, state);
            for (int k = 0; k < N; k++) {
                sumDev += Math.abs(s[k] - (a[k] + b[k] - zero[k]));
                count++;
            }
        }
        double meanDev = sumDev / count;
        assertTrue(meanDev > 50, "mean superposition error only " + meanDev + " codes");
    }

    @Test
    void deterministicWithNoiseOff() {
        SplittableRandom r = new SplittableRandom(21);
        int[] params = random(r);
        int[] inputs = random(r);
        FixedState s1 = new FixedState(false, true);
        FixedState s2 = new FixedState(false, true);
        s1.temperature = s2.temperature = 28.5;
        s1.time = s2.time = 12.0;
        s2.random = new SplittableRandom(999);        // noise off: the generator must not matter
        CircuitPhysics a = new CircuitPhysics(42, true);
        CircuitPhysics b = new CircuitPhysics(42, true);
        int[] first = run(a, params, inputs, s1);
        assertArrayEquals(first, run(b, params, inputs, s2));
        assertArrayEquals(first, run(a, params, inputs, s1));
    }

    @Test
    void seedsDifferWithMismatch() {
        SplittableRandom r = new SplittableRandom(4);
        int[] params = random(r);
        int[] inputs = random(r);
        FixedState state = new FixedState(false, false);
        int[] a = run(new CircuitPhysics(1, true), params, inputs, state);
        int[] b = run(new CircuitPhysics(2, true), params, inputs, state);
        int maxDiff = 0;
        for (int k = 0; k < N; k++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[k] - b[k]));
        }
        assertTrue(maxDiff > 3, "devices with different seeds should differ, max diff " + maxDiff);
    }

    @Test
    void nominalBoardIsTheSameForEverySeed() {
        SplittableRandom r = new SplittableRandom(8);
        int[] params = random(r);
        int[] inputs = random(r);
        FixedState state = new FixedState(false, true);
        state.temperature = 33;
        int[] a = run(new CircuitPhysics(1, false), params, inputs, state);
        assertArrayEquals(a, run(new CircuitPhysics(2, false), params, inputs, state));
        assertArrayEquals(a, run(new CircuitPhysics(-123456789L, false), params, inputs, state));
    }

    @Test
    void measuredNoiseMatchesConfiguredNoise() {
        CircuitPhysics p = new CircuitPhysics(17, true);
        FixedState state = new FixedState(true, false);
        state.random = new SplittableRandom(5);
        int[] params = filled(2048);
        int[] inputs = filled(2100);
        int shots = 4000;
        double[] sum = new double[N];
        double[] sumSq = new double[N];
        int[] out = new int[N];
        for (int n = 0; n < shots; n++) {
            p.shot(params, inputs, out, state);
            for (int k = 0; k < N; k++) {
                sum[k] += out[k];
                sumSq[k] += (double) out[k] * out[k];
            }
        }
        double var = 0;
        double meanCode = 0;
        for (int k = 0; k < N; k++) {
            double m = sum[k] / shots;
            var += (sumSq[k] - shots * m * m) / (shots - 1);
            meanCode += m;
        }
        var /= N;
        meanCode /= N;
        // Quantization adds 1/12 LSB² (Sheppard) since the analog noise (~0.6 LSB) dithers the code edges.
        double analog = Math.sqrt(var - 1.0 / 12.0);
        double expected = p.expectedNoiseStdLsb(meanCode);
        assertTrue(expected > 0.4 && expected < 1.0, "configured noise " + expected);
        assertEquals(expected, analog, 0.2 * expected,
                "measured " + analog + " LSB vs configured " + expected + " LSB (raw std " + Math.sqrt(var) + ")");
        // Noise-free mean of the same waveform sits inside the noisy distribution.
        int[] clean = run(p, params, inputs, new FixedState(false, false));
        for (int k = 0; k < N; k++) {
            // the clean code is the analog value rounded, hence up to 0.5 LSB from the noisy mean
            assertEquals(clean[k], sum[k] / shots, 0.6, "noise must be unbiased at sample " + k);
        }
    }

    @Test
    void warmingChangesOutputsOnlyWithDrift() {
        SplittableRandom r = new SplittableRandom(13);
        int[] params = random(r);
        int[] inputs = random(r);
        CircuitPhysics p = new CircuitPhysics(3, true);

        FixedState drift = new FixedState(false, true);
        int[] cold = run(p, params, inputs, drift);
        drift.temperature = 35;
        int[] warm = run(p, params, inputs, drift);
        double meanAbs = 0;
        int maxAbs = 0;
        for (int k = 0; k < N; k++) {
            meanAbs += Math.abs(warm[k] - cold[k]);
            maxAbs = Math.max(maxAbs, Math.abs(warm[k] - cold[k]));
        }
        meanAbs /= N;
        assertTrue(meanAbs > 5, "10 K should be noticeable, mean change " + meanAbs + " codes");
        assertTrue(maxAbs < 200, "10 K should not destroy the response, max change " + maxAbs + " codes");

        FixedState frozen = new FixedState(false, false);
        int[] frozenCold = run(p, params, inputs, frozen);
        frozen.temperature = 35;
        assertArrayEquals(frozenCold, run(p, params, inputs, frozen));
        assertArrayEquals(cold, frozenCold, "drift on at 25 °C and t = 0 is the nominal operating point");
    }

    @Test
    void supplyWanderIsDeterministicForATimeSequence() {
        CircuitPhysics a = new CircuitPhysics(9, true);
        CircuitPhysics b = new CircuitPhysics(9, true);
        FixedState sa = new FixedState(false, true);
        FixedState sb = new FixedState(false, true);
        int[] params = filled(3000);
        int[] inputs = filled(4000);
        int[] first = run(a, params, inputs, sa);
        assertArrayEquals(first, run(b, params, inputs, sb));
        boolean moved = false;
        for (int n = 1; n <= 50; n++) {
            sa.time = sb.time = n * 120.0;
            int[] oa = run(a, params, inputs, sa);
            assertArrayEquals(oa, run(b, params, inputs, sb));
            moved |= !Arrays.equals(oa, first);
        }
        assertTrue(moved, "supply wander should move high codes over 100 minutes");
    }

    @Test
    void sensorsAndSelfTest() {
        for (boolean mismatch : new boolean[] {false, true}) {
            CircuitPhysics p = new CircuitPhysics(77, mismatch);
            FixedState state = new FixedState(true, true);
            state.temperature = 41.0;
            Map<Sensor, Double> readings = new EnumMap<>(Sensor.class);
            p.readSensors(state, readings::put);
            assertEquals(2, readings.size());
            assertEquals(3.3, readings.get(Sensor.SUPPLY_VOLTAGE), 0.1);
            assertEquals(41.0, readings.get(Sensor.BOARD_TEMPERATURE), 1.0);

            List<SelfTestCheck> checks = p.selfTest(state);
            assertEquals(2, checks.size());
            SelfTestCheck dark = checks.stream().filter(c -> c.id() == SelfTestCheck.DARK_LEVEL).findFirst().orElse(null);
            SelfTestCheck source = checks.stream().filter(c -> c.id() == SelfTestCheck.SOURCE_LEVEL).findFirst().orElse(null);
            assertNotNull(dark);
            assertNotNull(source);
            assertTrue(dark.passed() && dark.measured() >= 0 && dark.measured() < 40, "dark " + dark.measured());
            assertTrue(source.passed(), "supply " + source.measured());
        }
    }

    @Test
    void noiseOffMeansNoShotToShotVariation() {
        CircuitPhysics p = new CircuitPhysics(17, true);
        FixedState state = new FixedState(false, false);
        int[] first = run(p, filled(2048), filled(2100), state);
        for (int n = 0; n < 100; n++) {
            assertArrayEquals(first, run(p, filled(2048), filled(2100), state));
        }
        assertFalse(Arrays.equals(first, run(p, filled(2048), filled(1000), state)));
    }

    @Test
    void shotDoesNotAllocateAndIsFast() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        CircuitPhysics p = new CircuitPhysics(23, true);
        FixedState state = new FixedState(true, true);
        SplittableRandom r = new SplittableRandom(1);
        int[] params = random(r);
        int[] inputs = random(r);
        int[] out = new int[N];
        for (int n = 0; n < 20_000; n++) {     // let the JIT compile shot()
            inputs[n & 15] = (n * 37) & MAX;
            state.time += 280e-6;
            p.shot(params, inputs, out, state);
        }
        long tid = Thread.currentThread().threadId();
        int shots = 10_000;
        long before = threads.getThreadAllocatedBytes(tid);
        for (int n = 0; n < shots; n++) {
            inputs[n & 15] = (n * 41) & MAX;
            state.time += 280e-6;
            state.temperature = 25 + (n & 7);
            p.shot(params, inputs, out, state);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 512, "shot() allocated " + allocated + " bytes over " + shots + " shots");
        // CPU time per shot is a benchmark figure (BENCHMARKS.md), not a unit-test assertion.
    }
}
