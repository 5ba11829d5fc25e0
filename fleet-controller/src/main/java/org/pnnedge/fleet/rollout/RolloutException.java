package org.pnnedge.fleet.rollout;

/** A rollout that cannot start or go on; {@link #kind()} names the problem, the message says what to do. */
public final class RolloutException extends Exception {
    /** What went wrong; the first five are bad input (nothing was sent). */
    public enum Kind {
        /** The bundle has no valid signature of a trusted key (or is not a bundle at all). */
        UNTRUSTED_BUNDLE(true),
        /** The fleet has no device accounts in accounts.json. */
        EMPTY_FLEET(true),
        /** The stage list is malformed or does not end at 100 %. */
        BAD_STAGES(true),
        /** Another controller holds the rollout's lock. */
        LOCKED(true),
        /** Options that do not make sense (threshold, canary not in the fleet, unknown rollout, wrong state…). */
        BAD_OPTION(true),
        /** The broker or the database failed. */
        FAILED(false);

        private final boolean badInput;

        Kind(boolean badInput) {
            this.badInput = badInput;
        }

        public boolean badInput() {
            return badInput;
        }
    }

    private final Kind kind;

    public RolloutException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RolloutException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String getMessage() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + super.getMessage();
    }
}
