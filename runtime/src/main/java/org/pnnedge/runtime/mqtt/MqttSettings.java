package org.pnnedge.runtime.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the MQTT link needs, validated. Only {@link #builder()} makes instances, and
 * {@link Builder#build()} rejects inconsistent settings with one {@link IllegalArgumentException} that lists
 * every problem found.
 *
 * @param brokerUri          {@code tcp://host:port} or {@code ssl://host:port} ({@code mqtt://} and {@code mqtts://}
 *                           are accepted as aliases and normalised); default ports 1883 / 8883
 * @param clientId           MQTT client identifier; default {@code pnn-<deviceId>}
 * @param deviceId           this device's topic segment
 * @param topicPrefix        first topic level(s); default {@code pnn}
 * @param fleetId            optional fleet this device belongs to (fleet OTA and fleet inference topics)
 * @param username           optional user name
 * @param password           optional password (MQTT 5 allows it without a user name)
 * @param tls                TLS settings; present exactly when the URI is {@code ssl://}
 * @param reconnect          keep-alive, connection timeout, session expiry and reconnect back-off
 * @param outbox             the disk-backed outbox: directory, bounds, PUBACK timeout
 * @param telemetryInterval  period of {@link MqttLink#startTelemetry}
 * @param maxPendingRequests inference requests queued for the handler before new ones are answered "busy"
 * @param homeAssistant      Home Assistant MQTT discovery
 * @param failoverUris       more nodes of the same broker cluster, tried after {@code brokerUri} on every connect
 *                           (Paho's serverURIs) in this device's {@link FailoverOrder}; same scheme as
 *                           {@code brokerUri}, empty for one broker
 * @param maxPacketBytes     the MQTT 5 Maximum Packet Size announced in CONNECT: the broker never sends this device a
 *                           bigger packet, so Paho never allocates one (the service derives it from
 *                           {@code bundle.max_bytes} plus {@link #PACKET_MARGIN}); default 16 MiB plus the margin
 */
public record MqttSettings(String brokerUri, String clientId, String deviceId, String topicPrefix,
                           Optional<String> fleetId, Optional<String> username, Optional<String> password,
                           Optional<Tls> tls, Reconnect reconnect, Outbox outbox, Duration telemetryInterval,
                           int maxPendingRequests, HomeAssistant homeAssistant, List<String> failoverUris,
                           long maxPacketBytes) {
    /** Room for topic, properties and header beside a payload of the largest accepted bundle. */
    public static final long PACKET_MARGIN = 64 * 1024;

    /**
     * Connection upkeep.
     *
     * @param keepAlive      MQTT keep-alive (whole seconds, 0 … 65535 s)
     * @param connectTimeout how long one connection attempt may take
     * @param sessionExpiry  how long the broker keeps this device's session (subscriptions, queued QoS 1
     *                       messages) while it is offline
     * @param minDelay       first back-off after a failed or lost connection; doubled up to the max
     * @param maxDelay       longest back-off between connection attempts
     */
    public record Reconnect(Duration keepAlive, Duration connectTimeout, Duration sessionExpiry, Duration minDelay,
                            Duration maxDelay) {
    }

    /**
     * The disk-backed outbox.
     *
     * @param dir            directory (created when missing)
     * @param maxMessages    bound in messages
     * @param maxBytes       bound in bytes (sum of the message files)
     * @param publishTimeout how long a message may wait for its PUBACK before it is retried
     */
    public record Outbox(Path dir, int maxMessages, long maxBytes, Duration publishTimeout) {
    }

    /**
     * Home Assistant MQTT discovery.
     *
     * @param enabled         publish discovery configs on connect
     * @param discoveryPrefix discovery topic prefix; default {@code homeassistant}
     */
    public record HomeAssistant(boolean enabled, String discoveryPrefix) {
    }

    /**
     * TLS settings.
     *
     * @param caFile         PEM file with the CA certificate(s) that sign the broker's certificate; empty = the
     *                       JVM's default trust store (public CAs)
     * @param clientCertFile PEM client certificate (chain) for mutual TLS; together with {@code clientKeyFile}
     * @param clientKeyFile  PEM private key (unencrypted PKCS#8 "PRIVATE KEY", or PKCS#1 "RSA PRIVATE KEY")
     * @param verifyHostname check that the broker's certificate names the host in the URI (default true)
     */
    public record Tls(Optional<Path> caFile, Optional<Path> clientCertFile, Optional<Path> clientKeyFile,
                      boolean verifyHostname) {
        public Tls {
            Objects.requireNonNull(caFile, "caFile");
            Objects.requireNonNull(clientCertFile, "clientCertFile");
            Objects.requireNonNull(clientKeyFile, "clientKeyFile");
        }

        /** True when a client certificate is configured (mutual TLS). */
        public boolean mutual() {
            return clientCertFile.isPresent();
        }
    }

    /** Compact canonical constructor: only null checks; the builder does the real validation. */
    public MqttSettings {
        Objects.requireNonNull(brokerUri, "brokerUri");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(fleetId, "fleetId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(homeAssistant, "homeAssistant");
        failoverUris = List.copyOf(failoverUris);
    }

    /**
     * What the link tries on every connect, in order: {@code brokerUri}, then the failover URIs rotated by the device
     * id ({@link FailoverOrder}), so the devices of a node that dies spread over the others.
     */
    public List<String> serverUris() {
        List<String> all = new ArrayList<>(List.of(brokerUri));
        all.addAll(FailoverOrder.of(deviceId, failoverUris));
        return all;
    }

    /** True for an {@code ssl://} broker. */
    public boolean usesTls() {
        return brokerUri.startsWith("ssl://");
    }

    /** The topic scheme these settings imply. */
    public Topics topics() {
        return new Topics(topicPrefix, deviceId, fleetId);
    }

    @Override
    public String toString() { // never print the password
        return "MqttSettings[broker=" + String.join(",", serverUris()) + ", clientId=" + clientId + ", deviceId=" + deviceId
                + ", prefix=" + topicPrefix + ", fleet=" + fleetId.orElse("-") + ", user=" + username.orElse("-")
                + ", password=" + (password.isPresent() ? "***" : "-") + ", tls=" + tls.map(Tls::toString).orElse("off")
                + ", outbox=" + outbox.dir() + " (" + outbox.maxMessages() + " msgs / " + outbox.maxBytes() + " B)"
                + ", telemetry every " + telemetryInterval + ", homeAssistant=" + homeAssistant.enabled() + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; {@link #build()} validates everything at once. */
    public static final class Builder {
        private String brokerUri;
        private String clientId;
        private String deviceId;
        private String topicPrefix = "pnn";
        private String fleetId;
        private String username;
        private String password;
        private Path caFile;
        private Path clientCertFile;
        private Path clientKeyFile;
        private boolean verifyHostname = true;
        private Duration keepAlive = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration sessionExpiry = Duration.ofHours(1);
        private Duration reconnectMinDelay = Backoff.DEFAULT.first();
        private Duration reconnectMaxDelay = Backoff.DEFAULT.max();
        private Duration publishTimeout = Duration.ofSeconds(30);
        private Duration telemetryInterval = Duration.ofSeconds(10);
        private Path outboxDir;
        private int outboxMaxMessages = 10_000;
        private long outboxMaxBytes = 64L * 1024 * 1024;
        private int maxPendingRequests = 64;
        private boolean homeAssistant;
        private String discoveryPrefix = "homeassistant";
        private List<String> failoverUris = List.of();
        private long maxPacketBytes = 16L * 1024 * 1024 + PACKET_MARGIN;

        private Builder() {
        }

        public Builder brokerUri(String v) { brokerUri = v; return this; }
        public Builder clientId(String v) { clientId = v; return this; }
        public Builder deviceId(String v) { deviceId = v; return this; }
        public Builder topicPrefix(String v) { topicPrefix = v; return this; }
        public Builder fleetId(String v) { fleetId = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder password(String v) { password = v; return this; }
        /** PEM CA file for server verification (implies TLS; the URI must be {@code ssl://}). */
        public Builder caFile(Path v) { caFile = v; return this; }
        /** PEM client certificate and key for mutual TLS. */
        public Builder clientCertificate(Path certFile, Path keyFile) {
            clientCertFile = certFile;
            clientKeyFile = keyFile;
            return this;
        }
        public Builder verifyHostname(boolean v) { verifyHostname = v; return this; }
        public Builder keepAlive(Duration v) { keepAlive = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder sessionExpiry(Duration v) { sessionExpiry = v; return this; }
        public Builder reconnectDelay(Duration min, Duration max) {
            reconnectMinDelay = min;
            reconnectMaxDelay = max;
            return this;
        }
        public Builder publishTimeout(Duration v) { publishTimeout = v; return this; }
        public Builder telemetryInterval(Duration v) { telemetryInterval = v; return this; }
        public Builder outboxDir(Path v) { outboxDir = v; return this; }
        public Builder outboxMaxMessages(int v) { outboxMaxMessages = v; return this; }
        public Builder outboxMaxBytes(long v) { outboxMaxBytes = v; return this; }
        public Builder maxPendingRequests(int v) { maxPendingRequests = v; return this; }
        public Builder homeAssistant(boolean v) { homeAssistant = v; return this; }
        public Builder discoveryPrefix(String v) { discoveryPrefix = v; return this; }
        /** More nodes of the same cluster, tried in order after the broker URI (same scheme). */
        public Builder failoverUris(List<String> v) { failoverUris = List.copyOf(v); return this; }
        /** The largest packet the broker may send: the largest accepted bundle plus {@link #PACKET_MARGIN}. */
        public Builder maxPacketBytes(long v) { maxPacketBytes = v; return this; }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException listing every invalid or inconsistent setting
         */
        public MqttSettings build() {
            List<String> errors = new ArrayList<>();
            String uri = normaliseUri(brokerUri, errors);
            List<String> failover = new ArrayList<>();
            for (String f : failoverUris) {
                String n = normaliseUri(f, errors);
                if (n != null && uri != null && !n.regionMatches(0, uri, 0, 6)) {
                    errors.add("failover broker " + n + " must use the scheme of " + uri + " (one TLS setting serves all)");
                } else if (n != null && (n.equals(uri) || failover.contains(n))) {
                    errors.add("broker " + n + " is listed twice");
                } else if (n != null) {
                    failover.add(n);
                }
            }

            checkIdentity(errors);
            boolean ssl = uri != null && uri.startsWith("ssl://");
            checkTls(uri, ssl, errors);
            checkLimits(errors);

            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid MQTT settings: " + String.join("; ", errors));
            }
            String cid = clientId();
            Optional<Tls> tls = ssl
                    ? Optional.of(new Tls(Optional.ofNullable(caFile), Optional.ofNullable(clientCertFile),
                    Optional.ofNullable(clientKeyFile), verifyHostname))
                    : Optional.empty();
            return new MqttSettings(uri, cid, deviceId, topicPrefix, Optional.ofNullable(fleetId),
                    Optional.ofNullable(username), Optional.ofNullable(password), tls,
                    new Reconnect(keepAlive, connectTimeout, sessionExpiry, reconnectMinDelay, reconnectMaxDelay),
                    new Outbox(outboxDir, outboxMaxMessages, outboxMaxBytes, publishTimeout), telemetryInterval,
                    maxPendingRequests, new HomeAssistant(homeAssistant, discoveryPrefix), failover,
                    maxPacketBytes);
        }

        private String clientId() {
            return clientId != null ? clientId : (deviceId == null ? "" : "pnn-" + deviceId);
        }

        /** Device and fleet ids, topic prefixes, client id, user name. */
        private void checkIdentity(List<String> errors) {
            if (deviceId == null || deviceId.isEmpty()) {
                errors.add("deviceId is required");
            } else {
                Topics.checkSegment("deviceId", deviceId, errors);
            }
            if (fleetId != null) {
                Topics.checkSegment("fleetId", fleetId, errors);
            }
            Topics.checkPrefix("topicPrefix", topicPrefix, errors);
            Topics.checkPrefix("discoveryPrefix", discoveryPrefix, errors);

            String cid = clientId();
            if (clientId != null && clientId.isBlank()) {
                errors.add("clientId must not be blank (leave it unset for pnn-<deviceId>)");
            } else if (cid.length() > 256) {
                errors.add("clientId is longer than 256 characters");
            }
            if (username != null && username.isEmpty()) {
                errors.add("username must not be empty (leave it unset for anonymous access)");
            }
        }

        /** TLS files only with ssl://, certificate and key together, all readable. */
        private void checkTls(String uri, boolean ssl, List<String> errors) {
            boolean tlsFiles = caFile != null || clientCertFile != null || clientKeyFile != null;
            if (tlsFiles && uri != null && !ssl) {
                errors.add("TLS files (CA / client certificate) are set but brokerUri " + uri
                        + " is not ssl://; use ssl://host:8883");
            }
            if ((clientCertFile == null) != (clientKeyFile == null)) {
                errors.add("mutual TLS needs both a client certificate and its private key (got "
                        + (clientCertFile == null ? "only the key" : "only the certificate") + ")");
            }
            checkReadable("caFile", caFile, errors);
            checkReadable("client certificate", clientCertFile, errors);
            checkReadable("client key", clientKeyFile, errors);
        }

        /** Timings within range, the outbox directory and bounds, the request queue. */
        private void checkLimits(List<String> errors) {
            checkDuration("keepAlive", keepAlive, Duration.ZERO, Duration.ofSeconds(65535), errors);
            checkDuration("connectTimeout", connectTimeout, Duration.ofMillis(100), Duration.ofMinutes(10), errors);
            checkDuration("sessionExpiry", sessionExpiry, Duration.ZERO, Duration.ofSeconds(0xFFFFFFFFL), errors);
            checkDuration("reconnect min delay", reconnectMinDelay, Duration.ofMillis(10), Duration.ofHours(1), errors);
            checkDuration("reconnect max delay", reconnectMaxDelay, Duration.ofMillis(10), Duration.ofHours(1), errors);
            if (reconnectMinDelay != null && reconnectMaxDelay != null
                    && reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
                errors.add("reconnect max delay " + reconnectMaxDelay + " is shorter than the min delay "
                        + reconnectMinDelay);
            }
            checkDuration("publishTimeout", publishTimeout, Duration.ofMillis(100), Duration.ofHours(1), errors);
            checkDuration("telemetryInterval", telemetryInterval, Duration.ofMillis(100), Duration.ofDays(1), errors);

            if (outboxDir == null) {
                errors.add("outboxDir is required (a writable directory, e.g. /var/lib/pnn/outbox)");
            } else if (Files.exists(outboxDir) && !Files.isDirectory(outboxDir)) {
                errors.add("outboxDir " + outboxDir + " exists and is not a directory");
            }
            if (outboxMaxMessages < 1) {
                errors.add("outboxMaxMessages must be at least 1, got " + outboxMaxMessages);
            }
            if (outboxMaxBytes < 1024) {
                errors.add("outboxMaxBytes must be at least 1024, got " + outboxMaxBytes);
            }
            if (maxPendingRequests < 1) {
                errors.add("maxPendingRequests must be at least 1, got " + maxPendingRequests);
            }
            // MQTT 5: 1 … 268 435 455 (the largest remaining length plus header); below 4 KiB not even a status fits
            if (maxPacketBytes < 4096 || maxPacketBytes > 268_435_460L) {
                errors.add("maxPacketBytes must be 4096 … 268435460, got " + maxPacketBytes);
            }
        }

        private static String normaliseUri(String s, List<String> errors) {
            if (s == null || s.isBlank()) {
                errors.add("brokerUri is required (tcp://host:1883 or ssl://host:8883)");
                return null;
            }
            URI u;
            try {
                u = new URI(s.trim());
            } catch (URISyntaxException e) {
                errors.add("brokerUri '" + s + "' is not a URI: " + e.getMessage());
                return null;
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            String norm = switch (scheme) {
                case "tcp", "mqtt" -> "tcp";
                case "ssl", "mqtts", "tls" -> "ssl";
                default -> null;
            };
            if (norm == null) {
                errors.add("brokerUri '" + s + "' must start with tcp:// or ssl:// (mqtt:// and mqtts:// also work)");
                return null;
            }
            if (u.getHost() == null || u.getHost().isEmpty()) {
                errors.add("brokerUri '" + s + "' has no host");
                return null;
            }
            if ((u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")) || u.getQuery() != null) {
                errors.add("brokerUri '" + s + "' must not have a path or query");
                return null;
            }
            int port = u.getPort() >= 0 ? u.getPort() : (norm.equals("ssl") ? 8883 : 1883);
            if (port < 1 || port > 65535) {
                errors.add("brokerUri '" + s + "' port out of range");
                return null;
            }
            String host = u.getHost();
            return norm + "://" + host + ":" + port;
        }

        private static void checkReadable(String what, Path p, List<String> errors) {
            if (p != null && !Files.isReadable(p)) {
                errors.add(what + " " + p + " is not a readable file");
            }
        }

        private static void checkDuration(String what, Duration d, Duration min, Duration max, List<String> errors) {
            if (d == null) {
                errors.add(what + " is required");
            } else if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                errors.add(what + " must be between " + min + " and " + max + ", got " + d);
            }
        }
    }
}
