package org.pnnedge.runtime.service;

import java.util.List;

/**
 * What one inference answered (a copy, safe to keep); serialised as-is on the control socket and over MQTT, and
 * printed by {@code pnn classify --json}. Besides the answer it names the model that gave it, so a client can tell
 * a 7-vowel from a 12-vowel bundle (or an update) by the answer alone.
 *
 * @param label         the class's name ({@code labels[index]})
 * @param index         the class's index
 * @param confidence    the class's softmax probability
 * @param probabilities every class's softmax probability, in {@code labels} order
 * @param latencyMicros the inference's time on the device link
 * @param model         {@code modelId@modelVersion}, e.g. {@code vowels12@1.0.0}
 * @param modelId       the bundle's model id
 * @param modelVersion  the bundle's semantic version
 * @param labels        the model's classes in index order (shared and immutable: no copy per answer)
 * @param featureLayout what the input features are ({@code hz12}, {@code bark13}, ...; audio.md)
 */
public record Answer(String label, int index, double confidence, double[] probabilities, double latencyMicros,
                     String model, String modelId, String modelVersion, List<String> labels, String featureLayout) {
}
