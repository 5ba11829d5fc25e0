package org.pnnedge.runtime.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.BundleReader;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.CsvDatasets;
import org.pnnedge.models.data.Dataset;
import org.pnnedge.runtime.config.EdgeConfig;
import org.pnnedge.runtime.device.DeviceAccess;
import org.pnnedge.runtime.mqtt.MqttLink;
import org.pnnedge.runtime.mqtt.MqttSettings;
import org.pnnedge.runtime.ota.Activation;
import org.pnnedge.runtime.ota.BundleStore;
import org.pnnedge.runtime.ota.CanarySet;
import org.pnnedge.runtime.ota.CrashPoints;
import org.pnnedge.runtime.ota.OtaUpdater;
import org.pnnedge.runtime.ota.ProbeSelfTest;
import org.pnnedge.runtime.service.InferenceService;
import org.tinylog.Logger;

/** Builds the service's parts from the typed configuration: bundle store, OTA updater, MQTT link. */
final class EdgeWiring {
    private EdgeWiring() {
    }

    /**
     * The bundle store (recovered from any interrupted update), which must hold an acceptable bundle to serve.
     */
    static BundleStore openStore(EdgeConfig.Bundles c, Path state) throws IOException, BundleException {
        TrustedKeys trusted = trustedKeys(c);
        Path initialFile = c.initial().orElse(null);
        // the initial bundle only matters to an empty store: a missing file must not stop a device that has one
        boolean missing = initialFile != null && !Files.isRegularFile(initialFile);
        byte[] initial = initialFile == null || missing ? null : Files.readAllBytes(initialFile);
        BundleStore store = BundleStore.open(state.resolve("bundles"), trusted, initial,
                new BundleReader(c.maxBytes()), CrashPoints.NONE);
        if (store.isEmpty()) {
            throw new IllegalArgumentException(missing
                    ? "bundle.initial: no bundle file at " + initialFile + ", and the bundle store "
                    + store.directory() + " is empty: no model to serve"
                    : "no model to serve: the bundle store " + store.directory()
                    + " is empty and bundle.initial is not set");
        }
        if (missing) {
            Logger.warn("bundle.initial: no bundle file at {}; serving the store's active bundle instead",
                    initialFile);
        }
        ModelBundle b = store.active();
        if (b.developmentKey() && !c.allowDevelopmentKeys()) {
            throw new IllegalArgumentException("the active bundle " + b.manifest().modelId() + "@"
                    + b.manifest().version() + " is signed with a development key; set "
                    + "bundle.allow_development_keys=true to accept it (never in production)");
        }
        return store;
    }

    private static TrustedKeys trustedKeys(EdgeConfig.Bundles c) throws IOException {
        Path keys = c.trustedKeys().orElse(null);
        if (keys == null || !Files.exists(keys)) {
            throw new IllegalArgumentException("bundle.trusted_keys: no trusted keys at " + keys);
        }
        return TrustedKeys.load(keys);
    }

    /** The OTA updater: self-test on the device (under its lock) and the canary set, then {@code activation}. */
    static OtaUpdater otaUpdater(EdgeConfig c, BundleStore store, InferenceService inference, String deviceId,
                                 Activation activation, Consumer<JsonNode> statusListener) {
        OtaUpdater ota = OtaUpdater.builder(store, inference.link().info())
                .selfTest(new ProbeSelfTest(DeviceAccess.locked(inference.link(), inference.deviceLock()),
                        ProbeSelfTest.Criteria.defaults(), canary(c.ota())))
                .activation(activation)
                .allowDevelopmentKeys(c.bundles().allowDevelopmentKeys())
                .deviceId(deviceId)
                .listener(st -> {
                    // the updater logs each status (unverified bundles rate-limited); this line is for debugging
                    Logger.debug("OTA {} {}@{}: {}", st.step(), st.modelId(), st.version(), st.message());
                    statusListener.accept(st.toJsonNode());
                })
                .build();
        ota.recoveryStatus().ifPresent(st -> Logger.warn("an update was interrupted: {} {}", st.step(), st.message()));
        return ota;
    }

    /** The labelled canary set every new bundle must classify well enough (ota.canary), or null. */
    private static CanarySet canary(EdgeConfig.Ota c) {
        if (c.canary().isEmpty()) {
            return null;
        }
        Dataset d = CsvDatasets.load(c.canary().get());
        List<String> labels = new ArrayList<>();
        for (int y : d.labels()) {
            labels.add(d.labelNames().get(y));
        }
        return new CanarySet(d.features(), labels, c.canaryMinAccuracy());
    }

    /**
     * An MQTT link (not started) for this device, its outbox in the state directory; the broker may send it no packet
     * bigger than the largest bundle it accepts ({@code bundleMaxBytes}) plus room for headers.
     */
    static MqttLink mqttLink(EdgeConfig.Mqtt m, long bundleMaxBytes, String deviceId, Path state) {
        MqttSettings.Builder b = MqttSettings.builder()
                .maxPacketBytes(Math.max(4096, bundleMaxBytes + MqttSettings.PACKET_MARGIN))
                .brokerUri(m.broker()).deviceId(deviceId).topicPrefix(m.topicPrefix())
                .telemetryInterval(m.telemetryInterval()).outboxDir(state.resolve("outbox"))
                .outboxMaxMessages(m.outbox().maxMessages())
                .homeAssistant(m.homeAssistant().enabled()).failoverUris(m.failover());
        m.clientId().ifPresent(b::clientId);
        m.fleet().ifPresent(b::fleetId);
        m.credentials().ifPresent(c -> b.username(c.username()).password(c.password()));
        m.tls().caFile().ifPresent(b::caFile);
        m.tls().clientCert().ifPresent(cert -> b.clientCertificate(cert, m.tls().clientKey().orElse(null)));
        try {
            return MqttLink.create(b.build());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot set up MQTT: " + e.getMessage(), e);
        }
    }
}
