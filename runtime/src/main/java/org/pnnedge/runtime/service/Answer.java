package org.pnnedge.runtime.service;

/**
 * What one inference answered (a copy, safe to keep); serialised as-is on the control socket and over MQTT.
 */
public record Answer(String label, int index, double confidence, double[] probabilities, double latencyMicros,
                     String model) {
}
