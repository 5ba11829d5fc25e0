package org.pnnedge.runtime.ota;

/**
 * Test hook: called at every named point of an update, so a test can stop the update there as abruptly as a
 * power cut would ({@link #crashAt}). Production code uses {@link #NONE}.
 *
 * <p>A simulated crash is a {@link SimulatedCrash}, an {@link Error}: the updater and the store catch
 * exceptions to clean up after ordinary failures, but never errors, so nothing tidies up behind a crash —
 * exactly like a killed process. A test then opens a new {@link BundleStore} on the same directory, as the
 * runtime does after a restart, and checks what it finds.
 */
@FunctionalInterface
public interface CrashPoints {
    /** No crashes. */
    CrashPoints NONE = p -> { };

    /**
     * The points, in the order an update passes them. See {@code src/site/markdown/ota.md} for what a crash at
     * each of them leaves behind.
     */
    enum Point {
        /** The bundle bytes arrived; nothing verified, nothing written. */
        AFTER_RECEIVED,
        /** Verified; nothing written yet. */
        AFTER_VERIFIED,
        /** The journal ({@code update.json}) says an update is in progress; no candidate file yet. */
        AFTER_JOURNAL,
        /** Half of the candidate's bytes are in the temporary file {@code staging/candidate.pnnb.tmp}. */
        DURING_STAGING_WRITE,
        /** {@code staging/candidate.pnnb} complete and synced. */
        AFTER_STAGED,
        /** The self-test passed; the switch has not started. */
        AFTER_SELF_TESTED,
        /** A copy of the serving bundle is in {@code staging/outgoing.pnnb}; the commit rename has not happened. */
        AFTER_OUTGOING_SAVED,
        /** Commit: {@code staging/candidate.pnnb} was renamed to {@code active.pnnb}. */
        AFTER_COMMIT,
        /** {@code staging/outgoing.pnnb} was renamed to {@code previous.pnnb}: the switch is complete on disk. */
        AFTER_PREVIOUS_SAVED,
        /**
         * The service's {@link Activation} switched the model; the version floor is not raised yet and the final
         * SWITCHED status has not been sent, so the journal is still there (it is deleted only after the final
         * status, so a restart can report it and raise the floor).
         */
        AFTER_ACTIVATED,
        /**
         * The version floor records the new version ({@code version-floor}); the final SWITCHED status has not been
         * sent, the journal is still there.
         */
        AFTER_FLOOR_RECORDED
    }

    /** Called when the update reaches {@code point}; throws {@link SimulatedCrash} to simulate a crash there. */
    void reached(Point point);

    /** Crashes at {@code point}, and nowhere else. */
    static CrashPoints crashAt(Point point) {
        return p -> {
            if (p == point) {
                throw new SimulatedCrash(p);
            }
        };
    }

    /** What a crash hook throws: an {@link Error}, so no {@code catch (Exception)} cleans up behind it. */
    final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;
        private final transient Point point;

        public SimulatedCrash(Point point) {
            super("simulated crash at " + point);
            this.point = point;
        }

        public Point point() {
            return point;
        }
    }
}
