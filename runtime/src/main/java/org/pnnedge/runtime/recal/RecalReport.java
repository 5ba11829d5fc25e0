package org.pnnedge.runtime.recal;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one recalibration measured, decided and did; {@link #toJson()} is what the service publishes.
 * Relative errors are (value − reference)/reference of probe outputs in ADC codes; NaN = not measured.
 *
 * @param started            wall clock at the start
 * @param finished           wall clock at the end
 * @param durationSeconds    whole recalibration, device phases and fits
 * @param pauseSeconds       total time the device lock was held (inference paused)
 * @param maxPauseSeconds    longest single hold of the lock: the longest an inference waited for recalibration
 * @param devicePhases       number of separate holds of the lock
 * @param modelId            bundle model id
 * @param modelVersion       bundle version
 * @param deviceSerial       device serial, hex
 * @param probes             reference probes measured
 * @param probeRepeats       shots averaged per probe
 * @param freshShots         random shots measured in the spare slot
 * @param deviceTemperatureC device temperature sensor at the start (NaN if absent)
 * @param laserPowerMw       light-source power sensor at the start (NaN if absent)
 * @param drift              how far the device moved from the references and from the twin
 * @param probeErrorBefore   probe outputs with the correction in use before this run
 * @param probeErrorAfter    with the new correction, each probe predicted by a fit on the other probes (validation)
 * @param probeErrorAfterInSample with the new correction fitted on all probes
 * @param gainMin            smallest channel gain of the new correction
 * @param gainMax            largest channel gain of the new correction
 * @param twinNrmseBefore    the current twin on held-out fresh shots
 * @param twinNrmseAfter     the refitted twin on the same shots
 * @param twinUpdated        the refitted twin replaced the current one (it did better)
 * @param twinFitSeconds     wall time of the refit
 * @param validated          the new correction passed validation
 * @param adopted            the new correction replaced the current one
 * @param alarm              correction cannot restore the references: retraining is needed
 * @param reason             one sentence on the decision
 * @param freshMeasurements  path of the fresh measurements written for an offline trainer (alarm), else null
 */
public record RecalReport(Instant started, Instant finished, double durationSeconds, double pauseSeconds,
                          double maxPauseSeconds, int devicePhases, String modelId, String modelVersion,
                          String deviceSerial, int probes, int probeRepeats, int freshShots,
                          double deviceTemperatureC, double laserPowerMw, Drift drift,
                          ProbeErrors probeErrorBefore, ProbeErrors probeErrorAfter,
                          ProbeErrors probeErrorAfterInSample, double gainMin, double gainMax,
                          double twinNrmseBefore, double twinNrmseAfter, boolean twinUpdated, double twinFitSeconds,
                          boolean validated, boolean adopted, boolean alarm, String reason,
                          String freshMeasurements) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Probe output errors against the references.
     *
     * @param rmsRelative     root mean square of the relative errors over all (probe, channel) pairs
     * @param maxRelative     largest absolute relative error
     * @param withinTolerance part of the pairs within tolerance (see {@link RecalConfig})
     * @param count           pairs
     */
    public record ProbeErrors(double rmsRelative, double maxRelative, double withinTolerance, int count) {
        ObjectNode toJson() {
            ObjectNode o = MAPPER.createObjectNode();
            num(o, "rmsRelative", rmsRelative);
            num(o, "maxRelative", maxRelative);
            num(o, "withinTolerance", withinTolerance);
            o.put("count", count);
            return o;
        }
    }

    /**
     * Drift figures.
     *
     * @param uncorrected      raw probe outputs against the references (fresh versus reference)
     * @param channelChange    mean relative change per [layer][channel] of the raw probe outputs
     * @param twinNrmse        the current twin's NRMSE on all fresh shots (fresh versus twin)
     * @param noiseFloor       the shot-noise floor on the same scale (what a perfect twin would reach)
     */
    public record Drift(ProbeErrors uncorrected, double[][] channelChange, double twinNrmse, double noiseFloor) {
        ObjectNode toJson() {
            ObjectNode o = MAPPER.createObjectNode();
            o.set("uncorrected", uncorrected.toJson());
            ArrayNode layers = o.putArray("channelChange");
            for (double[] row : channelChange) {
                ArrayNode a = layers.addArray();
                for (double v : row) {
                    if (Double.isFinite(v)) {
                        a.add(round(v));
                    } else {
                        a.addNull();
                    }
                }
            }
            num(o, "twinNrmse", twinNrmse);
            num(o, "noiseFloor", noiseFloor);
            return o;
        }
    }

    /** A JSON object for MQTT and the state directory (NaN becomes null). */
    public ObjectNode toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "recalibration");
        o.put("started", started.toString());
        o.put("finished", finished.toString());
        num(o, "durationSeconds", durationSeconds);
        num(o, "pauseSeconds", pauseSeconds);
        num(o, "maxPauseSeconds", maxPauseSeconds);
        o.put("devicePhases", devicePhases);
        o.put("modelId", modelId);
        o.put("modelVersion", modelVersion);
        o.put("deviceSerial", deviceSerial);
        o.put("probes", probes);
        o.put("probeRepeats", probeRepeats);
        o.put("freshShots", freshShots);
        num(o, "deviceTemperatureC", deviceTemperatureC);
        num(o, "laserPowerMw", laserPowerMw);
        o.set("drift", drift.toJson());
        o.set("probeErrorBefore", probeErrorBefore.toJson());
        o.set("probeErrorAfter", probeErrorAfter.toJson());
        o.set("probeErrorAfterInSample", probeErrorAfterInSample.toJson());
        num(o, "gainMin", gainMin);
        num(o, "gainMax", gainMax);
        num(o, "twinNrmseBefore", twinNrmseBefore);
        num(o, "twinNrmseAfter", twinNrmseAfter);
        o.put("twinUpdated", twinUpdated);
        num(o, "twinFitSeconds", twinFitSeconds);
        o.put("validated", validated);
        o.put("adopted", adopted);
        o.put("alarm", alarm);
        o.put("reason", reason);
        if (freshMeasurements == null) {
            o.putNull("freshMeasurements");
        } else {
            o.put("freshMeasurements", freshMeasurements);
        }
        return o;
    }

    private static void num(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, round(v));
        } else {
            o.putNull(name);
        }
    }

    /** Six significant digits are plenty for a report and keep the MQTT payload short. */
    private static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }
}
