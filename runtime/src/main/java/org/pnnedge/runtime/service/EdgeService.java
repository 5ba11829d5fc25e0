package org.pnnedge.runtime.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceException;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkStats;
import org.pnnedge.bridge.SensorReading;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;
import org.tinylog.Logger;

/**
 * The edge service: one device, one active model, inference only. Owns the device link (every device access
 * goes through {@link #deviceLock()}), the inference engine, latency statistics, the local control socket and
 * the watchdog that resets a failing device and reloads its parameters. Telemetry, over-the-air updates and
 * recalibration attach to it through {@link #deviceLock()}, {@link #engine()} and {@link #swapEngine}.
 */
public final class EdgeService implements AutoCloseable {
    private final RuntimeConfig config;
    private final DeviceContext devices;
    private final DeviceLink link;
    private final ReentrantLock deviceLock = new ReentrantLock(true);
    private final LatencyStats stats = new LatencyStats(4096);
    private final Map<String, Long> errorsByKind = new LinkedHashMap<>();
    private final Instant started = Instant.now();
    private final String deviceId;
    private volatile InferenceEngine engine;
    private volatile ModelBundle bundle;
    private ControlServer control;
    private Prediction prediction;
    private long watchdogResets;
    private volatile boolean closing;

    private EdgeService(RuntimeConfig config, DeviceContext devices, DeviceLink link, ModelBundle bundle,
                        InferenceEngine engine) {
        this.config = config;
        this.devices = devices;
        this.link = link;
        this.bundle = bundle;
        this.engine = engine;
        this.prediction = engine.newPrediction();
        String id = config.getOrNull("device.id");
        this.deviceId = id != null ? id : link.info().serialHex();
    }

    /**
     * Opens the device, loads and verifies the initial bundle, checks that device and bundle match, loads the
     * parameters into their slots and opens the control socket.
     */
    public static EdgeService start(RuntimeConfig config) throws IOException, BundleException {
        Path bundlePath = config.path("bundle.initial");
        if (bundlePath == null) {
            throw new IllegalArgumentException("bundle.initial is not set: no model to serve");
        }
        TrustedKeys trusted = trustedKeys(config);
        ModelBundle b = Bundles.load(bundlePath, trusted);
        if (b.developmentKey() && !config.bool("bundle.allow_development_keys")) {
            throw new IllegalArgumentException(bundlePath + " is signed with a development key; set "
                    + "bundle.allow_development_keys=true to accept it (never in production)");
        }
        DeviceContext ctx = DeviceContext.create();
        try {
            DeviceLink link = ctx.open(config.get("device.uri"));
            InferenceEngine engine = new InferenceEngine(link, b);
            EdgeService s = new EdgeService(config, ctx, link, b, engine);
            Path state = Path.of(config.get("state.dir"));
            Files.createDirectories(state);
            s.control = ControlServer.start(state.resolve("control.sock"), s::handleControl);
            Logger.info("serving {}@{} on {} ({} {}), control socket {}", engine.modelId(), engine.version(),
                    link.describe(), link.info().kind().id(), link.info().serialHex(), s.control.socket());
            return s;
        } catch (IOException | BundleException | RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    static TrustedKeys trustedKeys(RuntimeConfig config) throws IOException {
        Path keys = config.path("bundle.trusted_keys");
        if (keys == null || !Files.exists(keys)) {
            throw new IllegalArgumentException("bundle.trusted_keys: no trusted keys at " + keys);
        }
        return TrustedKeys.load(keys);
    }

    public RuntimeConfig config() {
        return config;
    }

    public String deviceId() {
        return deviceId;
    }

    public DeviceLink link() {
        return link;
    }

    /** Held around every device access (inference, recalibration measurements, OTA self-tests). */
    public ReentrantLock deviceLock() {
        return deviceLock;
    }

    public InferenceEngine engine() {
        return engine;
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public LatencyStats stats() {
        return stats;
    }

    /** Switches to a new, already verified and self-tested bundle; in-flight inferences finish on the old one. */
    public void swapEngine(ModelBundle newBundle) throws BundleException {
        deviceLock.lock();
        try {
            InferenceEngine e = new InferenceEngine(link, newBundle);
            this.engine = e;
            this.bundle = newBundle;
            this.prediction = e.newPrediction();
            Logger.info("now serving {}@{}", e.modelId(), e.version());
        } finally {
            deviceLock.unlock();
        }
    }

    /** What one inference answered (a copy, safe to keep). */
    public record Answer(String label, int index, double confidence, double[] probabilities, double latencyMicros,
                         String model) {
    }

    /**
     * Classifies one feature vector on the device. Device failures are counted, the device is reset and the
     * parameters reloaded (watchdog), and the failure is rethrown for the caller to report.
     */
    public Answer classify(double[] features) {
        if (closing) {
            throw new IllegalStateException("service is shutting down");
        }
        try {
            if (!deviceLock.tryLock(config.duration("watchdog.timeout").toMillis(), TimeUnit.MILLISECONDS)) {
                count("busy");
                throw new IllegalStateException("device busy for longer than watchdog.timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        try {
            InferenceEngine e = engine;
            e.classify(features, prediction);
            stats.record(prediction.latencyNanos());
            return new Answer(e.labels().get(prediction.label()), prediction.label(), prediction.confidence(),
                    prediction.probabilities().clone(), prediction.latencyNanos() / 1e3,
                    e.modelId() + "@" + e.version());
        } catch (DeviceException ex) {
            stats.recordError();
            count(ex.getClass().getSimpleName());
            recoverDevice(ex);
            throw ex;
        } catch (IllegalArgumentException ex) {
            count("bad_request");
            throw ex;
        } finally {
            deviceLock.unlock();
        }
    }

    /** Watchdog: after a failed inference, reset the device and reload every layer's parameters. */
    private void recoverDevice(DeviceException cause) {
        Logger.warn("inference failed ({}); resetting the device and reloading parameters", cause.getMessage());
        watchdogResets++;
        try {
            link.reset();
            engine.loadParameters();
        } catch (DeviceException e) {
            count("reset_failed");
            Logger.error("device reset failed: {}", e.getMessage());
        }
    }

    private synchronized void count(String kind) {
        errorsByKind.merge(kind, 1L, Long::sum);
    }

    /** Status for `pnn status`, the status topic and telemetry. */
    public ObjectNode status() {
        ObjectNode o = ControlServer.MAPPER.createObjectNode();
        o.put("device_id", deviceId);
        o.put("state", closing ? "stopping" : "serving");
        o.put("started", started.toString());
        o.put("uptime_s", Duration.between(started, Instant.now()).toSeconds());
        InferenceEngine e = engine;
        o.put("model", e.modelId());
        o.put("model_version", e.version());
        o.put("bundle_key", bundle.keyId());
        o.put("bundle_sha256", bundle.payloadSha256());
        o.put("correction", e.correction().isIdentity() ? "none" : "active");
        o.put("device", link.describe());
        o.put("physics", link.info().kind().id());
        LatencyStats.Snapshot s = stats.snapshot();
        o.put("inferences", s.inferences());
        o.put("latency_p50_us", s.p50Micros());
        o.put("latency_p95_us", s.p95Micros());
        o.put("latency_p99_us", s.p99Micros());
        ObjectNode errors = o.putObject("errors");
        synchronized (this) {
            errorsByKind.forEach(errors::put);
        }
        o.put("watchdog_resets", watchdogResets);
        LinkStats ls = link.stats();
        ObjectNode linkNode = o.putObject("link");
        linkNode.put("retries", ls.retries());
        linkNode.put("timeouts", ls.timeouts());
        linkNode.put("corrupt_frames", ls.corruptFrames());
        linkNode.put("line_resets", ls.lineResets());
        linkNode.put("param_reloads", ls.paramReloads());
        return o;
    }

    /** Device sensors, read under the device lock. */
    public ObjectNode sensors() {
        ObjectNode o = ControlServer.MAPPER.createObjectNode();
        deviceLock.lock();
        try {
            for (SensorReading r : link.sensors().readings()) {
                o.put(r.key(), r.value());
            }
        } finally {
            deviceLock.unlock();
        }
        return o;
    }

    private JsonNode handleControl(JsonNode request) {
        String op = request.path("op").asText("");
        switch (op) {
            case "classify" -> {
                JsonNode f = request.get("features");
                if (f == null || !f.isArray()) {
                    return ControlServer.error("classify needs \"features\": [numbers]");
                }
                double[] features = new double[f.size()];
                for (int i = 0; i < features.length; i++) {
                    if (!f.get(i).isNumber()) {
                        return ControlServer.error("feature " + i + " is not a number");
                    }
                    features[i] = f.get(i).asDouble();
                }
                Answer a = classify(features);
                ObjectNode o = ControlServer.MAPPER.valueToTree(a);
                return o;
            }
            case "status" -> {
                ObjectNode o = status();
                o.set("sensors", sensors());
                return o;
            }
            default -> {
                ArrayNode ops = ControlServer.MAPPER.createArrayNode().add("classify").add("status");
                ObjectNode err = ControlServer.error("unknown op '" + op + "'");
                err.set("ops", ops);
                return err;
            }
        }
    }

    /** Graceful stop: refuse new work, let the in-flight inference finish (bounded), close the device. */
    @Override
    public void close() {
        closing = true;
        if (control != null) {
            control.close();
        }
        try {
            if (!deviceLock.tryLock(config.duration("watchdog.timeout").toMillis(), TimeUnit.MILLISECONDS)) {
                Logger.warn("an inference did not finish within watchdog.timeout; closing the device anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        devices.close();
        Logger.info("service stopped after {} inferences", stats.snapshot().inferences());
    }
}
