package org.pnnedge.runtime.recal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.runtime.service.OutputCorrection;

/** The correction fit and its validation on synthetic probes with a known drift. */
class CorrectionFitTest {
    static final double MAX = 65535;
    static final double DARK = 1020;

    /**
     * Probes of one layer whose references are {@code e}; today's device gives d + (e − d − shift)/gain (plus
     * noise), so the exact correction is gain·(m − d) + d + shift.
     */
    static List<ProbeMeasurement> probes(int layer, int count, double gain, double shift, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ProbeMeasurement> ms = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            double[] e = new double[16];
            double[] sd = new double[16];
            double[] m = new double[16];
            double[] msd = new double[16];
            for (int k = 0; k < 16; k++) {
                e[k] = 5000 + 25000 * r.nextDouble();
                sd[k] = 0.015 * e[k];
                m[k] = DARK + (e[k] - DARK - shift) / gain + noise * sd[k] / Math.sqrt(8) * r.nextGaussian();
                msd[k] = 0.015 * m[k];
            }
            int[] in = new int[16];
            ms.add(new ProbeMeasurement(new Probe(layer, in, null, e, sd, 8), m, msd, 8));
        }
        return ms;
    }

    static double[] dark() {
        double[] d = new double[16];
        java.util.Arrays.fill(d, DARK);
        return d;
    }

    @Test
    void gainAboutTheDarkLevelIsRecoveredWithFewProbes() {
        List<ProbeMeasurement> ms = probes(0, 4, 1.15, 0, 0, 1);
        RecalConfig cfg = RecalConfig.defaults();
        OutputCorrection id = OutputCorrection.identity(1, 16);
        CorrectionFit.Result f = CorrectionFit.fit(ms, 1, 16, MAX, dark(), id, cfg);
        assertEquals(0, f.offsetLayers());
        for (int k = 0; k < 16; k++) {
            assertEquals(1.15, f.correction().gain(0, k), 1e-3);
            assertEquals(DARK * (1 - f.correction().gain(0, k)) / MAX, f.correction().offset(0, k), 1e-9);
        }
        CorrectionFit.Score raw = CorrectionFit.score(ms, CorrectionFit.apply(ms, id, MAX), 1, cfg);
        CorrectionFit.Score cv = CorrectionFit.score(ms, f.crossValidated(), 1, cfg);
        CorrectionFit.Score applied = CorrectionFit.score(ms, CorrectionFit.apply(ms, f.correction(), MAX), 1, cfg);
        assertFalse(raw.pass());
        assertTrue(raw.errors().rmsRelative() > 0.1);
        assertTrue(cv.pass() && cv.errors().rmsRelative() < 1e-3, "cv " + cv);
        // apply() (what the engine does) agrees with the fit's own in-sample figures
        assertEquals(CorrectionFit.score(ms, f.inSample(), 1, cfg).errors().rmsRelative(),
                applied.errors().rmsRelative(), 1e-9);
    }

    @Test
    void offsetIsFittedWhenThereAreEnoughProbes() {
        List<ProbeMeasurement> ms = probes(0, 8, 0.9, 800, 0, 2);
        RecalConfig cfg = RecalConfig.defaults();
        CorrectionFit.Result f = CorrectionFit.fit(ms, 1, 16, MAX, dark(), OutputCorrection.identity(1, 16), cfg);
        assertEquals(1, f.offsetLayers());
        for (int k = 0; k < 16; k++) {
            assertEquals(0.9, f.correction().gain(0, k), 0.01);
        }
        assertTrue(CorrectionFit.score(ms, f.crossValidated(), 1, cfg).errors().rmsRelative() < 0.005);
        // the gain-only model cannot follow a shift: with only 4 of those probes validation sees it
        List<ProbeMeasurement> few = probes(0, 4, 0.9, 3000, 0, 3);
        CorrectionFit.Result g = CorrectionFit.fit(few, 1, 16, MAX, dark(), OutputCorrection.identity(1, 16), cfg);
        assertEquals(0, g.offsetLayers());
        assertFalse(CorrectionFit.score(few, g.crossValidated(), 1, cfg).pass());
    }

    @Test
    void noiseWithinToleranceAndLayersAreIndependent() {
        List<ProbeMeasurement> ms = new ArrayList<>(probes(0, 4, 1.05, 0, 1, 4));
        ms.addAll(probes(1, 4, 0.95, 0, 1, 5));
        RecalConfig cfg = RecalConfig.defaults();
        OutputCorrection id = OutputCorrection.identity(3, 16);
        CorrectionFit.Result f = CorrectionFit.fit(ms, 3, 16, MAX, dark(), id, cfg);
        CorrectionFit.Score cv = CorrectionFit.score(ms, f.crossValidated(), 3, cfg);
        assertTrue(cv.pass(), "noise of the probe means is within tolerance: " + cv);
        double g0 = 0;
        double g1 = 0;
        for (int k = 0; k < 16; k++) {
            g0 += f.correction().gain(0, k) / 16;
            g1 += f.correction().gain(1, k) / 16;
            assertEquals(1.0, f.correction().gain(2, k), "a layer without probes keeps the current correction");
        }
        assertEquals(1.05, g0, 0.01);
        assertEquals(0.95, g1, 0.01);
    }

    @Test
    void reportJsonHasNullForMissingFigures() {
        RecalReport.ProbeErrors e = new RecalReport.ProbeErrors(0.01, 0.02, 1, 64);
        RecalReport r = new RecalReport(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"),
                1, 0.1, 0.05, 3, "m", "1.0.0", "AB", 4, 8, 0, Double.NaN, Double.NaN,
                new RecalReport.Drift(e, new double[][] {{0.1, Double.NaN}}, Double.NaN, Double.NaN), e, e, e, 0.9,
                1.1, Double.NaN, Double.NaN, false, 0, true, true, false, "ok", null);
        JsonNode j = r.toJson();
        assertEquals("recalibration", j.get("type").asText());
        assertTrue(j.get("twinNrmseBefore").isNull());
        assertTrue(j.get("freshMeasurements").isNull());
        assertTrue(j.get("drift").get("channelChange").get(0).get(1).isNull());
        assertEquals(0.01, j.get("probeErrorAfter").get("rmsRelative").asDouble());
        assertEquals("2026-01-01T00:00:01Z", j.get("finished").asText());
    }
}
