package org.pnnedge.models.audio;

import java.util.Random;

import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/**
 * How a talker of the wider training voices differs from the formant table's (audio.md, "Wider training voices").
 * Drawn once per talker, on top of {@link VowelSynthesizer.Voice#random}:
 *
 * @param tractFactor    multiplies every formant: a vocal tract shorter or longer than the table's talker
 *                       (formants scale with 1 / length), log-normal SD 8 %, 0.8–1.25
 * @param f0Factor       multiplies F0: log-normal SD 15 % (with the voice's own 12 %, ≈ 19 % in all), F0 kept in
 *                       70–450 Hz
 * @param breathiness    0..1: open quotient raised toward 0.65 and aspiration up to 0.1 (breathy voice; its
 *                       spectral tilt comes with the recording's, {@link RecordingConditions}). Not more: from
 *                       aspiration ≈ 0.12 (men) or 0.16 (women, girls) on, the front end's voicing detection
 *                       rejects most tokens as too short (audio.md)
 * @param durationFactor speaking rate: vowel durations × 0.7–1.4
 * @param dialect        {@link Dialect#GENERAL} for 55 % of talkers, each of the three variants for 15 %
 */
public record WideVoice(double tractFactor, double f0Factor, double breathiness, double durationFactor,
                        Dialect dialect) {
    public WideVoice {
        if (!(tractFactor >= 0.8 && tractFactor <= 1.25) || !(f0Factor > 0) || !(breathiness >= 0 && breathiness <= 1)
                || !(durationFactor >= 0.7 && durationFactor <= 1.4) || dialect == null) {
            throw new IllegalArgumentException("wide voice out of range: " + tractFactor + ", " + f0Factor + ", "
                    + breathiness + ", " + durationFactor + ", " + dialect);
        }
    }

    /** A random talker's variation (the group is not used yet: the same spreads for every group). */
    public static WideVoice random(TalkerGroup g, Random rnd) {
        double tract = Math.max(0.8, Math.min(1.25, Math.exp(0.08 * rnd.nextGaussian())));
        double f0 = Math.exp(0.15 * rnd.nextGaussian());
        double breath = rnd.nextDouble();
        double rate = 0.7 + 0.7 * rnd.nextDouble();
        double d = rnd.nextDouble();
        Dialect dialect = d < 0.55 ? Dialect.GENERAL : d < 0.7 ? Dialect.COT_CAUGHT_MERGER
                : d < 0.85 ? Dialect.AE_RAISING : Dialect.AE_BACKING;
        return new WideVoice(tract, f0, breath, rate, dialect);
    }

    /** The formants this talker says for a table token of vowel {@code v}: dialect, then tract length. */
    public double[] formants(TalkerGroup g, Vowel v, double[] tableHz) {
        double[] f = dialect.apply(g, v, tableHz);
        for (int j = 0; j < f.length; j++) {
            f[j] *= tractFactor;
        }
        return f;
    }

    /** The voice with this talker's F0 and breathiness. */
    public VowelSynthesizer.Voice voice(VowelSynthesizer.Voice v) {
        double f0 = Math.max(70, Math.min(450, v.f0Hz() * f0Factor));
        double oq = v.openQuotient() + Math.max(0, 0.65 - v.openQuotient()) * breathiness;
        double asp = Math.max(v.aspiration(), 0.1 * breathiness);
        return new VowelSynthesizer.Voice(f0, v.f4Hz(), v.bandwidthScale(), oq, v.jitter(), asp, v.noiseFloor());
    }
}
