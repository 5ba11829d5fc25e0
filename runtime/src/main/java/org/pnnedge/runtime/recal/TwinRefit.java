package org.pnnedge.runtime.recal;

import java.util.Arrays;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.models.characterize.Characterization;
import org.pnnedge.models.twin.FittedTwin;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.models.twin.TwinFitter;
import org.pnnedge.models.twin.TwinReport;

/**
 * The twin side of a recalibration: how far fresh shots are from the twin, and a warm-started refit judged on
 * held-out fresh shots, kept only when it does better. NaN figures: not measured.
 *
 * @param nrmseFresh the current twin on all fresh shots
 * @param noiseFloor the fresh shots' own noise floor (same units)
 * @param nrmseBefore the current twin on the held-out shots
 * @param nrmseAfter the refitted twin on the same shots
 * @param seconds    wall time of the refit
 * @param twin       the twin to keep (the refitted one when it did better)
 * @param updated    the refitted twin replaced the current one
 */
record TwinRefit(double nrmseFresh, double noiseFloor, double nrmseBefore, double nrmseAfter, double seconds,
                 TrainableTwin twin, boolean updated) {

    /** Refits {@code start} on {@code fresh} within the configured budget; nothing to do without both. */
    static TwinRefit refit(TrainableTwin start, Characterization fresh, DeviceInfo info, RecalConfig config, long run) {
        TwinRefit none = new TwinRefit(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, start, false);
        if (fresh == null || start == null || start.inputs() != info.inputs() || start.params() != info.params()
                || start.outputs() != info.outputs()) {
            return none;
        }
        TwinReport all = TwinFitter.evaluate(start, fresh);
        int hold = Math.max(1, (int) Math.round(fresh.size() * config.twinHoldout()));
        if (fresh.size() - hold < 8) {
            return new TwinRefit(all.nrmse(), all.noiseFloor(), Double.NaN, Double.NaN, 0, start, false);
        }
        Characterization fitPart = rows(fresh, 0, fresh.size() - hold);
        Characterization holdPart = rows(fresh, fresh.size() - hold, fresh.size());
        double before = TwinFitter.evaluate(start, holdPart).nrmse();
        long t0 = System.nanoTime();
        FittedTwin refit = new TwinFitter(config.twinEpochs(), 32, config.twinLearningRate(), 0,
                config.seed() + run, config.twinBudget()).fit(start, fitPart, true, p -> { });
        double seconds = (System.nanoTime() - t0) / 1e9;
        double after = TwinFitter.evaluate(refit.twin(), holdPart).nrmse();
        boolean better = after < before;
        return new TwinRefit(all.nrmse(), all.noiseFloor(), before, after, seconds, better ? refit.twin() : start,
                better);
    }

    /** Rows [from, to) of a characterization. */
    static Characterization rows(Characterization c, int from, int to) {
        return new Characterization(c.kind(), c.serial(), c.dacBits(), c.adcBits(), c.measured(), c.seed(),
                Arrays.copyOfRange(c.inputs(), from, to), Arrays.copyOfRange(c.params(), from, to),
                Arrays.copyOfRange(c.outputs(), from, to), c.noiseStd());
    }
}
