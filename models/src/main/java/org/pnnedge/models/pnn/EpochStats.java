package org.pnnedge.models.pnn;

/**
 * One epoch of training.
 *
 * @param trainAccuracy accuracy of the training forward passes (on the device for PAT, on the twin in silico)
 * @param validationAccuracy accuracy on the validation data measured on the device (NaN when none)
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationAccuracy,
                         double deviceSeconds, double digitalSeconds) {
}
