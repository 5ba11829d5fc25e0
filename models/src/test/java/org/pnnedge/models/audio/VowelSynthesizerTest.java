package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

class VowelSynthesizerTest {

    @Test
    void sameSeedSameAudioAndTheRequestedLevel() {
        double[] f = SyntheticVowels.meanHz(TalkerGroup.WOMEN, Vowel.AE);
        VowelSynthesizer.Voice v = VowelSynthesizer.Voice.typical(TalkerGroup.WOMEN);
        VowelSynthesizer.Rendering a = VowelSynthesizer.render(f, v, 0.25, 16000, true, 7, 0.3);
        VowelSynthesizer.Rendering b = VowelSynthesizer.render(f, v, 0.25, 16000, true, 7, 0.3);
        assertArrayEquals(a.audio().samples(), b.audio().samples());
        double peak = 0;
        for (double s : a.audio().samples()) {
            peak = Math.max(peak, Math.abs(s));
        }
        assertEquals(0.3, peak, 0.01);
        assertEquals(16000, a.audio().sampleRate());
    }

    /** Pins the rendered audio and truth bit for bit (refactoring the synthesizer must not change a sample). */
    @Test
    void renderingsAreBitForBitThoseOfTheReferenceSynthesizer() {
        long h = 17;
        Random rnd = new Random(21);
        for (TalkerGroup g : TalkerGroup.values()) {
            for (boolean hvd : new boolean[] {false, true}) {
                VowelSynthesizer.Voice voice = hvd ? VowelSynthesizer.Voice.random(g, 1.05, rnd)
                        : VowelSynthesizer.Voice.typical(g);
                for (int rate : new int[] {11025, 16000}) {
                    VowelSynthesizer.Rendering r = VowelSynthesizer.render(SyntheticVowels.meanHz(g, Vowel.AE),
                            voice, 0.21, rate, hvd, 5 + rate, 0.4);
                    for (double x : r.audio().samples()) {
                        h = 31 * h + Double.doubleToLongBits(x);
                    }
                    for (double x : r.truthHz()) {
                        h = 31 * h + Double.doubleToLongBits(x);
                    }
                    h = 31 * h + Double.doubleToLongBits(r.f0MeanHz());
                    h = 31 * h + Double.doubleToLongBits(r.vowelStartSec() + r.vowelEndSec());
                }
            }
        }
        assertEquals(-389860112189729L, h, "synthesizer output changed");
    }

    @Test
    void hvdWordPutsHAndDAroundTheVowelAtLowerLevels() {
        double[] f = SyntheticVowels.meanHz(TalkerGroup.MEN, Vowel.IY);
        VowelSynthesizer.Rendering r = VowelSynthesizer.render(f, VowelSynthesizer.Voice.typical(TalkerGroup.MEN),
                0.24, 16000, true, 3, 0.5);
        double[] x = r.audio().samples();
        int fs = 16000;
        // 100 ms pad, 80 ms /h/, vowel, 60 ms /d/, 100 ms pad
        assertEquals(0.18, r.vowelStartSec(), 1e-3);
        assertEquals(0.18 + 0.24, r.vowelEndSec(), 1e-3);
        assertEquals((int) (0.1 * fs) * 2 + (int) (0.08 * fs) + (int) (0.06 * fs) + (int) Math.round(0.24 * fs),
                x.length);
        double h = rms(x, 0.12, 0.18);
        double vowel = rms(x, 0.25, 0.35);
        double bar = rms(x, 0.43, 0.46);
        double silence = rms(x, 0.0, 0.09);
        assertTrue(h > 10 * silence && h < vowel / 3, "h " + h + " vowel " + vowel + " silence " + silence);
        assertTrue(bar > 3 * silence && bar < vowel / 5, "voice bar " + bar + " vowel " + vowel);
    }

    @Test
    void theFrontEndMeasuresTheVowelOfAWordNotItsConsonants() throws AudioException {
        for (Vowel v : Vowel.PAT_7) {
            double[] f = SyntheticVowels.meanHz(TalkerGroup.WOMEN, v);
            VowelSynthesizer.Rendering r = VowelSynthesizer.render(f,
                    VowelSynthesizer.Voice.typical(TalkerGroup.WOMEN), 0.26, 16000, true, 11, 0.5);
            FormantFeatures.Result res = FormantFeatures.extract(r.audio());
            assertTrue(res.nucleusStartSec() >= r.vowelStartSec() - 0.02
                    && res.nucleusEndSec() <= r.vowelEndSec() + 0.03,
                    v + ": nucleus " + res.nucleusStartSec() + ".." + res.nucleusEndSec() + " vowel "
                            + r.vowelStartSec() + ".." + r.vowelEndSec());
            assertEquals(r.truthHz()[1], res.featuresHz()[1], 0.1 * r.truthHz()[1], v + " F2");
        }
    }

    @Test
    void randomVoicesAreValidAndDiffer() {
        Random rnd = new Random(5);
        for (TalkerGroup g : TalkerGroup.values()) {
            VowelSynthesizer.Voice a = VowelSynthesizer.Voice.random(g, 1.0, rnd);
            VowelSynthesizer.Voice b = VowelSynthesizer.Voice.random(g, 1.1, rnd);
            assertTrue(a.f0Hz() != b.f0Hz() && b.f4Hz() > a.f4Hz(), a + " " + b);
        }
        assertTrue(VowelSynthesizer.Voice.random(TalkerGroup.MEN, 1, new Random(1)).f0Hz()
                < VowelSynthesizer.Voice.random(TalkerGroup.GIRLS, 1, new Random(1)).f0Hz());
    }

    @Test
    void badParametersAreRefusedByName() {
        double[] f = SyntheticVowels.meanHz(TalkerGroup.MEN, Vowel.AH);
        VowelSynthesizer.Voice v = VowelSynthesizer.Voice.typical(TalkerGroup.MEN);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new VowelSynthesizer.Voice(20, 3400, 1, 0.4, 0.01, 0, 0)).getMessage().contains("f0Hz"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> VowelSynthesizer.render(f, v, 0.2, 4000, false, 1, 0.5)).getMessage().contains("rate"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> VowelSynthesizer.render(new double[3], v, 0.2, 16000, false, 1, 0.5)).getMessage()
                .contains("12 features"));
        double[] high = f.clone();
        high[5] = 7000; // F3 at 20 %: above what 8 kHz can carry
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> VowelSynthesizer.render(high, v, 0.2, 8000, false, 1, 0.5)).getMessage().contains("F3"));
    }

    @Test
    void writesAWavTheReaderReadsBack(@TempDir Path dir) throws Exception {
        VowelSynthesizer.Rendering r = VowelSynthesizer.vowel(TalkerGroup.GIRLS, Vowel.UW, 2);
        Path wav = dir.resolve("uw.wav");
        WavWriter.write(wav, r.audio());
        Audio back = WavReader.read(wav);
        assertEquals(16000, back.sampleRate());
        assertEquals(r.audio().samples().length, back.samples().length);
        assertEquals(44 + 2 * back.samples().length, Files.size(wav));
        for (int i = 0; i < back.samples().length; i += 97) {
            assertEquals(r.audio().samples()[i], back.samples()[i], 1.0 / 32767);
        }
    }

    private static double rms(double[] x, double fromSec, double toSec) {
        int a = (int) (fromSec * 16000);
        int b = (int) (toSec * 16000);
        double s = 0;
        for (int i = a; i < b; i++) {
            s += x[i] * x[i];
        }
        return Math.sqrt(s / (b - a));
    }
}
