package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/** A voice above every trained F0 gets a warning and low confidence; a child's ordinary voice does not. */
class F0RangeTest {
    static FormantFeatures.Result heard(double f0) throws AudioException {
        VowelSynthesizer.Voice typical = VowelSynthesizer.Voice.typical(TalkerGroup.GIRLS);
        VowelSynthesizer.Voice v = new VowelSynthesizer.Voice(f0, typical.f4Hz(), typical.bandwidthScale(),
                typical.openQuotient(), typical.jitter(), typical.aspiration(), typical.noiseFloor());
        VowelSynthesizer.Rendering r = VowelSynthesizer.render(SyntheticVowels.meanHz(TalkerGroup.GIRLS, Vowel.AH), v,
                0.3, 16000, false, 5, 0.5);
        return FormantFeatures.extract(r.audio());
    }

    @Test
    void aVoiceAboveTheTrainedRangeIsAnsweredWithLowConfidence() throws Exception {
        FormantFeatures.Result high = heard(490);
        assertTrue(high.f0Hz() > FormantFeatures.TRAINED_F0_MAX, "F0 measured " + high.f0Hz());
        assertTrue(high.warnings().stream().anyMatch(w -> w.contains("outside the voices")), high.warnings().toString());
        assertTrue(high.lowConfidence(), "confidence " + high.confidence());

        FormantFeatures.Result child = heard(260);
        assertEquals(260, child.f0Hz(), 15);
        assertFalse(child.warnings().stream().anyMatch(w -> w.contains("outside the voices")), child.warnings().toString());
    }
}
