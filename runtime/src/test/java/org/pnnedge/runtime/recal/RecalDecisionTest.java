package org.pnnedge.runtime.recal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every branch of the recalibration decision, without a device. */
class RecalDecisionTest {
    private static final RecalConfig CONFIG = RecalConfig.defaults();

    private static CorrectionFit.Score score(double rms, boolean pass) {
        return new CorrectionFit.Score(new RecalReport.ProbeErrors(rms, rms, pass ? 1 : 0, 10), pass ? 1 : 0, pass);
    }

    private static CorrectionFit.Result fit(boolean gainClamped) {
        return new CorrectionFit.Result(null, null, null, gainClamped, 0);
    }

    @Test
    void adoptsAValidCorrectionThatIsClearlyBetter() {
        RecalDecision d = RecalDecision.decide(fit(false), score(0.05, false), score(0.01, true), CONFIG);
        assertTrue(d.validated() && d.adopted() && !d.alarm(), d.toString());
        assertTrue(d.reason().startsWith("correction adopted"), d.reason());
    }

    @Test
    void keepsTheCurrentCorrectionWhileItIsWithinToleranceAndTheNewOneIsNotClearlyBetter() {
        RecalDecision d = RecalDecision.decide(fit(false), score(0.010, true), score(0.0099, true), CONFIG);
        assertEquals(new RecalDecision(true, false, false, d.reason()), d);
        assertTrue(d.reason().contains("not clearly better"), d.reason());
    }

    @Test
    void keepsTheCurrentCorrectionWhenTheNewFitFailsValidation() {
        RecalDecision d = RecalDecision.decide(fit(true), score(0.01, true), score(0.001, true), CONFIG);
        assertEquals(new RecalDecision(false, false, false, d.reason()), d);
        assertTrue(d.reason().contains("fails validation"), d.reason());
    }

    @Test
    void raisesAnAlarmWhenNeitherRestoresTheReferences() {
        RecalDecision d = RecalDecision.decide(fit(true), score(0.3, false), score(0.2, false), CONFIG);
        assertTrue(d.alarm() && !d.adopted(), d.toString());
        assertTrue(d.reason().contains("a gain hit its limit") && d.reason().contains("retrain"), d.reason());
    }

    @Test
    void withoutProbesNothingCanBeDecided() {
        RecalDecision d = RecalDecision.decide(null, score(0, true), score(0, true), CONFIG);
        assertEquals(new RecalDecision(false, false, false,
                "the bundle has no reference probes: drift cannot be measured or corrected"), d);
    }
}
