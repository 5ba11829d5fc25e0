package org.pnnedge.runtime.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.bridge.DeviceContext;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.bridge.EnergyProfile;
import org.pnnedge.bridge.net.RateLimitedLog;
import org.pnnedge.runtime.config.EdgeConfig;
import org.pnnedge.runtime.config.RuntimeConfig;
import org.pnnedge.runtime.io.AtomicFiles;
import org.pnnedge.runtime.mqtt.MqttLink;
import org.pnnedge.runtime.ota.BundleStore;
import org.pnnedge.runtime.ota.OtaUpdater;
import org.pnnedge.runtime.ota.UpdateOptions;
import org.pnnedge.runtime.recal.RecalReport;
import org.pnnedge.runtime.service.Answer;
import org.pnnedge.runtime.service.InferenceEngine;
import org.pnnedge.runtime.service.EnergyLedger;
import org.pnnedge.runtime.service.InferenceService;
import org.pnnedge.runtime.service.LatencyStats;
import org.tinylog.Logger;

/**
 * The running edge service (`pnn run`): starts and stops its parts in order and is what the CLI, the demo and
 * tests hold. Inference and the watchdog are {@link InferenceService}; building the parts from the configuration
 * is {@link EdgeWiring}; what the control socket and MQTT may ask is {@link ControlOps}; recalibration state and
 * schedule are {@link Recalibration}.
 */
public final class EdgeService implements AutoCloseable {
    private final RuntimeConfig config;
    private final DeviceContext devices;
    private final InferenceService inference;
    private final String deviceId;
    private final Recalibration recal;
    private final StatusReport status;
    private final ControlOps ops;
    private final HeardEvents heard = new HeardEvents(System::nanoTime); // pnn listen --publish → <p>/<d>/heard
    private final List<Consumer<JsonNode>> otaListeners = new CopyOnWriteArrayList<>();
    private OtaUpdater ota;
    private MqttLink mqtt;
    private ControlServer control;
    private ScheduledExecutorService paramChecks;
    /** Logged per bundle before it is verified: a flood of garbage must not flood the log with it (issue 13). */
    private final RateLimitedLog downgradeAsks = new RateLimitedLog(Duration.ofSeconds(10));

    private EdgeService(RuntimeConfig config, DeviceContext devices, InferenceService inference,
                        Recalibration recal) {
        EdgeConfig c = config.typed();
        this.config = config;
        this.devices = devices;
        this.inference = inference;
        this.deviceId = c.device().id().orElse(inference.link().info().serialHex());
        this.recal = recal;
        Talkers talkers = new Talkers(); // measurement requests keep them; the status counts them
        this.status = new StatusReport(deviceId, inference, recal::last, talkers, heard);
        this.ops = new ControlOps(inference, status, recal, talkers, heard);
    }

    /**
     * Opens the device, loads and verifies the initial bundle, checks that device and bundle match, loads the
     * parameters into their slots and opens the control socket.
     */
    public static EdgeService start(RuntimeConfig config) throws IOException, BundleException {
        EdgeConfig c = config.typed();
        AtomicFiles.createPrivateDirectories(c.stateDir()); // 0700 when created: bundles, state, outbox
        // a newer version's state is refused before anything reads or rewrites it (downgrade safety)
        StateVersion.checkAndRecord(c.stateDir(), BuildInfo.current());
        // the bundle store recovers from any interrupted update before anything serves
        BundleStore store = EdgeWiring.openStore(c.bundles(), c.stateDir());
        ModelBundle b = store.active();
        DeviceContext ctx = DeviceContext.create();
        try {
            DeviceLink link = ctx.open(c.device().effectiveUri());
            EdgeConfig.Energy en = c.energy();
            InferenceService inference = new InferenceService(link, b, new InferenceEngine(link, b),
                    c.watchdogTimeout(), EnergyLedger.Pricing.of(EnergyProfile.of(link.info().kind(), en.profile()),
                    en.piModel().wattsPerCore(), en.spiClockHz(), en.piModel().id()));
            Recalibration recal = Recalibration.start(c.recal(), c.stateDir(), inference);
            EdgeService s = new EdgeService(config, ctx, inference, recal);
            s.ota = EdgeWiring.otaUpdater(c, store, inference, s.deviceId, s::activate, s::otaStatus);
            c.mqtt().ifPresent(m -> s.startMqtt(c, m));
            s.control = ControlServer.start(c.stateDir().resolve("control.sock"), c.control().idleTimeout(),
                    s.ops::controlRequest);
            s.status.control(s.control);
            s.startParamChecks(c.device().paramCheckInterval());
            Logger.info("serving {}@{} on {} ({} {}), control socket {}", s.engine().modelId(), s.engine().version(),
                    link.describe(), link.info().kind().id(), link.info().serialHex(), s.control.socket());
            return s;
        } catch (IOException | BundleException | RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    /** Periodic slot checksums: parameters someone else wrote into the device are reloaded and counted. */
    private void startParamChecks(Duration every) {
        if (every.isZero()) {
            return;
        }
        paramChecks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pnn-param-check")
                .daemon(true).factory());
        long ms = Math.max(1, every.toMillis());
        paramChecks.scheduleWithFixedDelay(() -> {
            try {
                if (!inference.closing() && inference.checkParameters() < 0) {
                    paramChecks.shutdown(); // older firmware: nothing to check, ever
                }
            } catch (RuntimeException | Error e) { // an escaping throwable would silently end the schedule
                inference.count("param_check_failed");
                Logger.warn("parameter check failed: {}", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Checks the device's parameter slots now (what the periodic check does); see
     * {@link InferenceService#checkParameters()}.
     */
    public int checkParameters() {
        return inference.checkParameters();
    }

    /** Telemetry, remote inference, OTA bundles and commands over MQTT. */
    private void startMqtt(EdgeConfig c, EdgeConfig.Mqtt m) {
        mqtt = EdgeWiring.mqttLink(m, c.bundles().maxBytes(), deviceId, c.stateDir());
        mqtt.setStatusDetails(status.mqttDetails());
        heard.sendTo(mqtt::publishHeard);
        OtaStatusGate otaGate = new OtaStatusGate(mqtt);
        onOtaStatus(otaGate::publish);
        // an update cut short by a crash: its real outcome replaces the retained "in-progress" it left behind
        ota.recoveryStatus().ifPresent(st -> otaGate.publish(st.toJsonNode()));
        onRecalReport(mqtt::publishRecal);
        mqtt.onInferenceRequest(ops::classify);
        mqtt.onOtaBundle(bundle -> {
            UpdateOptions asked = UpdateOptions.fromUserProperties(bundle.userProperties(), bundle.topic());
            // a publisher cannot grant itself a downgrade: only this device's configuration decides
            if (asked.allowDowngrade() && !c.ota().allowDowngrade()) {
                downgradeAsks.warn("OTA " + asked.updateId() + ": the publisher asks to allow a downgrade; ignored "
                        + "(ota.allow_downgrade=false)");
            }
            applyUpdate(bundle.payload(), new UpdateOptions(asked.updateId(), c.ota().allowDowngrade(),
                    asked.source()));
        });
        if (m.brokerAcl() && m.credentials().isEmpty() && m.tls().clientCert().isEmpty()) {
            Logger.warn("mqtt.broker_acl=true but this device logs in anonymously: a broker that enforces per-user "
                    + "ACLs cannot tell it (or an operator) from anyone else");
        }
        // authorised on arrival, before the command queue: an unauthorised burst is refused, never answered "busy"
        mqtt.onCommand(cmd -> ops.mqttCommand(cmd, m.brokerAcl()),
                (name, fleet) -> ops.mqttRefusal(name, m.brokerAcl()));
        mqtt.start();
        mqtt.startTelemetry(status::telemetry);
    }

    private void otaStatus(JsonNode st) {
        otaListeners.forEach(l -> l.accept(st));
    }

    /** Serves a new, verified and self-tested bundle (the OTA updater's activation step). */
    private void activate(ModelBundle newBundle) throws BundleException {
        inference.swap(newBundle);
        recal.modelChanged();
        if (mqtt != null) {
            mqtt.setStatusDetails(status.mqttDetails());
        }
    }

    /**
     * Waits until the MQTT link is connected, subscribed and has announced itself (requests and bundles sent
     * before that are not seen: the first session starts empty). True at once when no broker is configured.
     */
    public boolean awaitMqtt(Duration timeout) throws InterruptedException {
        return mqtt == null || mqtt.awaitConnected(timeout);
    }

    /** Over-the-air: verify, stage, self-test and switch to {@code bundleBytes}; returns the final status JSON. */
    public JsonNode applyUpdate(byte[] bundleBytes, UpdateOptions options) {
        return ota.apply(bundleBytes, options).toJsonNode();
    }

    public void onOtaStatus(Consumer<JsonNode> listener) {
        otaListeners.add(listener);
    }

    public void onRecalReport(Consumer<JsonNode> listener) {
        recal.onReport(listener);
    }

    /**
     * Recalibrates now (periodic, MQTT command, control socket): probes and fresh shots under the device lock,
     * fits without it; adopts the correction only when it validates, otherwise raises an alarm.
     */
    public RecalReport recalibrate() {
        return recal.run();
    }

    /** Whether periodic recalibration is scheduled (false with recal.interval=PT0S); for tests. */
    boolean periodicRecalibration() {
        return recal.periodic();
    }

    /** See {@link InferenceService#classify}. */
    public Answer classify(double[] features) {
        return inference.classify(features);
    }

    /** Status for `pnn status`, the status topic and telemetry. */
    public ObjectNode status() {
        return status.status();
    }

    public RuntimeConfig config() {
        return config;
    }

    public String deviceId() {
        return deviceId;
    }

    public DeviceLink link() {
        return inference.link();
    }

    /** Held around every device access (inference, recalibration measurements, OTA self-tests). */
    public ReentrantLock deviceLock() {
        return inference.deviceLock();
    }

    public InferenceEngine engine() {
        return inference.engine();
    }

    public ModelBundle bundle() {
        return inference.bundle();
    }

    public LatencyStats stats() {
        return inference.stats();
    }

    /** The energy ledger now (the device's counters read first when it keeps them). */
    public EnergyLedger.Snapshot energy() {
        inference.refreshDeviceEnergy();
        return inference.energy().snapshot();
    }

    /** Graceful stop: refuse new work, let the in-flight inference finish (bounded), close the device. */
    @Override
    public void close() {
        inference.refuseNewWork();
        if (paramChecks != null) {
            paramChecks.shutdownNow();
        }
        if (control != null) {
            control.close();
        }
        recal.close();
        if (mqtt != null) {
            mqtt.close(Duration.ofSeconds(3)); // publishes the offline status
        }
        inference.awaitIdle();
        devices.close();
        Logger.info("service stopped after {} inferences", stats().snapshot().inferences());
    }
}
