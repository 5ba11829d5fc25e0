package org.pnnedge.runtime.recal;

/**
 * Whether a recalibration adopts its new correction, keeps the current one or raises an alarm, and why: a pure
 * function of the probe scores, so every branch is testable without a device.
 *
 * @param validated the new correction passed validation (left-out probes within tolerance, no gain at its limit)
 * @param adopted   the new correction replaces the current one
 * @param alarm     neither correction restores the references: retraining is needed
 * @param reason    one sentence for the report and the log
 */
record RecalDecision(boolean validated, boolean adopted, boolean alarm, String reason) {

    /**
     * Adopt the new correction when it validates and beats the current one by the adopt margin (or the current one
     * fails); keep the current one while it is within tolerance; otherwise raise an alarm.
     *
     * @param fit     the new fit, or null when the bundle has no probes
     * @param before  probe scores with the current correction
     * @param afterCv probe scores with the new correction, cross-validated
     */
    static RecalDecision decide(CorrectionFit.Result fit, CorrectionFit.Score before, CorrectionFit.Score afterCv,
                                RecalConfig config) {
        if (fit == null) {
            return new RecalDecision(false, false, false,
                    "the bundle has no reference probes: drift cannot be measured or corrected");
        }
        boolean validated = afterCv.pass() && !fit.gainClamped();
        double bar = before.pass() ? (1 - config.adoptMargin()) * before.errors().rmsRelative()
                : before.errors().rmsRelative();
        boolean better = afterCv.errors().rmsRelative() < bar;
        String pct = "probe error (rms) %.2f %% with the current correction, %.2f %% with the new one"
                .formatted(100 * before.errors().rmsRelative(), 100 * afterCv.errors().rmsRelative());
        if (validated && better) {
            return new RecalDecision(true, true, false, "correction adopted: " + pct);
        }
        if (validated) {
            return new RecalDecision(true, false, false,
                    "current correction kept, still within tolerance and the new one is not clearly better: " + pct);
        }
        if (before.pass()) {
            return new RecalDecision(false, false, false,
                    "current correction kept, still within tolerance; the new fit fails validation: " + pct);
        }
        return new RecalDecision(false, false, true, ("output correction cannot restore the reference probes (%.0f %% "
                + "of channels within tolerance in the worst layer, %.0f %% needed%s; %s): retrain the model on fresh "
                + "measurements").formatted(100 * afterCv.worstLayerFraction(), 100 * config.minPassFraction(),
                fit.gainClamped() ? ", a gain hit its limit" : "", pct));
    }
}
