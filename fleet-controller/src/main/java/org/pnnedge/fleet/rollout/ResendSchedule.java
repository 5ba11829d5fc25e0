package org.pnnedge.fleet.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices of one stage still waiting for a verdict, with when each was first and last sent the bundle and how
 * often it was re-sent: decides who is re-sent when ({@link ResendPolicy}) and who has timed out. Pure bookkeeping on
 * the instants it is given (no clock, no broker), so the schedule is unit-tested as is.
 */
final class ResendSchedule {
    private static final class Entry {
        final Instant firstSend;
        Instant lastSend;
        int resends;

        Entry(Instant at) {
            firstSend = at;
            lastSend = at;
        }
    }

    private final ResendPolicy policy;
    private final Map<String, Entry> waiting = new LinkedHashMap<>();
    private long resent;

    ResendSchedule(ResendPolicy policy) {
        this.policy = policy;
    }

    /** A device was sent the bundle at {@code at} (its first send of this run; the verdict timeout counts from it). */
    void sent(String device, Instant at) {
        waiting.put(device, new Entry(at));
    }

    /** The device answered: no more re-sends. True when it was waiting. */
    boolean done(String device) {
        return waiting.remove(device) != null;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }

    /** Re-sends handed out by {@link #due} so far. */
    long resent() {
        return resent;
    }

    /** Removes and returns the devices whose first send is more than {@code timeout} before {@code now}. */
    List<String> expired(Instant now, Duration timeout) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Entry>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> e = it.next();
            if (now.isAfter(e.getValue().firstSend.plus(timeout))) {
                out.add(e.getKey());
                it.remove();
            }
        }
        return out;
    }

    /** How many devices are due for a re-send at {@code now} (budget or not). */
    int dueCount(Instant now) {
        return (int) waiting.values().stream().filter(e -> due(e, now)).count();
    }

    /** Devices that used up their {@link ResendPolicy#maxResends} and only wait for a verdict or the timeout. */
    int exhausted() {
        return (int) waiting.values().stream().filter(e -> e.resends >= policy.maxResends()).count();
    }

    /**
     * The devices to re-send at {@code now}, at most {@code budget}, longest overdue first (a device held back by the
     * rate goes before one that just became due); each is counted as re-sent at {@code now}.
     */
    List<String> due(Instant now, int budget) {
        if (budget <= 0) {
            return List.of();
        }
        List<Map.Entry<String, Entry>> due = new ArrayList<>();
        for (Map.Entry<String, Entry> e : waiting.entrySet()) {
            if (due(e.getValue(), now)) {
                due.add(e);
            }
        }
        due.sort(Comparator.comparing(e -> nextSend(e.getValue())));
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : due.subList(0, Math.min(budget, due.size()))) {
            e.getValue().lastSend = now;
            e.getValue().resends++;
            out.add(e.getKey());
        }
        resent += out.size();
        return out;
    }

    private boolean due(Entry e, Instant now) {
        return e.resends < policy.maxResends() && !now.isBefore(nextSend(e));
    }

    private Instant nextSend(Entry e) {
        return e.lastSend.plus(policy.interval(e.resends));
    }
}
