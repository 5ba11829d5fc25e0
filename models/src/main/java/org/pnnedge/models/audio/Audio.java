package org.pnnedge.models.audio;

import java.util.List;
import java.util.Objects;

/**
 * Mono audio: samples in [-1, 1] at {@code sampleRate} Hz.
 *
 * @param samples    mono samples (multi-channel input is averaged); the array is not copied on access
 * @param sampleRate samples per second (positive)
 * @param source     where it came from (file name or a description), used in messages
 * @param warnings   non-fatal observations made while reading (e.g. a data chunk shorter than declared)
 */
public record Audio(double[] samples, int sampleRate, String source, List<String> warnings) {

    public Audio {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
        source = source == null ? "<audio>" : source;
        warnings = List.copyOf(warnings == null ? List.of() : warnings);
    }

    public Audio(double[] samples, int sampleRate) {
        this(samples, sampleRate, "<audio>", List.of());
    }

    /** Duration in seconds. */
    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }
}
