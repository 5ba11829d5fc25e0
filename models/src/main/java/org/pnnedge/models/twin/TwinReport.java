package org.pnnedge.models.twin;

/**
 * How well a twin matches held-out measurements.
 *
 * @param nrmse          held-out RMSE over all channels divided by the measured outputs' standard deviation
 * @param nrmsePerChannel the same per output channel
 * @param noiseFloor     the device's own shot-to-shot noise on the same scale (a perfect twin reaches about this)
 * @param noiseFloorPerChannel per output channel
 * @param trainSamples   samples fitted
 * @param heldOutSamples samples held out
 * @param seconds        fit wall time
 */
public record TwinReport(double nrmse, double[] nrmsePerChannel, double noiseFloor, double[] noiseFloorPerChannel,
                         int trainSamples, int heldOutSamples, double seconds) {
}
