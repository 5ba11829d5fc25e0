package org.pnnedge.runtime.recal;

import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.runtime.service.OutputCorrection;

/**
 * The result of {@link Recalibrator#run}.
 *
 * @param report     what happened (publish {@link RecalReport#toJson()})
 * @param correction the correction to serve with from now on: the new one when adopted, else the current one
 *                   (install it with {@code engine.setCorrection})
 * @param twin       the twin to keep: the refitted one when it did better, else the current one (may be null when
 *                   the bundle has no twin)
 * @param candidate  the correction this run fitted, adopted or not (null when there were no probes)
 */
public record RecalOutcome(RecalReport report, OutputCorrection correction, TrainableTwin twin,
                           OutputCorrection candidate) {
}
