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
    private org.pnnedge.runtime.ota.BundleStore store;
    private org.pnnedge.runtime.ota.OtaUpdater ota;
    private org.pnnedge.runtime.recal.Recalibrator recalibrator;
    private volatile org.pnnedge.models.twin.TrainableTwin recalTwin;
    private volatile org.pnnedge.runtime.recal.RecalReport lastRecal;
    private final java.util.List<java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode>> otaListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode>> recalListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private java.util.concurrent.ScheduledExecutorService scheduler;
    private org.pnnedge.runtime.mqtt.MqttLink mqtt;
    private Prediction prediction;
    private long watchdogResets;
    private volatile boolean closing;
    private final long watchdogMillis;
    private volatile String modelLabel;

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
        this.watchdogMillis = config.duration("watchdog.timeout").toMillis();
        this.modelLabel = engine.modelId() + "@" + engine.version();
    }

    /**
     * Opens the device, loads and verifies the initial bundle, checks that device and bundle match, loads the
     * parameters into their slots and opens the control socket.
     */
    public static EdgeService start(RuntimeConfig config) throws IOException, BundleException {
        TrustedKeys trusted = trustedKeys(config);
        Path state = Path.of(config.get("state.dir"));
        Files.createDirectories(state);
        // the bundle store recovers from any interrupted update before anything serves
        Path initial = config.path("bundle.initial");
        org.pnnedge.runtime.ota.BundleStore store = org.pnnedge.runtime.ota.BundleStore.open(state.resolve("bundles"),
                trusted, initial == null ? null : Files.readAllBytes(initial),
                new org.pnnedge.models.bundle.BundleReader(config.integer("bundle.max_bytes")),
                org.pnnedge.runtime.ota.CrashPoints.NONE);
        if (store.isEmpty()) {
            throw new IllegalArgumentException("no model to serve: the bundle store " + store.directory()
                    + " is empty and bundle.initial is not set");
        }
        ModelBundle b = store.active();
        if (b.developmentKey() && !config.bool("bundle.allow_development_keys")) {
            throw new IllegalArgumentException("the active bundle " + b.manifest().modelId() + "@"
                    + b.manifest().version() + " is signed with a development key; set "
                    + "bundle.allow_development_keys=true to accept it (never in production)");
        }
        DeviceContext ctx = DeviceContext.create();
        try {
            DeviceLink link = ctx.open(config.get("device.uri"));
            InferenceEngine engine = new InferenceEngine(link, b);
            EdgeService s = new EdgeService(config, ctx, link, b, engine);
            s.store = store;
            s.startRecalibration(state);
            s.startOta();
            s.startMqtt(state);
            s.control = ControlServer.start(state.resolve("control.sock"), s::handleControl);
            Logger.info("serving {}@{} on {} ({} {}), control socket {}", engine.modelId(), engine.version(),
                    link.describe(), link.info().kind().id(), link.info().serialHex(), s.control.socket());
            return s;
        } catch (IOException | BundleException | RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    /** Telemetry, remote inference, OTA bundles and commands over MQTT, when a broker is configured. */
    private void startMqtt(Path state) {
        String broker = config.getOrNull("mqtt.broker");
        if (broker == null) {
            return;
        }
        org.pnnedge.runtime.mqtt.MqttSettings.Builder b = org.pnnedge.runtime.mqtt.MqttSettings.builder()
                .brokerUri(broker).deviceId(deviceId).topicPrefix(config.get("mqtt.topic_prefix"))
                .telemetryInterval(config.duration("telemetry.interval")).outboxDir(state.resolve("outbox"))
                .outboxMaxMessages((int) config.integer("outbox.max_messages"))
                .homeAssistant(config.bool("mqtt.home_assistant"));
        if (config.getOrNull("mqtt.client_id") != null) {
            b.clientId(config.get("mqtt.client_id"));
        }
        if (config.getOrNull("mqtt.fleet") != null) {
            b.fleetId(config.get("mqtt.fleet"));
        }
        if (config.getOrNull("mqtt.username") != null) {
            b.username(config.get("mqtt.username")).password(config.get("mqtt.password"));
        }
        if (config.path("mqtt.ca_file") != null) {
            b.caFile(config.path("mqtt.ca_file"));
        }
        if (config.path("mqtt.client_cert") != null) {
            b.clientCertificate(config.path("mqtt.client_cert"), config.path("mqtt.client_key"));
        }
        try {
            mqtt = org.pnnedge.runtime.mqtt.MqttLink.create(b.build());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot set up MQTT: " + e.getMessage(), e);
        }
        mqtt.setStatusDetails(statusDetails());
        onOtaStatus(mqtt::publishOtaStatus);
        onRecalReport(mqtt::publishRecal);
        mqtt.onInferenceRequest(this::handleInferenceRequest);
        mqtt.onOtaBundle(bundleMessage -> {
            org.pnnedge.runtime.ota.UpdateOptions o = org.pnnedge.runtime.ota.UpdateOptions.fromUserProperties(
                    bundleMessage.userProperties(), bundleMessage.topic());
            if (config.bool("ota.allow_downgrade") && !o.allowDowngrade()) {
                o = new org.pnnedge.runtime.ota.UpdateOptions(o.updateId(), true, o.source());
            }
            applyUpdate(bundleMessage.payload(), o);
        });
        mqtt.onCommand(cmd -> switch (cmd.name()) {
            case "recalibrate" -> recalibrate().toJson();
            case "status" -> status();
            default -> ControlServer.error("unknown command '" + cmd.name() + "' (recalibrate, status)");
        });
        mqtt.start();
        mqtt.startTelemetry(this::telemetry);
    }

    /**
     * Waits until the MQTT link is connected, subscribed and has announced itself (requests and bundles sent
     * before that are not seen: the first session starts empty). True at once when no broker is configured.
     */
    public boolean awaitMqtt(Duration timeout) throws InterruptedException {
        return mqtt == null || mqtt.awaitConnected(timeout);
    }

    private ObjectNode statusDetails() {
        ObjectNode o = ControlServer.MAPPER.createObjectNode();
        o.put("model", engine.modelId());
        o.put("model_version", engine.version());
        o.put("physics", link.info().kind().id());
        o.put("serial", link.info().serialHex());
        return o;
    }

    /**
     * {"features":[...]} → {"label":…,"confidence":…,…}, or {"error":…} naming what is wrong with the request.
     * Serves MQTT requests and the control socket alike.
     */
    private JsonNode handleInferenceRequest(JsonNode request) {
        JsonNode f = request.get("features");
        if (f == null || !f.isArray()) {
            return ControlServer.error("request needs \"features\": [numbers]");
        }
        double[] features = new double[f.size()];
        for (int i = 0; i < features.length; i++) {
            if (!f.get(i).isNumber()) {
                return ControlServer.error("feature " + i + " is not a number");
            }
            features[i] = f.get(i).asDouble();
        }
        return ControlServer.MAPPER.valueToTree(classify(features));
    }

    /** One telemetry message: throughput, latency percentiles, errors, sensors, model, drift. */
    private JsonNode telemetry() {
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
            o.set("sensors", sensors());
        } catch (RuntimeException e) {
            count("sensor_read");
        }
        return o;
    }

    private long lastTelemetryNanos;
    private long lastTelemetryCount;

    /** The labelled canary set every new bundle must classify well enough (ota.canary), or null. */
    private org.pnnedge.runtime.ota.CanarySet canary() {
        Path csv = config.path("ota.canary");
        if (csv == null) {
            return null;
        }
        org.pnnedge.models.data.Dataset d = org.pnnedge.models.data.CsvDatasets.load(csv);
        java.util.List<String> labels = new java.util.ArrayList<>();
        for (int y : d.labels()) {
            labels.add(d.labelNames().get(y));
        }
        return new org.pnnedge.runtime.ota.CanarySet(d.features(), labels, config.number("ota.canary_min_accuracy"));
    }

    private void startOta() {
        ota = org.pnnedge.runtime.ota.OtaUpdater.builder(store, link.info())
                .selfTest(new org.pnnedge.runtime.ota.ProbeSelfTest(DeviceAccess.locked(link, deviceLock),
                        org.pnnedge.runtime.ota.ProbeSelfTest.Criteria.defaults(), canary()))
                .activation(this::activate)
                .allowDevelopmentKeys(config.bool("bundle.allow_development_keys"))
                .deviceId(deviceId)
                .listener(st -> {
                    Logger.info("OTA {} {}@{}: {}", st.step(), st.modelId(), st.version(), st.message());
                    JsonNode j = st.toJsonNode();
                    otaListeners.forEach(l -> l.accept(j));
                })
                .build();
        ota.recoveryStatus().ifPresent(st -> Logger.warn("an update was interrupted: {} {}", st.step(), st.message()));
    }

    /** Over-the-air: verify, stage, self-test and switch to {@code bundleBytes}; returns the final status JSON. */
    public JsonNode applyUpdate(byte[] bundleBytes, org.pnnedge.runtime.ota.UpdateOptions options) {
        return ota.apply(bundleBytes, options).toJsonNode();
    }

    public void onOtaStatus(java.util.function.Consumer<JsonNode> listener) {
        otaListeners.add(listener);
    }

    public void onRecalReport(java.util.function.Consumer<JsonNode> listener) {
        recalListeners.add(listener);
    }

    private void activate(ModelBundle newBundle) throws BundleException {
        swapEngine(newBundle);
        recalTwin = null; // a new model brings its own twin and starts uncorrected
    }

    private void startRecalibration(Path state) throws IOException {
        org.pnnedge.runtime.recal.RecalConfig rc = org.pnnedge.runtime.recal.RecalConfig.defaults()
                .withTwinBudget(config.duration("recal.budget"));
        recalibrator = new org.pnnedge.runtime.recal.Recalibrator(rc, state.resolve("recal"), state.resolve("fresh"));
        var saved = org.pnnedge.runtime.recal.RecalState.loadFor(state.resolve("recal"), bundle, link.info());
        if (saved.isPresent()) {
            engine.setCorrection(saved.get().correction());
            recalTwin = saved.get().twin();
            Logger.info("restored the recalibration of {}", saved.get().modelId());
        }
        Duration every = config.duration("recal.interval");
        if (every.isZero()) {
            // PT0S: only on command; commanded runs call recalibrate() on the caller's thread, so no executor
            return;
        }
        scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pnn-recal");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                recalibrate();
            } catch (RuntimeException e) {
                Logger.error("periodic recalibration failed: {}", e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether periodic recalibration is scheduled (false with recal.interval=PT0S); for tests. */
    boolean periodicRecalibration() {
        return scheduler != null;
    }

    /**
     * Recalibrates now (periodic, MQTT command, control socket): probes and fresh shots under the device lock,
     * fits without it; adopts the correction only when it validates, otherwise raises an alarm.
     */
    public synchronized org.pnnedge.runtime.recal.RecalReport recalibrate() {
        ModelBundle b = bundle;
        org.pnnedge.runtime.recal.RecalOutcome o = recalibrator.run(DeviceAccess.locked(link, deviceLock), b,
                engine.correction(), recalTwin);
        if (bundle == b) { // not replaced by an update meanwhile
            engine.setCorrection(o.correction());
            recalTwin = o.twin();
        }
        lastRecal = o.report();
        JsonNode j = o.report().toJson();
        recalListeners.forEach(l -> l.accept(j));
        return o.report();
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
    void swapEngine(ModelBundle newBundle) throws BundleException {
        deviceLock.lock();
        try {
            InferenceEngine e = new InferenceEngine(link, newBundle);
            this.engine = e;
            this.bundle = newBundle;
            this.prediction = e.newPrediction();
            this.modelLabel = e.modelId() + "@" + e.version();
            Logger.info("now serving {}@{}", e.modelId(), e.version());
            if (mqtt != null) {
                mqtt.setStatusDetails(statusDetails());
            }
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
            if (!deviceLock.tryLock(watchdogMillis, TimeUnit.MILLISECONDS)) {
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
                    prediction.probabilities().clone(), prediction.latencyNanos() / 1e3, modelLabel);
        } catch (DeviceException ex) {
            stats.recordError();
            count(ex.kind()); // a stable key (device_timeout, slot_empty, ...), not a class name
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
        org.pnnedge.runtime.recal.RecalReport r = lastRecal;
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
        ObjectNode answered = linkNode.putObject("device_statuses"); // non-OK device answers by status
        ls.deviceStatuses().forEach((st, n) -> answered.put(st.key(), n));
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
                return handleInferenceRequest(request);
            }
            case "status" -> {
                ObjectNode o = status();
                o.set("sensors", sensors());
                return o;
            }
            case "recalibrate" -> {
                return recalibrate().toJson();
            }
            default -> {
                ArrayNode ops = ControlServer.MAPPER.createArrayNode().add("classify").add("status").add("recalibrate");
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
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (mqtt != null) {
            mqtt.close(Duration.ofSeconds(3)); // publishes the offline status
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
