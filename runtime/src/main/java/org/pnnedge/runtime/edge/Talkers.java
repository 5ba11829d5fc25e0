package org.pnnedge.runtime.edge;

import java.util.LinkedHashMap;
import java.util.Map;

import org.pnnedge.models.audio.TalkerEstimate;

/**
 * The talkers the service has heard by id, each with its running estimate ({@link TalkerEstimate}: the log-mean
 * formant level G a {@code talker13} model normalises by, over the last {@value #WINDOW} vowels, with the same
 * confidence and step bounds as {@code pnn listen}). At most {@value #MAX_TALKERS}: the least recently heard talker
 * is forgotten for a new one, so a client inventing ids cannot grow the service's memory (one estimate is a few
 * hundred bytes). Thread-safe; a caller holds the estimate's own lock while it classifies and adds a vowel, so two
 * requests for one talker cannot interleave.
 */
final class Talkers {
    /** Talkers remembered at most. */
    static final int MAX_TALKERS = 256;
    /** Vowels per talker, as {@code pnn listen --talker-window}'s default. */
    static final int WINDOW = 7;

    private final int max;
    private final Map<String, TalkerEstimate> byId;
    private long forgotten;
    private long requests;

    Talkers() {
        this(MAX_TALKERS);
    }

    Talkers(int max) {
        this.max = max;
        this.byId = new LinkedHashMap<>(16, 0.75f, true) { // access order: the eldest is the least recently heard
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TalkerEstimate> eldest) {
                boolean full = size() > Talkers.this.max;
                if (full) {
                    forgotten++;
                }
                return full;
            }
        };
    }

    /** The talker's estimate for one request naming it (counted), made (empty) on its first request. */
    synchronized TalkerEstimate of(String id) {
        requests++;
        return byId.computeIfAbsent(id, k -> new TalkerEstimate(WINDOW));
    }

    synchronized int size() {
        return byId.size();
    }

    /** The counters for the status, read together under the lock so they agree with each other. */
    synchronized Counts counts() {
        return new Counts(byId.size(), max, forgotten, requests);
    }

    /**
     * What the status shows ({@code "talkers"}).
     *
     * @param kept talkers remembered now
     * @param max the bound on {@code kept}
     * @param forgotten talkers forgotten to make room for new ones, since the start
     * @param requests measurement requests that named a talker, since the start
     */
    record Counts(int kept, int max, long forgotten, long requests) {
    }
}
