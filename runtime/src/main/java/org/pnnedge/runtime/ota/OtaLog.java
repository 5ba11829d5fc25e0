package org.pnnedge.runtime.ota;

import org.pnnedge.runtime.ota.OtaStatus.Step;
import org.tinylog.Logger;

/**
 * The updater's log lines: one per status, except for bundles that never verified (garbage, foreign signatures),
 * which are logged at most once per {@link #UNVERIFIED_INTERVAL_NANOS} with a count of the rest, so a flood of
 * garbage on the bundle topic cannot flood the log (issue 13: 101 467 warnings, 11.7 MB).
 */
final class OtaLog {
    static final long UNVERIFIED_INTERVAL_NANOS = 10_000_000_000L;
    private long lastUnverified = System.nanoTime() - UNVERIFIED_INTERVAL_NANOS;
    private long notLogged;

    void status(OtaStatus s) {
        if (s.keyId() == null && (s.step() == Step.RECEIVED || s.step() == Step.REJECTED)) {
            unverified(s);
        } else if (s.isFinal() && s.step() != Step.SWITCHED) {
            Logger.warn("OTA {}", s);
        } else {
            Logger.info("OTA {}", s);
        }
    }

    private synchronized void unverified(OtaStatus s) {
        long now = System.nanoTime();
        if (now - lastUnverified < UNVERIFIED_INTERVAL_NANOS) {
            notLogged++;
            return;
        }
        lastUnverified = now;
        String more = notLogged == 0 ? "" : " (" + notLogged + " statuses of unverified bundles not logged in the last "
                + UNVERIFIED_INTERVAL_NANOS / 1_000_000_000L + " s)";
        notLogged = 0;
        if (s.step() == Step.REJECTED) {
            Logger.warn("OTA {}{}", s, more);
        } else {
            Logger.info("OTA {}{}", s, more);
        }
    }
}
