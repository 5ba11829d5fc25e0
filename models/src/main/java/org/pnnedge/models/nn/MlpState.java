package org.pnnedge.models.nn;

import java.util.List;

/**
 * Plain, Jackson-friendly snapshot of an {@link Mlp} for model bundles.
 *
 * <p>Jackson writes doubles with the shortest repr that parses back to the same bits, so a JSON round trip
 * is exact. Records holding arrays compare by identity; compare parameters with {@code Arrays.equals}.
 *
 * @param widths      layer widths, input first
 * @param activations one {@link Activation#id()} per layer, e.g. {@code ["tanh", "tanh", "identity"]}
 * @param weights     per layer, row-major out × in
 * @param biases      per layer
 */
public record MlpState(int[] widths, List<String> activations, List<double[]> weights, List<double[]> biases) {

    /** Shorthand for {@link Mlp#fromState(MlpState)}. */
    public Mlp toMlp() {
        return Mlp.fromState(this);
    }
}
