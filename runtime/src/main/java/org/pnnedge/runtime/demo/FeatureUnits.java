package org.pnnedge.runtime.demo;

import java.util.List;

import org.pnnedge.models.data.Dataset;

/**
 * Puts measurements into a model's units, as {@code pnn data synth --units U} does (the command line supplies its
 * own conversion, so the demo's vowels are made by the very code that makes training and test data): {@code hz12}
 * (PAT units), a per-token layout id ({@code log13}, {@code bark13}, {@code logmean13}), {@code talker13} (G over
 * all of each talker's rows: training data) or {@code talker13-running} (G from the talker's earlier rows, its
 * first from G<sub>0</sub>(F0): a talker as a user meets it).
 */
@FunctionalInterface
public interface FeatureUnits {
    /**
     * @param raw      raw measurements: the 12 formants and F0 in Hz ({@code FeatureLayout.RAW_NAMES})
     * @param talkers  the talker of each row, rows of a talker in the order they were said
     * @param units    what to make
     */
    Dataset convert(Dataset raw, List<String> talkers, String units);
}
