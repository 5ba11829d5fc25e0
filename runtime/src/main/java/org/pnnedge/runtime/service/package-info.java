/**
 * Inference on the device: {@link org.pnnedge.runtime.service.InferenceEngine} runs a bundle's PNN on its device
 * without allocating, {@link org.pnnedge.runtime.service.InferenceService} serves it one request at a time under
 * the device lock and is the watchdog, {@link org.pnnedge.runtime.service.OutputCorrection} is the per-channel
 * correction recalibration installs, {@link org.pnnedge.runtime.service.LatencyStats} the latency window,
 * {@link org.pnnedge.runtime.service.EnergyLedger} the energy per inference (device, link, host).
 *
 * <p>Imports: the JDK, {@code org.pnnedge.bridge}, {@code org.pnnedge.models}; no other runtime package
 * (recalibration and OTA depend on this package, never the reverse).
 */
package org.pnnedge.runtime.service;
