package org.pnnedge.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.pnnedge.bridge.Flags;

/**
 * Configuration of the edge service as keys and values: a properties file, overridden by environment variables
 * ({@code PNN_} + key upper-cased with dots as underscores, e.g. {@code PNN_MQTT_BROKER}), overridden by
 * command-line {@code --set key=value}. Every key, its default and meaning is listed in {@link #KEYS} (and in
 * runtime.md and src/dist/pnn-edge.conf; {@code ConfigDocsTest} keeps the three in step). Unknown keys are
 * errors, so a typo never silently falls back to a default. {@link #load} parses every value into
 * {@link EdgeConfig} at once; the service reads that, not the strings.
 */
public final class RuntimeConfig {
    /** A key's default (empty: unset) and what it means. */
    public record Key(String defaultValue, String meaning) {
    }

    /** Key → default and meaning. Order is the documentation order. */
    public static final Map<String, Key> KEYS;

    static {
        Map<String, Key> k = new LinkedHashMap<>();
        k.put("device.uri", new Key("spi:0.0?ready=24&reset=25", "device URI (spi:, tcp://, emulator:)"));
        k.put("device.id", new Key("", "device id used in MQTT topics; empty = the device's serial number"));
        k.put("device.tls_cert", new Key("", "tcp:// device: PEM certificate of this host for mutual TLS with the bridge"));
        k.put("device.tls_key", new Key("", "tcp:// device: PEM private key of that certificate (mode 0600)"));
        k.put("device.tls_ca", new Key("", "tcp:// device: PEM CA certificate(s) the bridge's certificate must chain to"));
        k.put("device.param_check_interval", new Key("PT5S", "how often the device's slot checksums are compared with "
                + "the loaded parameters; a slot someone else overwrote is reloaded and counted (PT0S = never)"));
        k.put("state.dir", new Key("/var/lib/pnn-edge", "bundle store, recalibration state, outbox, control socket "
                + "(created 0700; every file the service writes there is 0600, whatever the umask)"));
        k.put("bundle.initial", new Key("", "bundle installed when the store is empty (e.g. the shipped default); "
                + "unread otherwise"));
        k.put("bundle.trusted_keys", new Key("/etc/pnn-edge/keys", "public key file or directory of *.pub trusted to sign bundles"));
        k.put("bundle.allow_development_keys", new Key("false", "accept bundles signed by a development key"));
        k.put("bundle.max_bytes", new Key("16777216", "largest bundle accepted"));
        k.put("ota.allow_downgrade", new Key("false", "accept bundles older than the active one or below the version floor"));
        k.put("ota.canary", new Key("", "optional labelled CSV every new bundle must classify well enough"));
        k.put("ota.canary_min_accuracy", new Key("0.8", "accuracy the canary set must reach"));
        k.put("mqtt.broker", new Key("", "broker URI (tcp://host:1883, ssl://host:8883); empty = no MQTT"));
        k.put("mqtt.servers", new Key("", "more nodes of the broker's cluster, comma-separated, tried after mqtt.broker in an order rotated by the device id, so a dead node's devices spread over the others"));
        k.put("mqtt.client_id", new Key("", "MQTT client id; empty = pnn-<device id>"));
        k.put("mqtt.username", new Key("", "user name (with mqtt.password)"));
        k.put("mqtt.password", new Key("", "password; prefer the environment variable PNN_MQTT_PASSWORD"));
        k.put("mqtt.ca_file", new Key("", "PEM CA certificate(s) to verify the broker (ssl://)"));
        k.put("mqtt.client_cert", new Key("", "PEM client certificate for mutual TLS"));
        k.put("mqtt.client_key", new Key("", "PEM private key of the client certificate"));
        k.put("mqtt.topic_prefix", new Key("pnn", "first topic level"));
        k.put("mqtt.fleet", new Key("", "fleet id: also take OTA bundles from <prefix>/fleet/<fleet>/ota/bundle"));
        k.put("mqtt.home_assistant", new Key("false", "publish Home Assistant MQTT discovery"));
        k.put("mqtt.broker_acl", new Key("false", "the broker enforces the ACL model of mqtt.md (only operators "
                + "publish commands); without it, commands that change state (recalibrate) are refused"));
        k.put("telemetry.interval", new Key("PT10S", "telemetry period (ISO-8601 duration)"));
        k.put("outbox.max_messages", new Key("10000", "messages kept on disk while the broker is away; oldest dropped beyond"));
        k.put("recal.interval", new Key("PT1H", "periodic recalibration (ISO-8601 duration; PT0S = only on command)"));
        k.put("recal.budget", new Key("PT20S", "time budget of the twin refit"));
        k.put("watchdog.timeout", new Key("PT5S", "an inference stuck this long resets the device and reloads parameters"));
        k.put("control.idle_timeout", new Key("PT60S", "a control socket client that sends no complete request line "
                + "(or takes no answer) for this long gets a timeout error and is disconnected, freeing its slot "
                + "(ISO-8601 duration, more than zero, at most PT24H)"));
        k.put("energy.pi_model", new Key("pi4", "Raspberry Pi the service runs on, for the host's energy share: "
                + "pi4, pi5, zero2w"));
        k.put("energy.profile", new Key("benchtop", "device energy model used when the device keeps no energy "
                + "counter: benchtop or integrated (physics.md)"));
        k.put("energy.spi_clock_hz", new Key("10000000", "SPI clock the link energy is computed at (match the "
                + "device URI's baud)"));
        k.put("log.file", new Key("", "rolling log file; empty = console only"));
        k.put("log.max_size", new Key("10MB", "size at which the log file rolls"));
        k.put("log.backups", new Key("5", "rolled log files kept"));
        k.put("log.level", new Key("info", "trace, debug, info, warn, error"));
        KEYS = Collections.unmodifiableMap(k);
    }

    private final Map<String, String> values;
    private final EdgeConfig typed;

    private RuntimeConfig(Map<String, String> values) {
        this.values = values;
        this.typed = EdgeConfig.parse(this);
    }

    /**
     * @param file      properties file, or null for defaults only
     * @param env       the environment (System.getenv())
     * @param overrides command-line {@code key=value} settings
     */
    public static RuntimeConfig load(Path file, Map<String, String> env, Map<String, String> overrides)
            throws IOException {
        Map<String, String> v = new TreeMap<>();
        KEYS.forEach((key, d) -> v.put(key, d.defaultValue()));
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("configuration file not found: " + file);
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IllegalArgumentException e) { // a malformed unicode escape: Properties names neither file nor line
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            for (String key : p.stringPropertyNames()) {
                put(v, key, p.getProperty(key).trim(), file.toString());
            }
        }
        for (String key : KEYS.keySet()) {
            String e = env.get(envName(key));
            if (e != null) {
                put(v, key, e.trim(), "environment " + envName(key));
            }
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            put(v, o.getKey(), o.getValue().trim(), "--set");
        }
        return new RuntimeConfig(v); // parses and validates every value
    }

    public static String envName(String key) {
        return "PNN_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static void put(Map<String, String> v, String key, String value, String source) {
        if (!KEYS.containsKey(key)) {
            throw new IllegalArgumentException(source + ": unknown configuration key '" + key + "' (known: "
                    + String.join(", ", KEYS.keySet()) + ")");
        }
        v.put(key, value);
    }

    /** Every value, parsed and validated. */
    public EdgeConfig typed() {
        return typed;
    }

    String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown configuration key '" + key + "'");
        }
        return v;
    }

    Optional<String> optional(String key) {
        String v = get(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    Duration duration(String key) {
        try {
            Duration d = Duration.parse(get(key));
            if (d.isNegative()) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT10S or PT1H, got '"
                    + get(key) + "'");
        }
    }

    long integer(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + get(key) + "'");
        }
    }

    double number(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + get(key) + "'");
        }
    }

    boolean bool(String key) {
        String v = get(key);
        if (v.isEmpty()) {
            return false; // an empty value (e.g. PNN_OTA_ALLOW_DOWNGRADE=) has always meant off here
        }
        return Flags.parseBoolean(key, v); // the same words as device URIs and CLI flags
    }

    Optional<Path> path(String key) {
        try {
            return optional(key).map(Path::of);
        } catch (InvalidPathException e) { // e.g. a NUL character: name the key, as every other refusal does
            throw new IllegalArgumentException(key + " is not a valid path (" + e.getMessage() + ")", e);
        }
    }

    /** All effective values (passwords masked), for `pnn run --print-config` and the status topic. */
    public Map<String, String> effective() {
        Map<String, String> m = new TreeMap<>(values);
        if (!m.get("mqtt.password").isEmpty()) {
            m.put("mqtt.password", "****");
        }
        return m;
    }
}
