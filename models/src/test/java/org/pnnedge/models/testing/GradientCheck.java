package org.pnnedge.models.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.BitSet;
import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Central finite differences and the comparison of analytic gradients against them, shared by the gradient
 * checks of the nn, twin and pnn tests. A difference is always {@code (f(v + h) - f(v - h)) / (2 h)}, evaluated
 * in that order, and a perturbed entry is restored to its exact original value afterwards.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /** {@code (f(x + h) - f(x - h)) / (2 h)}. */
    public static double centralDifference(DoubleUnaryOperator f, double x, double h) {
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    }

    /**
     * Central difference with respect to {@code v[i]}, perturbed in place: for parameters held inside a model,
     * or for a loss that reads {@code v} by itself. {@code f} is evaluated at {@code v[i] + h}, then at
     * {@code v[i] - h}; {@code v[i]} is restored before returning.
     */
    public static double centralDifference(double[] v, int i, DoubleSupplier f, double h) {
        double save = v[i];
        v[i] = save + h;
        double lp = f.getAsDouble();
        v[i] = save - h;
        double lm = f.getAsDouble();
        v[i] = save;
        return (lp - lm) / (2 * h);
    }

    /** Central differences with respect to every entry of {@code v}, perturbed in place one at a time. */
    public static double[] numericGradient(double[] v, DoubleSupplier f, double h) {
        double[] g = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            g[i] = centralDifference(v, i, f, h);
        }
        return g;
    }

    /** The gradient of {@code f} at {@code at} by central differences; {@code at} itself is not modified. */
    public static double[] numericGradient(ToDoubleFunction<double[]> f, double[] at, double h) {
        double[] v = at.clone();
        return numericGradient(v, () -> f.applyAsDouble(v), h);
    }

    /** When an analytic value is close enough to its finite-difference estimate. */
    public sealed interface Tolerance permits AbsRel, RelativeWithFloor {
        boolean accepts(double analytic, double numeric);

        /** The largest |analytic − numeric| accepted here (for ranking mismatches and for messages). */
        double allowed(double analytic, double numeric);
    }

    /**
     * {@code |analytic − numeric| ≤ abs + rel·|numeric|}: exactly JUnit's
     * {@code assertEquals(numeric, analytic, abs + rel * Math.abs(numeric))}.
     */
    public static Tolerance absRel(double abs, double rel) {
        return new AbsRel(abs, rel);
    }

    /**
     * {@code |analytic − numeric| / max(floor, |analytic|, |numeric|) < rel}: relative error with a floor on the
     * denominator, so that gradients far below the floor are judged by the absolute error {@code rel·floor}.
     */
    public static Tolerance relative(double rel, double floor) {
        return new RelativeWithFloor(rel, floor);
    }

    public record AbsRel(double abs, double rel) implements Tolerance {
        @Override
        public boolean accepts(double analytic, double numeric) {
            if (Double.doubleToLongBits(numeric) == Double.doubleToLongBits(analytic)) {
                return true;
            }
            return Math.abs(numeric - analytic) <= allowed(analytic, numeric);
        }

        @Override
        public double allowed(double analytic, double numeric) {
            return abs + rel * Math.abs(numeric);
        }

        @Override
        public String toString() {
            return "|analytic - numeric| <= " + abs + " + " + rel + "·|numeric|";
        }
    }

    public record RelativeWithFloor(double rel, double floor) implements Tolerance {
        @Override
        public boolean accepts(double analytic, double numeric) {
            return Math.abs(analytic - numeric) / denominator(analytic, numeric) < rel;
        }

        @Override
        public double allowed(double analytic, double numeric) {
            return rel * denominator(analytic, numeric);
        }

        private double denominator(double analytic, double numeric) {
            return Math.max(floor, Math.max(Math.abs(analytic), Math.abs(numeric)));
        }

        @Override
        public String toString() {
            return "|analytic - numeric| / max(" + floor + ", |analytic|, |numeric|) < " + rel;
        }
    }

    /**
     * The worst entry of a comparison: the failing entry furthest outside its tolerance if any fails, otherwise
     * the passing entry closest to its limit.
     */
    public record Mismatch(int index, double analytic, double numeric, double allowed, int failures, int compared) {
        public double absError() {
            return Math.abs(analytic - numeric);
        }

        /** |analytic − numeric| / max(|analytic|, |numeric|), 0 when both are 0. */
        public double relError() {
            double d = Math.max(Math.abs(analytic), Math.abs(numeric));
            return d == 0 ? absError() : absError() / d;
        }
    }

    /** The worst entry over all indices not in {@code skip} (which may be null); null if nothing was compared. */
    public static Mismatch worst(double[] analytic, double[] numeric, Tolerance tol, BitSet skip) {
        if (analytic.length != numeric.length) {
            fail(analytic.length + " analytic values but " + numeric.length + " numeric ones");
        }
        int worst = -1;
        boolean worstFails = false;
        double worstRatio = -1;
        int failures = 0;
        int compared = 0;
        for (int i = 0; i < analytic.length; i++) {
            if (skip != null && skip.get(i)) {
                continue;
            }
            compared++;
            boolean fails = !tol.accepts(analytic[i], numeric[i]);
            double ratio = Math.abs(analytic[i] - numeric[i]) / tol.allowed(analytic[i], numeric[i]);
            if (Double.isNaN(ratio)) {
                ratio = fails ? Double.POSITIVE_INFINITY : 0;
            }
            if (fails) {
                failures++;
            }
            if (worst < 0 || (fails && !worstFails) || (fails == worstFails && ratio > worstRatio)) {
                worst = i;
                worstFails = fails;
                worstRatio = ratio;
            }
        }
        return worst < 0 ? null : new Mismatch(worst, analytic[worst], numeric[worst],
                tol.allowed(analytic[worst], numeric[worst]), failures, compared);
    }

    /** Asserts {@code analytic[i]} matches {@code numeric[i]} within {@code tol} for every i. */
    public static void assertGradient(String what, double[] analytic, double[] numeric, Tolerance tol) {
        assertGradient(what, analytic, numeric, tol, null);
    }

    /**
     * As {@link #assertGradient(String, double[], double[], Tolerance)}, leaving out the indices in {@code skip}
     * (e.g. points where the function is not differentiable). The failure message names the worst index, both
     * values, the absolute and relative error and the tolerance.
     */
    public static void assertGradient(String what, double[] analytic, double[] numeric, Tolerance tol, BitSet skip) {
        Mismatch m = worst(analytic, numeric, tol, skip);
        if (m != null && m.failures() > 0) {
            fail(message(what + "[" + m.index() + "]", m, tol) + "; " + m.failures() + " of " + m.compared()
                    + " entries outside the tolerance");
        }
    }

    /** Asserts one analytic derivative against its finite-difference estimate. */
    public static void assertDerivative(String what, double analytic, double numeric, Tolerance tol) {
        if (!tol.accepts(analytic, numeric)) {
            fail(message(what, new Mismatch(0, analytic, numeric, tol.allowed(analytic, numeric), 1, 1), tol));
        }
    }

    private static String message(String what, Mismatch m, Tolerance tol) {
        return String.format("%s: analytic %.10g vs numeric %.10g, |diff| %.3e, relative error %.3e "
                        + "(allowed |diff| %.3e: %s)", what, m.analytic(), m.numeric(), m.absError(), m.relError(),
                m.allowed(), tol);
    }
}
