package org.pnnedge.runtime.service;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.pnnedge.bridge.Flags;

/**
 * Configuration of the edge service: a properties file, overridden by environment variables
 * ({@code PNN_} + key upper-cased with dots as underscores, e.g. {@code PNN_MQTT_BROKER}), overridden by
 * command-line {@code --set key=value}. Every key, its default and meaning is listed in {@link #KEYS} (and in
 * runtime.md). Unknown keys are errors, so a typo never silently falls back to a default.
 */
public final class RuntimeConfig {
    /** Key → (default, description). Order is the documentation order. */
    public static final Map<String, String[]> KEYS;

    static {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put("device.uri", new String[] {"spi:0.0?ready=24&reset=25", "device URI (spi:, tcp://, emulator:)"});
        k.put("device.id", new String[] {"", "device id used in MQTT topics; empty = the device's serial number"});
        k.put("state.dir", new String[] {"/var/lib/pnn-edge", "bundle store, recalibration state, outbox, control socket"});
        k.put("bundle.initial", new String[] {"", "bundle installed when the store is empty (e.g. the shipped default)"});
        k.put("bundle.trusted_keys", new String[] {"/etc/pnn-edge/keys", "public key file or directory of *.pub trusted to sign bundles"});
        k.put("bundle.allow_development_keys", new String[] {"false", "accept bundles signed by a development key"});
        k.put("bundle.max_bytes", new String[] {"16777216", "largest bundle accepted"});
        k.put("ota.allow_downgrade", new String[] {"false", "accept bundles older than the active one"});
        k.put("ota.canary", new String[] {"", "optional labelled CSV every new bundle must classify well enough"});
        k.put("ota.canary_min_accuracy", new String[] {"0.8", "accuracy the canary set must reach"});
        k.put("mqtt.broker", new String[] {"", "broker URI (tcp://host:1883, ssl://host:8883); empty = no MQTT"});
        k.put("mqtt.client_id", new String[] {"", "MQTT client id; empty = pnn-<device id>"});
        k.put("mqtt.username", new String[] {"", "user name (with mqtt.password)"});
        k.put("mqtt.password", new String[] {"", "password; prefer the environment variable PNN_MQTT_PASSWORD"});
        k.put("mqtt.ca_file", new String[] {"", "PEM CA certificate(s) to verify the broker (ssl://)"});
        k.put("mqtt.client_cert", new String[] {"", "PEM client certificate for mutual TLS"});
        k.put("mqtt.client_key", new String[] {"", "PEM private key of the client certificate"});
        k.put("mqtt.topic_prefix", new String[] {"pnn", "first topic level"});
        k.put("mqtt.fleet", new String[] {"", "fleet id: also take OTA bundles from <prefix>/fleet/<fleet>/ota/bundle"});
        k.put("mqtt.home_assistant", new String[] {"false", "publish Home Assistant MQTT discovery"});
        k.put("telemetry.interval", new String[] {"PT10S", "telemetry period (ISO-8601 duration)"});
        k.put("outbox.max_messages", new String[] {"10000", "messages kept on disk while the broker is away; oldest dropped beyond"});
        k.put("recal.interval", new String[] {"PT1H", "periodic recalibration (ISO-8601 duration; PT0S = only on command)"});
        k.put("recal.budget", new String[] {"PT20S", "time budget of the twin refit"});
        k.put("watchdog.timeout", new String[] {"PT5S", "an inference stuck this long resets the device and reloads parameters"});
        k.put("log.file", new String[] {"", "rolling log file; empty = console only"});
        k.put("log.max_size", new String[] {"10MB", "size at which the log file rolls"});
        k.put("log.backups", new String[] {"5", "rolled log files kept"});
        k.put("log.level", new String[] {"info", "trace, debug, info, warn, error"});
        KEYS = Collections.unmodifiableMap(k);
    }

    private final Map<String, String> values;

    private RuntimeConfig(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param file      properties file, or null for defaults only
     * @param env       the environment (System.getenv())
     * @param overrides command-line {@code key=value} settings
     */
    public static RuntimeConfig load(Path file, Map<String, String> env, Map<String, String> overrides)
            throws IOException {
        Map<String, String> v = new TreeMap<>();
        KEYS.forEach((key, d) -> v.put(key, d[0]));
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("configuration file not found: " + file);
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
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
        RuntimeConfig c = new RuntimeConfig(v);
        c.validate();
        return c;
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

    private void validate() {
        for (String d : new String[] {"telemetry.interval", "recal.interval", "recal.budget", "watchdog.timeout"}) {
            duration(d);
        }
        integer("bundle.max_bytes");
        integer("outbox.max_messages");
        integer("log.backups");
        number("ota.canary_min_accuracy");
        bool("bundle.allow_development_keys");
        bool("ota.allow_downgrade");
        bool("mqtt.home_assistant");
        if (!get("device.id").matches("[A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("device.id may only contain letters, digits, '_', '.', '-': '"
                    + get("device.id") + "'");
        }
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown configuration key '" + key + "'");
        }
        return v;
    }

    public String getOrNull(String key) {
        String v = get(key);
        return v.isEmpty() ? null : v;
    }

    public Duration duration(String key) {
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

    public long integer(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + get(key) + "'");
        }
    }

    public double number(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + get(key) + "'");
        }
    }

    public boolean bool(String key) {
        String v = get(key);
        if (v.isEmpty()) {
            return false; // an empty value (e.g. PNN_OTA_ALLOW_DOWNGRADE=) has always meant off here
        }
        return Flags.parseBoolean(key, v); // the same words as device URIs and CLI flags
    }

    public Path path(String key) {
        String v = getOrNull(key);
        return v == null ? null : Path.of(v);
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
