package org.pnnedge.runtime.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The topic scheme (documented with payloads, QoS and retain flags in {@code src/site/markdown/mqtt.md}).
 * With prefix {@code pnn}, device {@code pi-7} and fleet {@code lab}:
 *
 * <pre>
 * pnn/pi-7/status               device → retained online/offline (last will)          QoS 1, retained
 * pnn/pi-7/telemetry            device → every N s                                     QoS 1, outbox
 * pnn/pi-7/recal                device → recalibration reports                         QoS 1, outbox
 * pnn/pi-7/ota/status           device → OTA progress and result                       QoS 1, retained, outbox
 * pnn/pi-7/ota/bundle           → device: signed model bundle (bytes)                  QoS 1
 * pnn/fleet/lab/ota/bundle      → every device of the fleet                            QoS 1
 * pnn/pi-7/infer/request        → device: JSON features (MQTT 5 response topic + correlation data)  QoS 0
 * pnn/pi-7/infer/response       device → default reply topic when a request names none  QoS 0
 * pnn/fleet/lab/infer/request   → one device of the fleet (shared subscription $share/pnn-lab/…)   QoS 0
 * pnn/pi-7/cmd/&lt;name&gt;          → device: commands (recalibrate, status)                QoS 1
 * pnn/fleet/lab/cmd/&lt;name&gt;     → every device of the fleet                             QoS 1
 * homeassistant/sensor/pi-7/&lt;object&gt;/config   Home Assistant discovery (retained)
 * </pre>
 *
 * <p>{@code fleet} is reserved as a device id so that device and fleet topics never collide.
 */
public final class Topics {
    /** Segment rule for device and fleet ids: safe in topics, Home Assistant object ids and file names. */
    static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    private final String prefix;
    private final String deviceId;
    private final Optional<String> fleetId;
    private final String base;

    /**
     * @throws IllegalArgumentException when the prefix or an id is not a valid topic segment
     */
    public Topics(String prefix, String deviceId, Optional<String> fleetId) {
        Objects.requireNonNull(fleetId, "fleetId");
        List<String> errors = new ArrayList<>();
        checkPrefix("topic prefix", prefix, errors);
        checkSegment("deviceId", deviceId, errors);
        fleetId.ifPresent(f -> checkSegment("fleetId", f, errors));
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        this.prefix = prefix;
        this.deviceId = deviceId;
        this.fleetId = fleetId;
        this.base = prefix + "/" + deviceId + "/";
    }

    public String prefix() { return prefix; }
    public String deviceId() { return deviceId; }
    public Optional<String> fleetId() { return fleetId; }

    /** Retained online/offline status; also the last will. */
    public String status() { return base + "status"; }
    /** Periodic telemetry. */
    public String telemetry() { return base + "telemetry"; }
    /** Recalibration reports. */
    public String recal() { return base + "recal"; }
    /** What the device heard: one event per vowel a local listener asked the service to publish. */
    public String heard() { return base + "heard"; }
    /** OTA progress and results (retained: the latest state). */
    public String otaStatus() { return base + "ota/status"; }
    /** Model bundles for this device. */
    public String otaBundle() { return base + "ota/bundle"; }
    /** Model bundles for the whole fleet, when a fleet id is set. */
    public Optional<String> fleetOtaBundle() { return fleetId.map(f -> fleetBase(f) + "ota/bundle"); }
    /** Inference requests for this device. */
    public String inferRequest() { return base + "infer/request"; }
    /**
     * Whether a requester may have replies sent to {@code topic}: not under this device's own topics or its fleet's
     * (a response topic of {@code .../cmd/recalibrate} would make the device command itself, one of
     * {@code .../ota/status} would overwrite its state), except the default {@link #inferResponse()} and topics below
     * it ({@code <p>/<d>/infer/response/<requester>}: under the broker ACLs of mqtt.md a device may publish only under
     * its own prefix, so that is where requesters ask for replies).
     */
    public boolean acceptableResponseTopic(String topic) {
        if (topic.equals(inferResponse()) || topic.startsWith(inferResponse() + "/")) {
            return true;
        }
        if (topic.startsWith(base)) {
            return false;
        }
        return fleetId.map(f -> !topic.startsWith(fleetBase(f))).orElse(true);
    }

    /** Where replies go when a request carries no MQTT 5 response topic. */
    public String inferResponse() { return base + "infer/response"; }
    /** Inference requests for any one device of the fleet (published to by clients). */
    public Optional<String> fleetInferRequest() { return fleetId.map(f -> fleetBase(f) + "infer/request"); }
    /**
     * The shared subscription devices use for {@link #fleetInferRequest()}: the broker hands each request to
     * one device of the group only.
     */
    public Optional<String> fleetInferRequestShared() {
        return fleetId.map(f -> "$share/pnn-" + f + "/" + fleetBase(f) + "infer/request");
    }
    /** A command topic for this device, e.g. {@code command("recalibrate")}. */
    public String command(String name) {
        List<String> errors = new ArrayList<>();
        checkSegment("command name", name, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.get(0));
        }
        return base + "cmd/" + name;
    }
    /** Subscription filter for this device's commands. */
    public String commandFilter() { return base + "cmd/+"; }
    /** Subscription filter for the fleet's commands. */
    public Optional<String> fleetCommandFilter() { return fleetId.map(f -> fleetBase(f) + "cmd/+"); }

    /**
     * A Home Assistant discovery config topic: {@code <discoveryPrefix>/<component>/<deviceId>/<objectId>/config}.
     */
    public String homeAssistantConfig(String discoveryPrefix, String component, String objectId) {
        return discoveryPrefix + "/" + component + "/" + deviceId + "/" + objectId + "/config";
    }

    /** What kind of inbound topic {@code topic} is, for routing. */
    enum Inbound { INFER_REQUEST, FLEET_INFER_REQUEST, OTA_BUNDLE, FLEET_OTA_BUNDLE, COMMAND, FLEET_COMMAND, OTHER }

    Inbound classify(String topic) {
        if (topic.equals(inferRequest())) {
            return Inbound.INFER_REQUEST;
        }
        if (topic.equals(otaBundle())) {
            return Inbound.OTA_BUNDLE;
        }
        if (topic.startsWith(base + "cmd/") && topic.indexOf('/', base.length() + 4) < 0) {
            return Inbound.COMMAND;
        }
        if (fleetId.isPresent()) {
            String fb = fleetBase(fleetId.get());
            if (topic.equals(fb + "infer/request")) {
                return Inbound.FLEET_INFER_REQUEST;
            }
            if (topic.equals(fb + "ota/bundle")) {
                return Inbound.FLEET_OTA_BUNDLE;
            }
            if (topic.startsWith(fb + "cmd/") && topic.indexOf('/', fb.length() + 4) < 0) {
                return Inbound.FLEET_COMMAND;
            }
        }
        return Inbound.OTHER;
    }

    /** The last topic level. */
    static String lastLevel(String topic) {
        return topic.substring(topic.lastIndexOf('/') + 1);
    }

    private String fleetBase(String f) {
        return prefix + "/fleet/" + f + "/";
    }

    static void checkSegment(String what, String v, List<String> errors) {
        if (v == null || v.isEmpty()) {
            errors.add(what + " is required");
        } else if (v.contains("+") || v.contains("#") || v.contains("/")) {
            errors.add(what + " '" + v + "' must not contain the MQTT topic characters '+', '#' or '/'");
        } else if (v.length() > 64) {
            errors.add(what + " '" + v + "' is " + v.length() + " characters long; at most 64");
        } else if (!SEGMENT.matcher(v).matches()) {
            errors.add(what + " '" + v + "' may only contain A-Z a-z 0-9 _ . - and must start with a letter or digit");
        } else if (what.equals("deviceId") && v.equals("fleet")) {
            errors.add("deviceId 'fleet' is reserved (fleet topics are <prefix>/fleet/<fleetId>/...)");
        }
    }

    static void checkPrefix(String what, String v, List<String> errors) {
        if (v == null || v.isEmpty()) {
            errors.add(what + " is required");
        } else if (v.contains("+") || v.contains("#")) {
            errors.add(what + " '" + v + "' must not contain the MQTT wildcards '+' or '#'");
        } else if (v.startsWith("$")) {
            errors.add(what + " '" + v + "' must not start with '$' (reserved for broker topics)");
        } else if (!PREFIX.matcher(v).matches()) {
            errors.add(what + " '" + v + "' must be one or more '/'-separated levels of A-Z a-z 0-9 _ . -"
                    + " without leading, trailing or doubled '/'");
        }
    }

    @Override
    public String toString() {
        return "Topics[" + base + "*" + fleetId.map(f -> ", " + fleetBase(f) + "*").orElse("") + "]";
    }
}
