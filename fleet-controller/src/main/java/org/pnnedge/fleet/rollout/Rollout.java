package org.pnnedge.fleet.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A rollout as stored in the {@code rollout} table (bundle bytes left out; {@link RolloutStore#bundle} reads them).
 *
 * @param state        RUNNING, PAUSED, HALTED, ABORTED or COMPLETED (see fleet.md's state machine)
 * @param requested    "pause" or "abort" asked of the running controller, or null
 * @param currentStage the stage being run (or where it stopped), 1-based
 */
public record Rollout(long id, String fleet, String updateId, String bundleSha256, String modelId, String version,
                      String keyId, String previousVersion, String stages, double threshold, Duration soak,
                      Duration verdictTimeout, Duration resendAfter, long seed, List<String> canaries,
                      boolean autoRollback, String state, String requested, int currentStage, String haltReason,
                      long foreignVerdicts, String controller, Instant createdAt, Instant finishedAt) {
    /** States in which no controller will send anything again. */
    public boolean finished() {
        return state.equals("HALTED") || state.equals("ABORTED") || state.equals("COMPLETED");
    }

    /**
     * Verdict counts of one stage.
     *
     * @param size devices in the stage
     */
    public record StageCounts(int stage, String spec, String state, int size, int pending, int sent, int switched,
                              int rejected, int rolledBack, int timeout, int bricked, int rollbackDone,
                              Instant startedAt, Instant verdictsAt, Instant finishedAt) {
        public int failures() {
            return rejected + rolledBack + timeout + bricked;
        }

        public int done() {
            return switched + failures();
        }
    }
}
