package org.pnnedge.runtime.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.pnnedge.bridge.EnergyProfile;

/**
 * The edge service's configuration, typed: {@link RuntimeConfig} parses its keys into these records once, at
 * load, so a malformed value stops the service before anything starts, with a message naming the key. The rest
 * of the runtime reads these records, never a key string.
 *
 * @param device          device.uri, device.id, device.tls_*, device.param_check_interval
 * @param stateDir        state.dir: bundle store, recalibration state, outbox, control socket
 * @param bundles         bundle.*: the bundle store
 * @param ota             ota.*
 * @param mqtt            mqtt.*, telemetry.interval, outbox.*; empty when mqtt.broker is empty
 * @param recal           recal.*
 * @param watchdogTimeout watchdog.timeout
 * @param energy          energy.*
 * @param log             log.*
 * @param control         control.*: the local control socket
 */
public record EdgeConfig(Device device, Path stateDir, Bundles bundles, Ota ota, Optional<Mqtt> mqtt, Recal recal,
                         Duration watchdogTimeout, Energy energy, Log log, Control control) {

    /**
     * The device: its URI, the id used in MQTT topics (empty: the device's serial number), the mutual-TLS files for a
     * tcp:// bridge, and how often the slots are checked for parameters someone else wrote (zero: never).
     */
    public record Device(String uri, Optional<String> id, Optional<BridgeTls> tls, Duration paramCheckInterval) {
        /** The URI the service opens: {@link #uri()} with the TLS files as {@code tls_cert/tls_key/tls_ca}. */
        public String effectiveUri() {
            if (tls.isEmpty()) {
                return uri;
            }
            BridgeTls t = tls.get();
            return uri + (uri.contains("?") ? "&" : "?") + "tls_cert=" + enc(t.cert()) + "&tls_key=" + enc(t.key())
                    + "&tls_ca=" + enc(t.ca());
        }

        private static String enc(Path p) {
            return URLEncoder.encode(p.toString(), StandardCharsets.UTF_8);
        }
    }

    /** device.tls_cert, device.tls_key, device.tls_ca: mutual TLS with a tcp:// device bridge (protocol.md). */
    public record BridgeTls(Path cert, Path key, Path ca) {
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
     * @param failover    mqtt.servers: more nodes of the broker's cluster, tried after {@code broker} (order rotated by the device id)
     * @param brokerAcl   mqtt.broker_acl: the broker lets only operators publish commands, so state-changing
     *                    commands are accepted
     */
    public record Mqtt(String broker, Optional<String> clientId, Optional<Credentials> credentials,
                       String topicPrefix, Optional<String> fleet, Duration telemetryInterval, Outbox outbox,
                       Tls tls, HomeAssistant homeAssistant, java.util.List<String> failover, boolean brokerAcl) {
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

    /**
     * The energy ledger: the Pi's per-core power, the device energy model used when the device keeps no counter,
     * and the SPI clock of the link energy.
     *
     * @param profile a name of {@link EnergyProfile#NAMES}
     */
    public record Energy(PiModel piModel, String profile, double spiClockHz) {
    }

    /** Logging: rolling file (empty: console only), its size limit and backups, and the level. */
    public record Log(Optional<Path> file, String maxSize, int backups, String level) {
    }

    /**
     * The control socket: how long a client may keep it waiting (for a request line, or to take an answer) before it
     * is disconnected and its slot freed; positive, at most 24 hours.
     */
    public record Control(Duration idleTimeout) {
    }

    /** The longest control.idle_timeout: a bound, not "never" (every wait has one). */
    static final Duration MAX_IDLE_TIMEOUT = Duration.ofHours(24);

    private static Control control(RuntimeConfig c) {
        Duration idle = c.duration("control.idle_timeout");
        if (idle.isZero() || idle.compareTo(MAX_IDLE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("control.idle_timeout must be more than zero and at most "
                    + MAX_IDLE_TIMEOUT + " (every wait has a bound), got '" + c.get("control.idle_timeout") + "'");
        }
        return new Control(idle);
    }

    /** Parses and validates every key of {@code c}; errors name the key. */
    static EdgeConfig parse(RuntimeConfig c) {
        Optional<String> id = c.optional("device.id");
        if (id.isPresent() && !id.get().matches("[A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("device.id may only contain letters, digits, '_', '.', '-': '"
                    + id.get() + "'");
        }
        Device device = new Device(c.get("device.uri"), id, bridgeTls(c), c.duration("device.param_check_interval"));
        Bundles bundles = new Bundles(c.path("bundle.initial"), c.path("bundle.trusted_keys"),
                c.bool("bundle.allow_development_keys"), c.integer("bundle.max_bytes"));
        Ota ota = new Ota(c.bool("ota.allow_downgrade"), c.path("ota.canary"), c.number("ota.canary_min_accuracy"));
        Recal recal = new Recal(c.duration("recal.interval"), c.duration("recal.budget"));
        Log log = new Log(c.path("log.file"), c.get("log.max_size"), (int) c.integer("log.backups"),
                c.get("log.level"));
        return new EdgeConfig(device, c.path("state.dir").orElse(Path.of("")), bundles, ota, mqtt(c), recal,
                c.duration("watchdog.timeout"), energy(c), log, control(c));
    }

    private static Energy energy(RuntimeConfig c) {
        PiModel pi = PiModel.parse("energy.pi_model", c.get("energy.pi_model"));
        String profile;
        try {
            profile = EnergyProfile.requireKnown(c.get("energy.profile"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("energy.profile: " + e.getMessage(), e);
        }
        double hz = c.number("energy.spi_clock_hz");
        if (!(hz >= 1e3 && hz <= 1e9)) {
            throw new IllegalArgumentException("energy.spi_clock_hz must be in 1000 .. 1000000000, got '"
                    + c.get("energy.spi_clock_hz") + "'");
        }
        return new Energy(pi, profile, hz);
    }

    private static Optional<BridgeTls> bridgeTls(RuntimeConfig c) {
        Optional<Path> cert = c.path("device.tls_cert");
        Optional<Path> key = c.path("device.tls_key");
        Optional<Path> ca = c.path("device.tls_ca");
        int given = (cert.isPresent() ? 1 : 0) + (key.isPresent() ? 1 : 0) + (ca.isPresent() ? 1 : 0);
        if (given == 0) {
            return Optional.empty();
        }
        if (given != 3) {
            throw new IllegalArgumentException("device.tls_cert, device.tls_key and device.tls_ca go together: "
                    + "set all three for mutual TLS with a tcp:// device bridge, or none");
        }
        String uri = c.get("device.uri");
        if (!uri.regionMatches(true, 0, "tcp:", 0, 4)) {
            throw new IllegalArgumentException("device.tls_cert/tls_key/tls_ca apply to tcp:// device URIs only, "
                    + "device.uri is '" + uri + "'");
        }
        if (uri.contains("tls_cert=") || uri.contains("tls_key=") || uri.contains("tls_ca=")) {
            throw new IllegalArgumentException("device.uri already names TLS files; give them either in the URI or "
                    + "in device.tls_*, not both");
        }
        return Optional.of(new BridgeTls(cert.get(), key.get(), ca.get()));
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
                java.util.Arrays.stream(c.get("mqtt.servers").split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList(),
                c.bool("mqtt.broker_acl")));
    }
}
