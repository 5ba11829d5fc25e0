package org.pnnedge.models.nn;

import java.util.Locale;

/**
 * Element-wise activation functions with their derivatives.
 *
 * <p>Derivatives are taken with respect to the pre-activation {@code z}; the MLP keeps pre-activations
 * in its workspace, so no activation needs an "output-form" derivative. The smooth ones (tanh, gelu,
 * softplus, sigmoid, silu) are preferred for digital twins: physics-aware training back-propagates through
 * the twin, and a kinked twin (relu) gives a piecewise-constant, poorly matching Jacobian.
 */
public enum Activation {
    IDENTITY {
        @Override public double apply(double z) { return z; }
        @Override public double derivative(double z) { return 1.0; }
    },
    TANH {
        @Override public double apply(double z) { return Math.tanh(z); }
        @Override public double derivative(double z) {
            double t = Math.tanh(z);
            return 1.0 - t * t;
        }
    },
    RELU {
        @Override public double apply(double z) { return z > 0.0 ? z : 0.0; }
        /** Subgradient 0 at z = 0 (PyTorch convention). */
        @Override public double derivative(double z) { return z > 0.0 ? 1.0 : 0.0; }
    },
    /** GELU, tanh approximation (Hendrycks &amp; Gimpel): 0.5 z (1 + tanh(√(2/π)(z + 0.044715 z³))). */
    GELU {
        @Override public double apply(double z) {
            return 0.5 * z * (1.0 + Math.tanh(GELU_C * (z + GELU_A * z * z * z)));
        }
        @Override public double derivative(double z) {
            double z2 = z * z;
            double t = Math.tanh(GELU_C * (z + GELU_A * z2 * z));
            return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * GELU_C * (1.0 + 3.0 * GELU_A * z2);
        }
    },
    /** log(1 + e^z), computed without overflow. */
    SOFTPLUS {
        @Override public double apply(double z) {
            return z > 0.0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        }
        @Override public double derivative(double z) { return sigmoid(z); }
    },
    SIGMOID {
        @Override public double apply(double z) { return sigmoid(z); }
        @Override public double derivative(double z) {
            double s = sigmoid(z);
            return s * (1.0 - s);
        }
    },
    /** SiLU / swish: z σ(z). */
    SILU {
        @Override public double apply(double z) { return z * sigmoid(z); }
        @Override public double derivative(double z) {
            double s = sigmoid(z);
            return s * (1.0 + z * (1.0 - s));
        }
    };

    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_A = 0.044715;

    /** f(z). */
    public abstract double apply(double z);

    /** f'(z), with respect to the pre-activation. */
    public abstract double derivative(double z);

    /** Stable name used in serialized models, e.g. {@code "gelu"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Inverse of {@link #id()}; case-insensitive. */
    public static Activation parse(String id) {
        if (id == null) {
            throw new IllegalArgumentException("activation name is null");
        }
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(id.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + id + "'; known: identity, tanh, relu, gelu, softplus, sigmoid, silu");
    }

    /** Logistic function, evaluated so that exp never overflows. */
    static double sigmoid(double z) {
        if (z >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }
}
