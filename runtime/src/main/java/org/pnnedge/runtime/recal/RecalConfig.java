package org.pnnedge.runtime.recal;

import java.time.Duration;
import java.util.Objects;

/**
 * Hyper-parameters of a recalibration. See {@code src/site/markdown/recalibration.md}.
 *
 * @param probeRepeats      shots averaged per reference probe (the bundle's probes used 8)
 * @param freshShots        random (input, parameter) shots measured in the spare slot for the drift figure and the
 *                          twin refit; 0 = none (no twin refit)
 * @param shotsPerSet       fresh shots per random parameter set; also one device phase (the longest pause the fresh
 *                          shots cause is one set plus its noise repeats)
 * @param twinBudget        wall-time budget of the twin refit
 * @param twinEpochs        at most this many epochs of the warm-started refit
 * @param twinLearningRate  peak Adam step of the refit (smaller than a fresh fit's: it starts close)
 * @param twinHoldout       part of the fresh shots kept out of the refit to judge it (before versus after)
 * @param relTolerance      a corrected probe output is within tolerance when its error is at most
 *                          max(sigmaTolerance·σ, relTolerance·expected)
 * @param sigmaTolerance    see relTolerance; σ is the standard deviation of (measured mean − reference mean)
 * @param minPassFraction   validation passes when at least this part of the (probe, channel) pairs of every layer is
 *                          within tolerance
 * @param gainPriorStd      ridge prior on each channel gain: N(1, gainPriorStd²)
 * @param offsetPriorStd    ridge prior on the extra offset (normalised units), when offsets are fitted
 * @param adoptMargin       a valid new correction replaces a current one that is still within tolerance only when its
 *                          (cross-validated) rms probe error is lower by at least this fraction (no churn on noise)
 * @param minProbesForOffset fit a free offset per channel only when a layer has at least this many probes; below,
 *                          the gain acts about the channel's dark level (one number per channel)
 * @param seed              seed of the fresh shots' random codes (each run of a recalibrator draws new ones)
 */
public record RecalConfig(int probeRepeats, int freshShots, int shotsPerSet, Duration twinBudget, int twinEpochs,
                          double twinLearningRate, double twinHoldout, double relTolerance, double sigmaTolerance,
                          double minPassFraction, double adoptMargin, double gainPriorStd, double offsetPriorStd,
                          int minProbesForOffset, long seed) {
    public RecalConfig {
        Objects.requireNonNull(twinBudget, "twinBudget");
        if (probeRepeats < 1 || freshShots < 0 || shotsPerSet < 1 || twinEpochs < 1 || !(twinLearningRate > 0)
                || !(twinHoldout > 0 && twinHoldout < 1) || !(relTolerance > 0) || !(sigmaTolerance > 0)
                || !(minPassFraction > 0 && minPassFraction <= 1) || !(adoptMargin >= 0 && adoptMargin < 1)
                || !(gainPriorStd > 0) || !(offsetPriorStd > 0) || minProbesForOffset < 2 || twinBudget.isNegative()) {
            throw new IllegalArgumentException("bad recalibration settings: probeRepeats=" + probeRepeats
                    + " freshShots=" + freshShots + " shotsPerSet=" + shotsPerSet + " twinBudget=" + twinBudget
                    + " twinEpochs=" + twinEpochs + " twinLearningRate=" + twinLearningRate + " twinHoldout="
                    + twinHoldout + " relTolerance=" + relTolerance + " sigmaTolerance=" + sigmaTolerance
                    + " minPassFraction=" + minPassFraction + " adoptMargin=" + adoptMargin + " gainPriorStd="
                    + gainPriorStd + " offsetPriorStd=" + offsetPriorStd + " minProbesForOffset="
                    + minProbesForOffset);
        }
    }

    /**
     * 8 repeats per probe, 256 fresh shots in sets of 32, a 10 s twin budget (at most 30 epochs), tolerance
     * max(3σ, 3 %) on 90 % of the (probe, channel) pairs of every layer, 10 % adoption margin.
     */
    public static RecalConfig defaults() {
        return new RecalConfig(8, 256, 32, Duration.ofSeconds(10), 30, 3e-3, 0.25, 0.03, 3.0, 0.9, 0.1, 0.25, 0.01,
                6, 1);
    }

    public RecalConfig withFreshShots(int n) {
        return new RecalConfig(probeRepeats, n, shotsPerSet, twinBudget, twinEpochs, twinLearningRate, twinHoldout,
                relTolerance, sigmaTolerance, minPassFraction, adoptMargin, gainPriorStd, offsetPriorStd,
                minProbesForOffset, seed);
    }

    public RecalConfig withTwinBudget(Duration d) {
        return new RecalConfig(probeRepeats, freshShots, shotsPerSet, d, twinEpochs, twinLearningRate, twinHoldout,
                relTolerance, sigmaTolerance, minPassFraction, adoptMargin, gainPriorStd, offsetPriorStd,
                minProbesForOffset, seed);
    }
}
