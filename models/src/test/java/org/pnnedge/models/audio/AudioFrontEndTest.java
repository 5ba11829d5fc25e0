package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

class AudioFrontEndTest {

    static double[] sine(double f, int fs, int n, double amp) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = amp * Math.sin(2 * Math.PI * f * i / fs);
        }
        return x;
    }

    // ---- WAV reading -------------------------------------------------------------------------------------

    @Test
    void readsEveryFormat() throws AudioException {
        double[] x = sine(440, 8000, 400, 0.5);
        int[][] pcm = {{8, 0}, {16, 0}, {24, 0}, {32, 0}, {32, 1}, {64, 1}};
        for (int[] f : pcm) {
            for (boolean ext : new boolean[] {false, true}) {
                byte[] wav = TestWavWriter.write(new double[][] {x}, 8000, f[0], f[1] == 1, ext);
                Audio a = WavReader.read(wav, "t.wav");
                assertEquals(8000, a.sampleRate());
                assertEquals(x.length, a.samples().length);
                double tol = f[0] == 8 ? 1.0 / 64 : 1e-4;
                for (int i = 0; i < x.length; i++) {
                    assertEquals(x[i], a.samples()[i], tol, f[0] + " bit float=" + f[1] + " ext=" + ext + " i=" + i);
                }
                assertTrue(a.warnings().isEmpty(), a.warnings().toString());
            }
        }
    }

    @Test
    void stereoIsDownmixed() throws AudioException {
        double[] l = sine(300, 22050, 200, 0.4);
        double[] r = new double[200];
        byte[] wav = TestWavWriter.write(new double[][] {l, r}, 22050, 16, false, false);
        Audio a = WavReader.read(wav, "st.wav");
        assertEquals(22050, a.sampleRate());
        for (int i = 0; i < 200; i++) {
            assertEquals(l[i] / 2, a.samples()[i], 1e-4);
        }
    }

    @Test
    void readsFileAndTruncatedData(@TempDir Path dir) throws Exception {
        byte[] wav = TestWavWriter.mono16(sine(200, 16000, 1000, 0.3), 16000);
        Path p = dir.resolve("x.wav");
        Files.write(p, wav);
        assertEquals(1000, WavReader.read(p).samples().length);
        Audio cut = WavReader.read(Arrays.copyOf(wav, wav.length - 101), "cut.wav");
        assertEquals(949, cut.samples().length);
        assertTrue(cut.warnings().get(0).contains("truncated"), cut.warnings().toString());
        AudioException e = assertThrows(AudioException.class, () -> WavReader.read(dir.resolve("missing.wav")));
        assertEquals(AudioException.Reason.IO, e.reason());
        assertTrue(e.getMessage().contains("missing.wav"));
    }

    @Test
    void unsupportedEncodingIsNamed() {
        byte[] wav = TestWavWriter.mono16(new double[10], 8000);
        int fmt = 12 + 12; // after the LIST chunk
        wav[fmt + 8] = 6; // A-law
        AudioException e = assertThrows(AudioException.class, () -> WavReader.read(wav, "alaw.wav"));
        assertEquals(AudioException.Reason.UNSUPPORTED_FORMAT, e.reason());
        assertTrue(e.getMessage().startsWith("alaw.wav: unsupported WAV encoding"), e.getMessage());
    }

    // ---- resampling and LPC ------------------------------------------------------------------------------

    @Test
    void resamplingPreservesSineFrequency() {
        for (int[] rates : new int[][] {{44100, 10000}, {8000, 10000}, {48000, 16000}, {22050, 10000}}) {
            double f = 1234.5;
            double[] x = sine(f, rates[0], rates[0], 0.8);
            double[] y = Resampler.resample(x, rates[0], rates[1]);
            assertEquals(rates[1], y.length, 1);
            double[] ideal = sine(f, rates[1], y.length, 0.8);
            double maxErr = 0;
            for (int i = y.length / 10; i < 9 * y.length / 10; i++) {
                maxErr = Math.max(maxErr, Math.abs(y[i] - ideal[i]));
            }
            assertTrue(maxErr < 0.01, rates[0] + "->" + rates[1] + " error " + maxErr);
        }
        // a tone above the new Nyquist is removed, not aliased
        double[] y = Resampler.resample(sine(7000, 44100, 44100, 0.8), 44100, 10000);
        double rms = Math.sqrt(Arrays.stream(y, 1000, 9000).map(v -> v * v).average().orElse(0));
        assertTrue(rms < 0.005, "alias rms " + rms);
    }

    @Test
    void lpcRecoversPolesOfAllPoleSignal() {
        double fs = 10000;
        double[][] poles = {{500, 60}, {1500, 80}, {2500, 120}};
        double[] a = DapAndNucleusTest.allPole(poles, fs);
        Random rnd = new Random(1);
        int n = 4000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double v = rnd.nextGaussian();
            for (int k = 1; k < a.length; k++) {
                v -= i - k >= 0 ? a[k] * x[i - k] : 0;
            }
            x[i] = v;
        }
        double[] w = LpcFormants.hamming(n);
        for (int i = 0; i < n; i++) {
            x[i] *= w[i];
        }
        double[] est = LpcFormants.lpc(x, 6);
        List<LpcFormants.Candidate> c = LpcFormants.candidates(est, fs, 1000);
        assertEquals(3, c.size(), c.toString());
        for (int k = 0; k < 3; k++) {
            assertEquals(poles[k][0], c.get(k).freqHz(), 0.02 * poles[k][0], c.toString());
            assertEquals(poles[k][1], c.get(k).bandwidthHz(), 40, c.toString());
        }
    }

    @Test
    void f0OfSynthesizedVowels() throws AudioException {
        for (TalkerGroup g : TalkerGroup.values()) {
            VowelSynthesizer.Rendering r = VowelSynthesizer.vowel(g, Vowel.AH, 3);
            double f0 = FormantFeatures.extract(r.audio()).f0Hz();
            assertEquals(r.f0MeanHz(), f0, 0.03 * r.f0MeanHz(), g.name());
        }
    }

    @Test
    void analysesWavAtOtherRates() throws AudioException {
        VowelSynthesizer.Rendering r = VowelSynthesizer.vowel(TalkerGroup.MEN, Vowel.IY, 5);
        double[] up = Resampler.resample(r.audio().samples(), 16000, 44100);
        byte[] wav = TestWavWriter.write(new double[][] {up, up}, 44100, 24, false, true);
        FormantFeatures.Result res = FormantFeatures.extract(WavReader.read(wav, "iy.wav"));
        for (int k = 0; k < 3; k++) {
            assertEquals(r.truthHz()[k], res.featuresHz()[k], 0.08 * r.truthHz()[k], "F" + (k + 1));
        }
    }

    /**
     * 8 kHz recordings (telephone, cheap USB microphones, Pi audio HATs) are analysed at 8 kHz; upsampled to 10 kHz
     * the empty 4–5 kHz band drew LPC poles. The vowels are rendered at 16 kHz and band-limited to 8 kHz by the
     * resampler, as an ADC's anti-aliasing filter does (VowelSynthesizer rendering directly at 8 kHz aliases
     * F4/F5 onto the band edge at ~40 dB above F1, which no real recording has).
     */
    @Test
    void analysesEightKilohertzVowels() throws AudioException {
        Object[][] cases = {{TalkerGroup.WOMEN, Vowel.AH}, {TalkerGroup.WOMEN, Vowel.UW}, {TalkerGroup.MEN, Vowel.IY},
            {TalkerGroup.BOYS, Vowel.AE}};
        for (Object[] c : cases) {
            TalkerGroup g = (TalkerGroup) c[0];
            Vowel v = (Vowel) c[1];
            VowelSynthesizer.Rendering r = VowelSynthesizer.render(org.pnnedge.models.data.SyntheticVowels.meanHz(g, v),
                    VowelSynthesizer.Voice.typical(g), 0.3, 16000, false, 1, 0.5);
            byte[] wav = TestWavWriter.mono16(Resampler.resample(r.audio().samples(), 16000, 8000), 8000);
            FormantFeatures.Result res = FormantFeatures.extract(WavReader.read(wav, "8k.wav"));
            for (int k = 0; k < 2; k++) {
                assertEquals(r.truthHz()[k], res.featuresHz()[k], 0.08 * r.truthHz()[k], g + " " + v + " F" + (k + 1));
            }
            assertEquals(r.f0MeanHz(), res.f0Hz(), 0.03 * r.f0MeanHz(), g + " " + v + " F0");
        }
    }

    // ---- bad input ---------------------------------------------------------------------------------------

    @Test
    void sampleRatesBelow8kHzAreRefusedQuickly() {
        double[] vowel = VowelSynthesizer.vowel(TalkerGroup.WOMEN, Vowel.AH, 2).audio().samples(); // 16 kHz
        // 4 kHz: a real but too narrow band; 1 Hz: a damaged header (resampling 0.5 s "at 1 Hz" to 10 kHz would
        // build ~10^8 samples and take minutes); 7999 Hz: just below the limit
        for (int rate : new int[] {4000, 1, 7999}) {
            byte[] wav = TestWavWriter.mono16(vowel, rate);
            AudioException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(5), () -> assertThrows(AudioException.class,
                            () -> FormantFeatures.extract(WavReader.read(wav, "low.wav"))));
            assertEquals(AudioException.Reason.UNSUPPORTED_RATE, e.reason(), e.getMessage());
            assertEquals("low.wav: sample rate " + rate + " Hz is too low for formant analysis (need at least 8000 Hz;"
                    + " is the WAV header damaged?)", e.getMessage());
        }
        AudioException e = assertThrows(AudioException.class,
                () -> FormantFeatures.extract(new Audio(new double[40_000], 1, "mic", List.of())));
        assertEquals(AudioException.Reason.UNSUPPORTED_RATE, e.reason());
        assertTrue(e.getMessage().startsWith("mic: sample rate 1 Hz is too low"), e.getMessage());
    }

    static AudioException.Reason reasonOf(byte[] bytes) {
        AudioException e = assertThrows(AudioException.class,
                () -> FormantFeatures.extract(WavReader.read(bytes, "in.wav")));
        assertTrue(e.getMessage().startsWith("in.wav: "), e.getMessage());
        return e.reason();
    }

    @Test
    void notAWav() {
        assertEquals(AudioException.Reason.NOT_WAV, reasonOf("hello, this is a text file".getBytes()));
        assertEquals(AudioException.Reason.NOT_WAV, reasonOf(new byte[] {1, 2, 3}));
    }

    @Test
    void truncatedHeader() {
        byte[] wav = TestWavWriter.mono16(new double[100], 16000);
        for (int len : new int[] {4, 11, 20, 30, 40}) {
            assertEquals(AudioException.Reason.MALFORMED, reasonOf(Arrays.copyOf(wav, len)), "length " + len);
        }
    }

    @Test
    void empty() {
        assertEquals(AudioException.Reason.EMPTY, reasonOf(new byte[0]));
        assertEquals(AudioException.Reason.EMPTY, reasonOf(TestWavWriter.mono16(new double[0], 16000)));
    }

    @Test
    void shorterThanAVowel() {
        VowelSynthesizer.Rendering r = VowelSynthesizer.render(
                org.pnnedge.models.data.SyntheticVowels.meanHz(TalkerGroup.MEN, Vowel.AH),
                VowelSynthesizer.Voice.typical(TalkerGroup.MEN).withF0(120), 0.04, 16000, false, 1, 0.5);
        assertEquals(AudioException.Reason.TOO_SHORT, reasonOf(TestWavWriter.mono16(r.audio().samples(), 16000)));
        assertEquals(AudioException.Reason.TOO_SHORT, reasonOf(TestWavWriter.mono16(sine(150, 16000, 300, 0.5), 16000)));
    }

    @Test
    void silence() {
        assertEquals(AudioException.Reason.SILENCE, reasonOf(TestWavWriter.mono16(new double[16000], 16000)));
    }

    @Test
    void noiseOnly() {
        Random rnd = new Random(2);
        double[] x = new double[16000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.2 * rnd.nextGaussian();
        }
        assertEquals(AudioException.Reason.NO_VOICED_SEGMENT, reasonOf(TestWavWriter.mono16(x, 16000)));
    }

    @Test
    void clippingGivesWarningAndLowerConfidence() throws AudioException {
        VowelSynthesizer.Rendering r = VowelSynthesizer.vowel(TalkerGroup.WOMEN, Vowel.EH, 4);
        double[] x = r.audio().samples().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(-1, Math.min(1, x[i] * 6));
        }
        FormantFeatures.Result clean = FormantFeatures.extract(r.audio());
        FormantFeatures.Result res = FormantFeatures.extract(WavReader.read(TestWavWriter.mono16(x, 16000), "c.wav"));
        assertTrue(res.warnings().stream().anyMatch(w -> w.startsWith("clipping")), res.warnings().toString());
        assertTrue(res.confidence() < clean.confidence());
    }

    @Test
    void dcOffsetIsRemovedWithWarning() throws AudioException {
        VowelSynthesizer.Rendering r = VowelSynthesizer.vowel(TalkerGroup.MEN, Vowel.AE, 6);
        double[] x = r.audio().samples().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * 0.5 + 0.3;
        }
        FormantFeatures.Result clean = FormantFeatures.extract(r.audio());
        FormantFeatures.Result res = FormantFeatures.extract(new Audio(x, 16000));
        assertTrue(res.warnings().stream().anyMatch(w -> w.startsWith("DC offset")), res.warnings().toString());
        double[] a = clean.featuresHz(), b = res.featuresHz();
        for (int j = 0; j < 12; j++) {
            assertEquals(a[j], b[j], 0.03 * a[j]);
        }
    }

    @Test
    void recordAccessorsCopy() throws AudioException {
        FormantFeatures.Result res = FormantFeatures.extract(VowelSynthesizer.vowel(TalkerGroup.MEN, Vowel.UW, 1).audio());
        double[] f = res.featuresHz();
        f[0] = -1;
        assertArrayEquals(res.featuresHz(), res.featuresHz());
        assertTrue(res.featuresHz()[0] > 0);
    }
}
