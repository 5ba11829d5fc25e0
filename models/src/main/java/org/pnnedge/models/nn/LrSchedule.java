package org.pnnedge.models.nn;

/** Learning rate as a function of the 0-based optimizer step. */
@FunctionalInterface
public interface LrSchedule {

    double at(int step);

    static LrSchedule constant(double lr) {
        return step -> lr;
    }

    /**
     * Linear warm-up over {@code warmupSteps}, then half-cosine decay from {@code base} to {@code min} at
     * {@code totalSteps}; {@code min} afterwards. Warm-up keeps early Adam steps (poor second-moment
     * estimates) small.
     */
    static LrSchedule cosine(double base, double min, int warmupSteps, int totalSteps) {
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("totalSteps (" + totalSteps + ") must exceed warmupSteps (" + warmupSteps + ")");
        }
        return step -> {
            if (step < warmupSteps) {
                return base * (step + 1) / warmupSteps;
            }
            if (step >= totalSteps) {
                return min;
            }
            double t = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
            return min + 0.5 * (base - min) * (1.0 + Math.cos(Math.PI * t));
        };
    }

    /** {@code base · gamma^(step / every)}. */
    static LrSchedule stepDecay(double base, double gamma, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be positive, got " + every);
        }
        return step -> base * Math.pow(gamma, step / every);
    }
}
