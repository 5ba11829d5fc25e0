package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.data.SyntheticVowels;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;

/** Discrete all-pole modelling at high F0 and the /hVd/ nucleus limits (see AUDIO-FORMANTS.md). */
class DapAndNucleusTest {

    static final double FS = 10_000;

    /** A(z) = Π (1 − 2r cos θ z⁻¹ + r² z⁻²) for resonances {F, B} (Hz) at rate fs: the test signals' all-pole filter. */
    static double[] allPole(double[][] formants, double fs) {
        double[] a = {1};
        for (double[] p : formants) {
            double r = Math.exp(-Math.PI * p[1] / fs), th = 2 * Math.PI * p[0] / fs;
            double[] q = {1, -2 * r * Math.cos(th), r * r};
            double[] c = new double[a.length + 2];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < 3; j++) {
                    c[i + j] += a[i] * q[j];
                }
            }
            a = c;
        }
        return a;
    }

    /** A pulse train at f0 through all-pole resonances {F, B}; returns a Hamming-windowed 40 ms frame. */
    static double[] voicedFrame(double f0, double[][] formants) {
        double[] a = allPole(formants, FS);
        int n = 4000;
        double[] x = new double[n];
        double period = FS / f0, next = 0;
        for (int i = 0; i < n; i++) {
            double v = 0;
            if (i >= next) {
                v = 1;
                next += period;
            }
            for (int k = 1; k < a.length; k++) {
                v -= i - k >= 0 ? a[k] * x[i - k] : 0;
            }
            x[i] = v;
        }
        int len = 400, start = 3000;
        double[] w = LpcFormants.hamming(len);
        double[] frame = new double[len];
        for (int i = 0; i < len; i++) {
            frame[i] = x[start + i] * w[i];
        }
        return frame;
    }

    static double f1(double[] a) {
        return LpcFormants.candidates(a, FS, 1000).get(0).freqHz();
    }

    @Test
    void dapRecoversF1BetweenHarmonicsWhereLpcIsPulled() {
        // F0 260 Hz: F1 = 650 Hz lies midway between harmonics 2 and 3
        double[][] formants = {{650, 80}, {1700, 90}, {2800, 150}, {3900, 200}};
        double[] frame = voicedFrame(260, formants);
        double dapErr = Math.abs(f1(LpcFormants.dap(frame, FS, 260, 9)) / 650 - 1);
        double lpcErr = Math.abs(f1(LpcFormants.lpc(frame, 9)) / 650 - 1);
        assertTrue(dapErr < 0.02, "DAP F1 error " + dapErr);
        assertTrue(dapErr < lpcErr, "DAP " + dapErr + " should beat LPC " + lpcErr);
    }

    @Test
    void dapModelIsStable() {
        double[] a = LpcFormants.dap(voicedFrame(300, new double[][] {{450, 60}, {2200, 90}, {3000, 150}}), FS, 300,
                11);
        assertTrue(LpcFormants.minimumPhase(a));
        assertFalse(LpcFormants.minimumPhase(new double[] {1, -2.5, 1.2}), "roots 1.6 and 0.75");
        assertTrue(LpcFormants.minimumPhase(new double[] {1, -0.9}));
    }

    @Test
    void dapOfSilenceIsNull() {
        assertEquals(null, LpcFormants.dap(new double[400], FS, 200, 11));
    }

    @Test
    void fftMatchesDft() {
        Random rnd = new Random(3);
        double[] re = new double[64], im = new double[64];
        for (int i = 0; i < 64; i++) {
            re[i] = rnd.nextGaussian();
        }
        double[] x = re.clone();
        LpcFormants.fft(re, im);
        for (int k = 0; k < 64; k++) {
            double sr = 0, si = 0;
            for (int n = 0; n < 64; n++) {
                sr += x[n] * Math.cos(2 * Math.PI * k * n / 64);
                si -= x[n] * Math.sin(2 * Math.PI * k * n / 64);
            }
            assertEquals(sr, re[k], 1e-9);
            assertEquals(si, im[k], 1e-9);
        }
    }

    /** /hVd/ words from random voices: the nucleus leaves out the /h/ and the /d/ voice bar. */
    @Test
    void hvdNucleusExcludesAspirationAndVoiceBar() throws AudioException {
        Random rnd = new Random(11);
        for (TalkerGroup g : TalkerGroup.values()) {
            for (Vowel v : List.of(Vowel.IY, Vowel.UW, Vowel.AE, Vowel.ER)) {
                VowelSynthesizer.Rendering r = VowelSynthesizer.render(SyntheticVowels.meanHz(g, v),
                        VowelSynthesizer.Voice.random(g, 1, rnd), 0.25, 16000, true, rnd.nextLong(), 0.5);
                FormantFeatures.Result res = FormantFeatures.extract(r.audio());
                double half = LpcFormants.FRAME_SECONDS / 2;
                // first and last frame centres within 10 ms of the vowel's edges
                String what = g + " " + v + ": nucleus " + res.nucleusStartSec() + "-" + res.nucleusEndSec()
                        + " vowel " + r.vowelStartSec() + "-" + r.vowelEndSec();
                assertTrue(res.nucleusStartSec() + half >= r.vowelStartSec() - 0.010, what);
                assertTrue(res.nucleusEndSec() - half <= r.vowelEndSec() + 0.010, what);
                assertTrue(res.nucleusEndSec() - res.nucleusStartSec() > 0.6 * (r.vowelEndSec() - r.vowelStartSec()),
                        what);
            }
        }
    }

    /** A loud voiced murmur after the vowel (as in TTS "heed") is cut even when it is the loudest part. */
    @Test
    void loudMurmurAfterVowelIsNotNucleus() throws AudioException {
        VowelSynthesizer.Rendering r = VowelSynthesizer.vowel(TalkerGroup.WOMEN, Vowel.IY, 2);
        double[] x = r.audio().samples();
        int fs = r.audio().sampleRate();
        int end = (int) (r.vowelEndSec() * fs);
        double[] y = new double[x.length + (int) (0.08 * fs)];
        System.arraycopy(x, 0, y, 0, end);
        // 80 ms of 220 Hz "voice bar": a low sinusoid with a 2nd harmonic, 3 dB louder than the vowel's peak
        for (int n = 0; n < (int) (0.08 * fs); n++) {
            double t = n / (double) fs;
            y[end + n] = 0.6 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * 440 * t);
        }
        FormantFeatures.Result res = FormantFeatures.extract(new Audio(y, fs));
        assertTrue(res.nucleusEndSec() - LpcFormants.FRAME_SECONDS / 2 <= r.vowelEndSec() + 0.010,
                "nucleus ends " + res.nucleusEndSec() + ", vowel " + r.vowelEndSec());
        assertEquals(r.truthHz()[9], res.featuresHz()[9], 0.1 * r.truthHz()[9], "F1 at 80 % is the vowel's");
    }
}
