package org.pnnedge.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SerializationTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void jsonRoundTripIsBitwiseExact() throws Exception {
        Mlp mlp = new Mlp(new int[] {3, 5, 4, 2}, new Activation[] {Activation.TANH, Activation.SOFTPLUS, Activation.SIGMOID}, 17);
        // awkward values: negative zero, subnormal, extremes, non-terminating binary fractions
        mlp.biases(0)[0] = -0.0;
        mlp.biases(0)[1] = Double.MIN_VALUE;
        mlp.biases(0)[2] = 0.1 + 0.2;
        mlp.biases(0)[3] = -Double.MAX_VALUE;
        mlp.biases(1)[0] = 1.0 / 3.0;
        String text = json.writeValueAsString(mlp.toState());
        assertTrue(text.contains("\"softplus\""), text);
        Mlp back = json.readValue(text, MlpState.class).toMlp();
        assertArrayEquals(mlp.widths(), back.widths());
        for (int l = 0; l < mlp.numLayers(); l++) {
            assertEquals(mlp.activation(l), back.activation(l));
            assertBitwise(mlp.weights(l), back.weights(l));
            assertBitwise(mlp.biases(l), back.biases(l));
        }
        SplittableRandom rnd = new SplittableRandom(1);
        double[] x = {rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()};
        assertBitwise(mlp.predict(x), back.predict(x));
        // the snapshot is a copy: later training must not change it
        MlpState state = mlp.toState();
        double original = mlp.weights(0)[0];
        mlp.weights(0)[0] = 42;
        assertEquals(original, state.weights().get(0)[0], 0.0);
    }

    @Test
    void invalidStatesAreRejectedWithAReason() {
        MlpState good = new Mlp(new int[] {2, 3, 1}, Activation.TANH, Activation.IDENTITY, 1).toState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mlp.fromState(
                new MlpState(good.widths(), List.of("tanh", "swoosh"), good.weights(), good.biases())));
        assertTrue(e.getMessage().contains("swoosh"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mlp.fromState(
                new MlpState(good.widths(), good.activations(), List.of(new double[5], good.weights().get(1)), good.biases())));
        assertTrue(e.getMessage().contains("layer 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mlp.fromState(
                new MlpState(new int[] {2}, List.of(), List.of(), List.of())));
        assertTrue(e.getMessage().contains("width"), e.getMessage());
    }

    private static void assertBitwise(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]), "index " + i + ": " + a[i] + " vs " + b[i]);
        }
    }
}
