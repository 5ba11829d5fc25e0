package org.pnnedge.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The edge service's configuration, typed: {@link RuntimeConfig} parses its keys into these records once, at
 * load, so a malformed value stops the service before anything starts, with a message naming the key. The rest
 * of the runtime reads these records, never a key string.
 *
 * @param device          device.uri, device.id
 * @param stateDir        state.dir: bundle store, recalibration state, outbox, control socket
 * @param bundles         bundle.*: the bundle store
 * @param ota             ota.*
 * @param mqtt            mqtt.*, telemetry.interval, outbox.*; empty when mqtt.broker is empty
 * @param recal           recal.*
 * @param watchdogTimeout watchdog.timeout
 * @param log             log.*
 */
public record EdgeConfig(Device device, Path stateDir, Bundles bundles, Ota ota, Optional<Mqtt> mqtt, Recal recal,
                         Duration watchdogTimeout, Log log) {

    /** The device: its URI and the id used in MQTT topics (empty: the device's serial number). */
    public record Device(String uri, Optional<String> id) {
    }

    /** The bundle store: first bundle, trusted signing keys, development keys, size limit. */
    public record Bundles(Optional<Path> initial, Optional<Path> trustedKeys, boolean allowDevelopmentKeys,
                          long maxBytes) {
    }

    /** Over-the-air updates: downgrades, and the optional canary set every new bundle must pass. */
    public record Ota(boolean allowDowngrade, Optional<Path> canary, double canaryMinAccuracy) {
    }

    /**
     * The MQTT link.
     *
     * @param credentials present when mqtt.username is set (the password may be empty)
     * @param brokerAcl   mqtt.broker_acl: the broker lets only operators publish commands, so state-changing
     *                    commands are accepted
     */
    public record Mqtt(String broker, Optional<String> clientId, Optional<Credentials> credentials,
                       String topicPrefix, Optional<String> fleet, Duration telemetryInterval, Outbox outbox,
                       Tls tls, HomeAssistant homeAssistant, boolean brokerAcl) {
    }

    /** mqtt.username and mqtt.password. */
    public record Credentials(String username, String password) {
    }

    /** The disk outbox of messages waiting for the broker. */
    public record Outbox(int maxMessages) {
    }

    /** Broker verification and the client certificate (used with ssl:// brokers). */
    public record Tls(Optional<Path> caFile, Optional<Path> clientCert, Optional<Path> clientKey) {
    }

    /** Home Assistant MQTT discovery. */
    public record HomeAssistant(boolean enabled) {
    }

    /** Recalibration: period (zero: only on command) and the time budget of the twin refit. */
    public record Recal(Duration interval, Duration budget) {
    }

    /** Logging: rolling file (empty: console only), its size limit and backups, and the level. */
    public record Log(Optional<Path> file, String maxSize, int backups, String level) {
    }

    /** Parses and validates every key of {@code c}; errors name the key. */
    static EdgeConfig parse(RuntimeConfig c) {
        Optional<String> id = c.optional("device.id");
        if (id.isPresent() && !id.get().matches("[A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("device.id may only contain letters, digits, '_', '.', '-': '"
                    + id.get() + "'");
        }
        Device device = new Device(c.get("device.uri"), id);
        Bundles bundles = new Bundles(c.path("bundle.initial"), c.path("bundle.trusted_keys"),
                c.bool("bundle.allow_development_keys"), c.integer("bundle.max_bytes"));
        Ota ota = new Ota(c.bool("ota.allow_downgrade"), c.path("ota.canary"), c.number("ota.canary_min_accuracy"));
        Recal recal = new Recal(c.duration("recal.interval"), c.duration("recal.budget"));
        Log log = new Log(c.path("log.file"), c.get("log.max_size"), (int) c.integer("log.backups"),
                c.get("log.level"));
        return new EdgeConfig(device, c.path("state.dir").orElse(Path.of("")), bundles, ota, mqtt(c), recal,
                c.duration("watchdog.timeout"), log);
    }

    private static Optional<Mqtt> mqtt(RuntimeConfig c) {
        // parsed even without a broker, so a malformed value is reported whether or not MQTT is on
        Duration telemetry = c.duration("telemetry.interval");
        Outbox outbox = new Outbox((int) c.integer("outbox.max_messages"));
        HomeAssistant ha = new HomeAssistant(c.bool("mqtt.home_assistant"));
        Optional<Credentials> credentials = c.optional("mqtt.username")
                .map(u -> new Credentials(u, c.get("mqtt.password")));
        Tls tls = new Tls(c.path("mqtt.ca_file"), c.path("mqtt.client_cert"), c.path("mqtt.client_key"));
        return c.optional("mqtt.broker").map(broker -> new Mqtt(broker, c.optional("mqtt.client_id"), credentials,
                c.get("mqtt.topic_prefix"), c.optional("mqtt.fleet"), telemetry, outbox, tls, ha,
                c.bool("mqtt.broker_acl")));
    }
}
