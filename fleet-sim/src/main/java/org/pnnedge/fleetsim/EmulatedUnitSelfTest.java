package org.pnnedge.fleetsim;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.Probe;
import org.pnnedge.runtime.ota.OtaStatus;
import org.pnnedge.runtime.ota.ProbeSelfTest;
import org.pnnedge.runtime.ota.SelfTest;

/**
 * A self-test on a cheap emulated unit: the candidate's reference probes are "shot" on a unit whose response is
 * the recorded output times the unit's own gain (within ±3 %, like pump-power drift) plus shot noise of the
 * recorded spread; a <b>bad unit</b> has every fourth output channel dead (reads 0). The readings are judged with
 * the runtime's acceptance rule ({@link ProbeSelfTest.Criteria#defaults()}: one common gain fitted and allowed
 * within {@link ProbeSelfTest#MAX_COMMON_GAIN_DEVIATION}, a channel within max(4σ, 5 %, 0.5 % of full scale), 90 %
 * of channels per probe, every probe), so a good unit passes and a bad one fails with
 * {@link OtaStatus#REASON_SELF_TEST_PROBES} — the outcome a broken channel has on a real device, at the cost of a
 * few multiplications instead of an emulated optical layer per agent.
 */
final class EmulatedUnitSelfTest implements SelfTest {
    private final boolean bad;
    private final double gain;
    private final long seed;
    private final int maxAdc;

    /**
     * @param bad    a bad unit (dead channels)
     * @param seed   this unit's seed (its gain and noise)
     * @param maxAdc the ADC full scale of the device kind
     */
    EmulatedUnitSelfTest(boolean bad, long seed, int maxAdc) {
        this.bad = bad;
        this.seed = seed;
        this.maxAdc = maxAdc;
        this.gain = 1 + (new SplittableRandom(seed).nextDouble() - 0.5) * 0.06;
    }

    @Override
    public Result run(ModelBundle candidate) {
        List<Probe> probes = candidate.manifest().probes();
        if (probes == null || probes.isEmpty()) {
            return Result.pass("no probes in the bundle: not checked (emulated unit)");
        }
        ProbeSelfTest.Criteria c = ProbeSelfTest.Criteria.defaults();
        SplittableRandom noise = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double[][] read = new double[probes.size()][];
        double num = 0;
        double den = 0;
        for (int p = 0; p < probes.size(); p++) {
            Probe probe = probes.get(p);
            double[] e = probe.expectedOutput();
            double[] s = probe.outputStd();
            int shots = Math.max(1, Math.min(probe.repeats(), c.maxShots()));
            read[p] = new double[e.length];
            for (int k = 0; k < e.length; k++) {
                double sd = s == null || k >= s.length ? 0 : s[k] / Math.sqrt(shots);
                read[p][k] = bad && k % 4 == 1 ? 0 : Math.min(maxAdc, gain * e[k] + sd * gaussian(noise));
                num += read[p][k] * e[k];
                den += e[k] * e[k];
            }
        }
        double g = den > 0 ? num / den : 1;
        if (Math.abs(g - 1) > ProbeSelfTest.MAX_COMMON_GAIN_DEVIATION) {
            g = 1;
        }
        int failed = 0;
        int worstProbe = -1;
        int worstOff = 0;
        for (int p = 0; p < probes.size(); p++) {
            double[] e = probes.get(p).expectedOutput();
            double[] s = probes.get(p).outputStd();
            int off = 0;
            for (int k = 0; k < e.length; k++) {
                double sd = s == null || k >= s.length ? 0 : s[k];
                double tol = Math.max(c.sigmas() * g * sd, Math.max(c.relative() * g * Math.abs(e[k]), c.absolute() * maxAdc));
                if (Math.abs(read[p][k] - g * e[k]) > tol) {
                    off++;
                }
            }
            if (e.length - off < c.minChannelFraction() * e.length) {
                failed++;
                if (off > worstOff) {
                    worstOff = off;
                    worstProbe = p;
                }
            }
        }
        if (probes.size() - failed < c.minProbeFraction() * probes.size()) {
            return Result.fail(OtaStatus.REASON_SELF_TEST_PROBES, String.format(Locale.ROOT,
                    "%d of %d probes did not reproduce on this (emulated) unit; probe %d: %d of %d channels out of "
                            + "tolerance (common gain %.3f)", failed, probes.size(), worstProbe, worstOff,
                    probes.get(worstProbe).expectedOutput().length, g));
        }
        return Result.pass(String.format(Locale.ROOT, "%d probes reproduced on this (emulated) unit (common gain %.3f)",
                probes.size(), g));
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
