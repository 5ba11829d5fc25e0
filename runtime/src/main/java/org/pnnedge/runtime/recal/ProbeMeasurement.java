package org.pnnedge.runtime.recal;

import java.util.Objects;

import org.pnnedge.models.bundle.Probe;

/**
 * A reference probe measured again during recalibration.
 *
 * @param probe   the bundle's probe (reference: {@link Probe#expectedOutput()}, {@link Probe#outputStd()})
 * @param mean    mean ADC output codes over {@code repeats} shots now
 * @param std     per-channel standard deviation of those shots (ADC codes)
 * @param repeats shots averaged
 */
public record ProbeMeasurement(Probe probe, double[] mean, double[] std, int repeats) {
    public ProbeMeasurement {
        Objects.requireNonNull(probe, "probe");
        if (mean.length != std.length || mean.length != probe.expectedOutput().length) {
            throw new IllegalArgumentException("probe measurement has " + mean.length + " means and " + std.length
                    + " stds for " + probe.expectedOutput().length + " outputs");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1");
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    double meanAt(int k) {
        return mean[k];
    }

    double stdAt(int k) {
        return std[k];
    }
}
