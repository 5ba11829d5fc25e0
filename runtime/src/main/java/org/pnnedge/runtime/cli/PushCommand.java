package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.BundleInspection;
import org.pnnedge.models.bundle.BundleReader;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.runtime.mqtt.Topics;
import org.pnnedge.runtime.ota.OtaStatus;
import org.pnnedge.runtime.ota.UpdateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "push", description = {
        "Publish a signed model bundle to a device (or a fleet) over MQTT and wait for the device's verdict.",
        "The bundle goes to <prefix>/<device>/ota/bundle (or <prefix>/fleet/<fleet>/ota/bundle) with QoS 1; every",
        "status the device reports on <prefix>/<device>/ota/status is printed. See ota.md.",
        "Exit codes: 0 SWITCHED (the new bundle serves); 4 REJECTED or ROLLED_BACK (the reason is printed; the old",
        "bundle keeps serving); 3 no final status within --timeout, or the broker cannot be reached; 2 bad usage."})
final class PushCommand implements Callable<Integer> {
    static final int EXIT_NO_OUTCOME = 3;

    @Option(names = "--bundle", required = true, paramLabel = "BUNDLE", description = "The signed bundle (.pnnb).")
    Path bundle;

    @Option(names = "--device", required = true, paramLabel = "ID",
            description = "Device id (its topic segment); its status topic is watched for the outcome.")
    String device;

    @Option(names = "--broker", required = true, paramLabel = "URI",
            description = "MQTT broker, e.g. tcp://broker:1883 or ssl://broker:8883 (mqtt:// and mqtts:// work too).")
    String broker;

    @Option(names = "--fleet", paramLabel = "ID",
            description = "Publish to the whole fleet's topic instead; the outcome is still read from --device.")
    String fleet;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for the final status, e.g. 90s, 5m (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--allow-downgrade",
            description = "Ask the device to accept a version that is not newer than the active one (sets the "
                    + "allow-downgrade property). The device ignores it unless its own ota.allow_downgrade=true.")
    boolean allowDowngrade;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "pnn",
            description = "First topic level(s) (default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--update-id", paramLabel = "ID", description = "Id of this update (default: a random UUID).")
    String updateId;

    @Option(names = "--username", paramLabel = "USER", description = "Broker user name.")
    String username;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Broker password.")
    String password;

    @Option(names = "--no-check", description = "Publish even if the bundle does not look intact locally "
            + "(to test a device's rejection paths).")
    boolean noCheck;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws BundleException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration wait = parseDuration(timeout);
        String brokerUri = checkedBroker(broker);
        try { // the topics' rules, as the device applies them to its own id and fleet
            new Topics(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix, device,
                    Optional.ofNullable(fleet));
        } catch (IllegalArgumentException e) {
            throw new CliException("--device, --fleet or --prefix is not a valid MQTT topic level: " + e.getMessage());
        }
        byte[] bytes = readBundle(out);
        String id = updateId == null || updateId.isBlank() ? UUID.randomUUID().toString() : updateId;
        String base = prefix.endsWith("/") ? prefix : prefix + "/";
        String bundleTopic = fleet == null ? base + device + "/ota/bundle" : base + "fleet/" + fleet + "/ota/bundle";
        String statusTopic = base + device + "/ota/status";
        BlockingQueue<byte[]> statuses = new LinkedBlockingQueue<>();
        MqttClient client = null;
        try {
            client = connect(brokerUri, id, statuses);
            client.subscribe(statusTopic, 1); // before publishing, so no status can be missed
            client.publish(bundleTopic, message(bytes, id));
            out.printf("published   %d bytes to %s (update %s); waiting up to %ds for %s%n", bytes.length,
                    bundleTopic, id, wait.toSeconds(), statusTopic);
            out.flush();
            return await(statuses, id, wait, out, err);
        } catch (MqttException e) {
            err.println("pnn: MQTT: " + e.getMessage() + " (broker " + broker + ")");
            return EXIT_NO_OUTCOME;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("pnn: interrupted");
            return EXIT_NO_OUTCOME;
        } finally {
            if (client != null) {
                try {
                    if (client.isConnected()) {
                        client.disconnect(2000);
                    }
                    client.close();
                } catch (MqttException e) {
                    // leaving anyway
                }
            }
        }
    }

    /** The bundle file, with an unverified look at it unless --no-check. */
    private byte[] readBundle(PrintWriter out) throws BundleException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(bundle);
        } catch (NoSuchFileException e) {
            throw new CliException("--bundle: no such file: " + bundle);
        } catch (IOException e) {
            throw FileProblem.unreadable("--bundle", bundle, e);
        }
        if (!noCheck) {
            // unverified look (the device has the trusted keys): catches the wrong file before it travels
            BundleInspection i = new BundleReader(Bundles.DEFAULT_MAX_BYTES).inspect(bytes);
            out.printf("bundle      %s %s, payload %s, key %s%n", i.manifest().modelId(), i.manifest().version(),
                    i.payloadSha256(), i.signed() ? i.keyId() : "(UNSIGNED: the device will refuse it)");
        }
        return bytes;
    }

    private MqttClient connect(String brokerUri, String id, BlockingQueue<byte[]> statuses) throws MqttException {
        MqttClient client = new MqttClient(brokerUri, "pnn-push-" + id.substring(0, Math.min(8, id.length()))
                + "-" + Long.toHexString(System.nanoTime() & 0xffffff), new MemoryPersistence());
        client.setCallback(new Inbox(statuses));
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(10);
        if (username != null) {
            o.setUserName(username);
        }
        if (password != null) {
            o.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            client.connect(o);
        } catch (MqttException e) {
            try {
                client.close();
            } catch (MqttException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return client;
    }

    /** The bundle as the device expects it: QoS 1, update id and downgrade permission as user properties. */
    private MqttMessage message(byte[] bytes, String id) {
        MqttMessage m = new MqttMessage(bytes);
        m.setQos(1);
        MqttProperties props = new MqttProperties();
        props.setUserProperties(List.of(new UserProperty(UpdateOptions.PROPERTY_UPDATE_ID, id),
                new UserProperty(UpdateOptions.PROPERTY_ALLOW_DOWNGRADE, Boolean.toString(allowDowngrade))));
        props.setContentType("application/vnd.pnn-bundle+json");
        m.setProperties(props);
        return m;
    }

    private int await(BlockingQueue<byte[]> statuses, String id, Duration wait, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            byte[] msg = left <= 0 ? null : statuses.poll(left, TimeUnit.NANOSECONDS);
            if (msg == null) {
                err.printf("pnn: no final status from %s within %ds: the device may be offline (a QoS 1 bundle "
                        + "waits in its session) or still testing; watch %s/%s/ota/status%n", device,
                        wait.toSeconds(), prefix, device);
                return EXIT_NO_OUTCOME;
            }
            OtaStatus s;
            try {
                s = OtaStatus.fromJson(msg);
            } catch (IllegalArgumentException e) {
                continue; // not a status of ours
            }
            if (!id.equals(s.updateId())) {
                continue; // e.g. the retained status of an earlier update
            }
            out.printf("%-11s %s%s%n", s.step().name().toLowerCase(Locale.ROOT).replace('_', '-'), s.message(),
                    s.reason() == null ? "" : " [" + s.reason() + "]");
            out.flush();
            if (s.isFinal()) {
                return s.step() == OtaStatus.Step.SWITCHED ? 0 : ErrorHandler.EXIT_BUNDLE;
            }
        }
    }

    /** Collects status payloads; everything else a callback can report is left to the timeout. */
    private static final class Inbox extends org.pnnedge.runtime.mqtt.MessageCallback {
        private final BlockingQueue<byte[]> statuses;

        Inbox(BlockingQueue<byte[]> statuses) {
            this.statuses = statuses;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            statuses.add(message.getPayload());
        }
    }

    static String brokerUri(String uri) {
        if (uri.startsWith("mqtt://")) {
            return "tcp://" + uri.substring(7);
        }
        if (uri.startsWith("mqtts://")) {
            return "ssl://" + uri.substring(8);
        }
        if (!uri.contains("://")) {
            return "tcp://" + uri + (uri.contains(":") ? "" : ":1883");
        }
        return uri;
    }

    /**
     * {@link #brokerUri}, refused here when it cannot name a broker: the MQTT client would answer a bad port with
     * "Untranslated MqttException - RC: 0" and an unknown scheme without naming --broker.
     */
    static String checkedBroker(String uri) {
        String u = brokerUri(uri);
        URI parsed;
        try {
            parsed = new URI(u);
        } catch (URISyntaxException e) {
            throw new CliException("--broker '" + uri + "' is not a URI: " + e.getReason());
        }
        if (!List.of("tcp", "ssl", "ws", "wss").contains(parsed.getScheme())) {
            throw new CliException("--broker '" + uri + "': unknown scheme '" + parsed.getScheme() + "' (use tcp://, "
                    + "ssl://, mqtt://, mqtts://, ws:// or wss://)");
        }
        if (parsed.getHost() == null || parsed.getPort() == 0 || parsed.getPort() > 65535) {
            throw new CliException("--broker '" + uri + "': expected SCHEME://host:port with a port in 1..65535");
        }
        return u;
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 500ms}, a plain number of seconds, or ISO-8601 {@code PT1M}. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return positive(Duration.parse(t.toUpperCase(Locale.ROOT)), text);
            }
            if (t.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim())), text);
            }
            char unit = t.charAt(t.length() - 1);
            if (Character.isDigit(unit)) {
                return positive(Duration.ofSeconds(Long.parseLong(t)), text);
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
            return positive(switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            }, text);
        } catch (NumberFormatException | java.time.format.DateTimeParseException | IndexOutOfBoundsException e) {
            throw new CliException("--timeout: '" + text + "' is not a duration (e.g. 60s, 5m, 1h, 500ms)");
        } catch (ArithmeticException e) { // more hours than a Duration holds
            throw new CliException("--timeout must be at most " + MAX_TIMEOUT.toHours() + "h, got " + text);
        }
    }

    /** The longest --timeout: a month; far more would overflow the nanosecond deadline of the wait. */
    static final Duration MAX_TIMEOUT = Duration.ofDays(30);

    private static Duration positive(Duration d, String text) {
        if (d.isNegative() || d.isZero()) {
            throw new CliException("--timeout must be positive, got " + text);
        }
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw new CliException("--timeout must be at most " + MAX_TIMEOUT.toHours() + "h, got " + text);
        }
        return d;
    }
}
