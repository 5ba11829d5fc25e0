package org.pnnedge.models.pnn;

/**
 * One epoch of training.
 *
 * @param trainAccuracy      accuracy of the training forward passes (on the device for PAT, on the twin in silico)
 * @param validationAccuracy accuracy on the validation data measured on the device (NaN when none)
 * @param thetaGradient      per layer: mean over the epoch's steps of |dL/dθ| (the twin's VJP) — shows whether the
 *                           early layers of a deep network still learn
 * @param saturation         per layer: share of layer inputs u outside [0, 1] (kept in range by clamp or knee)
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationAccuracy,
                         double deviceSeconds, double digitalSeconds, double[] thetaGradient, double[] saturation) {
    public EpochStats {
        thetaGradient = thetaGradient == null ? new double[0] : thetaGradient.clone();
        saturation = saturation == null ? new double[0] : saturation.clone();
    }

    public EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationAccuracy,
                      double deviceSeconds, double digitalSeconds) {
        this(epoch, trainLoss, trainAccuracy, validationAccuracy, deviceSeconds, digitalSeconds, null, null);
    }

    @Override
    public double[] thetaGradient() {
        return thetaGradient.clone();
    }

    @Override
    public double[] saturation() {
        return saturation.clone();
    }
}
