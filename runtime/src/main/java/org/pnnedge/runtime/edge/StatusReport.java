package org.pnnedge.runtime.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkStats;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.runtime.recal.RecalReport;
import org.pnnedge.runtime.service.EnergyLedger;
import org.pnnedge.runtime.service.InferenceEngine;
import org.pnnedge.runtime.service.InferenceService;
import org.pnnedge.runtime.service.LatencyStats;

/** The service's status as JSON: for `pnn status`, the MQTT status topic and telemetry. */
final class StatusReport {
    private final String deviceId;
    private final InferenceService inference;
    private final Supplier<RecalReport> lastRecal;
    private final Talkers talkers;
    private final HeardEvents heard;
    private final Instant started = Instant.now();
    private long lastTelemetryNanos;
    private long lastTelemetryCount;
    private volatile ControlServer control; // set once the socket is open (it opens after this is built)

    StatusReport(String deviceId, InferenceService inference, Supplier<RecalReport> lastRecal, Talkers talkers,
                 HeardEvents heard) {
        this.deviceId = deviceId;
        this.inference = inference;
        this.lastRecal = lastRecal;
        this.talkers = talkers;
        this.heard = heard;
    }

    /** The control socket whose slots status reports ({@code "control"}). */
    void control(ControlServer c) {
        this.control = c;
    }

    /**
     * Model, bundle, counters, latency percentiles, errors, watchdog resets, last recalibration, link counters, the
     * control socket's slots, the talkers of measurement requests.
     */
    ObjectNode status() {
        ObjectNode o = ControlServer.MAPPER.createObjectNode();
        o.put("device_id", deviceId);
        o.put("state", inference.closing() ? "stopping" : "serving");
        o.put("started", started.toString());
        o.put("uptime_s", Duration.between(started, Instant.now()).toSeconds());
        InferenceEngine e = inference.engine();
        ModelBundle bundle = inference.bundle();
        DeviceLink link = inference.link();
        o.put("model", e.modelId());
        o.put("model_version", e.version());
        o.put("feature_layout", e.featureLayout());
        o.set("labels", ControlServer.MAPPER.valueToTree(e.labels()));
        o.put("bundle_key", bundle.keyId());
        o.put("bundle_sha256", bundle.payloadSha256());
        o.put("correction", e.correction().isIdentity() ? "none" : "active");
        // not "device": in telemetry the MQTT envelope's "device" is the device id, as on every other topic
        o.put("device_link", link.describe());
        o.put("physics", link.info().kind().id());
        LatencyStats.Snapshot s = inference.stats().snapshot();
        o.put("inferences", s.inferences());
        o.put("latency_p50_us", s.p50Micros()); // NaN before the first inference: null (nullsForNonFinite, below)
        o.put("latency_p95_us", s.p95Micros());
        o.put("latency_p99_us", s.p99Micros());
        ObjectNode errors = o.putObject("errors");
        inference.errorsByKind().forEach(errors::put);
        // one number for dashboards (Home Assistant's "Errors" sensor)
        o.put("errors_total", inference.errorsByKind().values().stream().mapToLong(Long::longValue).sum());
        o.put("watchdog_resets", inference.watchdogResets());
        o.set("energy", energy(inference.energy().snapshot()));
        RecalReport r = lastRecal.get();
        if (r != null) {
            o.set("last_recalibration", r.toJson());
        }
        LinkStats ls = link.stats();
        ObjectNode linkNode = o.putObject("link");
        linkNode.put("retries", ls.retries());
        linkNode.put("timeouts", ls.timeouts());
        linkNode.put("corrupt_frames", ls.corruptFrames());
        linkNode.put("line_resets", ls.lineResets());
        linkNode.put("param_reloads", ls.paramReloads());
        linkNode.put("foreign_param_writes", ls.foreignWrites());
        ObjectNode answered = linkNode.putObject("device_statuses"); // non-OK device answers by status
        ls.deviceStatuses().forEach((st, n) -> answered.put(st.key(), n));
        ControlServer cs = control;
        if (cs != null) { // its slots: who holds them, who was turned away, who was cut for idleness
            ObjectNode ctl = o.putObject("control");
            ctl.put("clients", cs.clients());
            ctl.put("refused", cs.refusedConnections());
            ctl.put("idle_disconnects", cs.idleDisconnects());
        }
        Talkers.Counts tc = talkers.counts(); // the per-talker estimates of measurement requests and their bound
        ObjectNode tk = o.putObject("talkers");
        tk.put("kept", tc.kept());
        tk.put("max", tc.max());
        tk.put("forgotten", tc.forgotten());
        tk.put("requests", tc.requests());
        HeardEvents.Counts hc = heard.counts(); // vowels a local listener asked to publish on <p>/<d>/heard
        ObjectNode hd = o.putObject("heard");
        hd.put("published", hc.published());
        hd.put("rate_limited", hc.rateLimited());
        hd.put("not_sent", hc.notSent());
        return nullsForNonFinite(o);
    }

    /**
     * The energy ledger: per inference (mean and p95 of device + link + host, and each share's mean), the running
     * total in J and kWh, where the device figure comes from (its counters: "measured"; the model: "modelled").
     */
    static ObjectNode energy(EnergyLedger.Snapshot e) {
        ObjectNode o = ControlServer.MAPPER.createObjectNode();
        o.put("device_source", e.deviceSource());
        o.put("model_profile", e.profile());
        o.put("host", e.host());
        number(o, "device_j_per_shot", e.devicePerShot());
        number(o, "per_inference_mean_j", e.meanJoules());
        number(o, "per_inference_p95_j", e.p95Joules());
        ObjectNode parts = o.putObject("per_inference_mean_by_part_j");
        number(parts, "device", e.deviceJoules());
        number(parts, "link", e.linkJoules());
        number(parts, "host", e.hostJoules());
        o.put("window", e.window());
        o.put("total_j", e.totalJoules());
        o.put("total_kwh", e.totalKilowattHours());
        return o;
    }

    /**
     * Replaces every NaN or infinite number in {@code n} (nested too) with null: JSON has no NaN, and Jackson would
     * write the string "NaN". Catches what {@link #number} does not, e.g. a recalibration report's unmeasured figures.
     */
    static <T extends JsonNode> T nullsForNonFinite(T n) {
        if (n instanceof ObjectNode obj) {
            for (String key : obj.properties().stream().map(Map.Entry::getKey).toList()) {
                if (nonFinite(obj.get(key))) {
                    obj.putNull(key);
                } else {
                    nullsForNonFinite(obj.get(key));
                }
            }
        } else if (n instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                if (nonFinite(arr.get(i))) {
                    arr.set(i, NullNode.getInstance());
                } else {
                    nullsForNonFinite(arr.get(i));
                }
            }
        }
        return n;
    }

    private static boolean nonFinite(JsonNode v) {
        return v.isNumber() && !Double.isFinite(v.doubleValue());
    }

    /** A number, or null before there is one (JSON has no NaN; Home Assistant templates would choke on it). */
    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /**
     * {@link #status()} with the device sensors (read under the device lock; a failure propagates), the energy ledger
     * brought up to date from the device's counters first, as telemetry does, so `pnn status` shows the measured
     * figure on a service without MQTT too.
     */
    ObjectNode withSensors() {
        refreshEnergy();
        ObjectNode o = status();
        o.set("sensors", nullsForNonFinite(sensors()));
        return o;
    }

    /**
     * Fresh sensor readings, or, when the device stays busy (a recalibration phase) for more than
     * {@link InferenceService#SENSOR_WAIT_MILLIS}, the last ones with {@code "stale": true}: status and telemetry never
     * wait behind recalibration.
     */
    private ObjectNode sensors() {
        ObjectNode o = ControlServer.MAPPER.createObjectNode();
        var fresh = inference.sensors();
        (fresh.isPresent() ? fresh.get() : inference.lastSensors()).forEach(o::put);
        if (fresh.isEmpty()) {
            o.put("stale", true);
        }
        return o;
    }

    /** The device's energy counters read into the ledger (bounded wait); a failed read is counted, not thrown. */
    private void refreshEnergy() {
        try {
            inference.refreshDeviceEnergy();
        } catch (RuntimeException e) {
            inference.count("energy_read");
        }
    }

    /** One telemetry message: the status, inferences per second since the last one, sensors. */
    JsonNode telemetry() {
        refreshEnergy();
        ObjectNode o = status();
        long now = System.nanoTime();
        long count = o.get("inferences").asLong();
        synchronized (this) {
            if (lastTelemetryNanos != 0) {
                double dt = (now - lastTelemetryNanos) / 1e9;
                o.put("inferences_per_s", dt > 0 ? (count - lastTelemetryCount) / dt : 0);
            }
            lastTelemetryNanos = now;
            lastTelemetryCount = count;
        }
        try {
            o.set("sensors", nullsForNonFinite(sensors()));
        } catch (RuntimeException e) {
            inference.count("sensor_read");
        }
        return o;
    }

    /** What the retained MQTT status message says about the model and device. */
    ObjectNode mqttDetails() {
        ObjectNode o = ControlServer.MAPPER.createObjectNode();
        InferenceEngine e = inference.engine();
        o.put("model", e.modelId());
        o.put("model_version", e.version());
        o.put("feature_layout", e.featureLayout());
        o.set("labels", ControlServer.MAPPER.valueToTree(e.labels()));
        o.put("physics", inference.link().info().kind().id());
        o.put("serial", inference.link().info().serialHex());
        return o;
    }
}
