package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The device's MQTT 5 link: status with last will, telemetry/recal/OTA-status through a disk-backed outbox,
 * inference requests (MQTT 5 request/response), OTA bundle and command subscriptions, and optional Home
 * Assistant discovery. Topic scheme: {@link Topics}; protocol and QoS choices: {@code src/site/markdown/mqtt.md}.
 *
 * <p>Life cycle: {@link #create} (opens the outbox, connects nothing) → register handlers → {@link #start()}
 * (connects in the background and keeps reconnecting with back-off, also when the broker is unreachable at
 * boot) → {@link #close()}.
 *
 * <p>No method blocks on the network or throws because the broker is unreachable: publishing only writes
 * to the outbox, which a background thread drains in order whenever the link is connected.
 *
 * <pre>{@code
 * try (MqttLink link = MqttLink.create(settings)) {
 *     link.onInferenceRequest(req -> service.infer(req));
 *     link.onOtaBundle(bundle -> ota.offer(bundle.payload()));
 *     link.start();
 *     link.startTelemetry(() -> metrics.snapshot());
 *     ...
 * }
 * }</pre>
 */
public interface MqttLink extends AutoCloseable {

    /**
     * Creates a link (not yet connected) and opens its outbox; messages left there by a previous run are
     * delivered after {@link #start()}.
     *
     * @throws IOException when the outbox directory cannot be created or read
     */
    static MqttLink create(MqttSettings settings) throws IOException {
        return new PahoMqttLink(settings);
    }

    MqttSettings settings();

    Topics topics();

    /** Starts connecting in the background; returns at once. Idempotent. */
    void start();

    /** Waits up to {@code timeout} for a connection; true when connected. */
    boolean awaitConnected(Duration timeout) throws InterruptedException;

    boolean isConnected();

    /**
     * Queues a telemetry message (QoS 1, not retained). An object payload gets the envelope fields
     * {@code device}, {@code ts} (when absent), {@code seq}, {@code outbox_dropped} (messages the outbox
     * dropped since the previous telemetry message) and {@code outbox_pending}; any other JSON value is
     * wrapped as {@code {"data": …}}.
     *
     * @return false when the message could not be queued (link closed, disk error); never throws
     */
    boolean publishTelemetry(JsonNode telemetry);

    /** Queues a recalibration report (QoS 1, not retained); {@code device} and {@code ts} added when absent. */
    boolean publishRecal(JsonNode report);

    /** Queues an OTA status (QoS 1, retained: the latest state); {@code device} and {@code ts} added when absent. */
    boolean publishOtaStatus(JsonNode status);

    /**
     * An OTA status that is an event, not the device's update state (e.g. a bundle that never verified): sent on the
     * OTA status topic at once, QoS 1, <em>not retained</em> and not through the outbox, so it cannot replace the
     * retained state. Dropped when not connected.
     */
    void publishOtaEvent(JsonNode event);

    /**
     * A vowel the device heard (a local listener's answer, {@link Topics#heard()}): sent at once, QoS 0, not retained
     * and not through the outbox — a live event, worth nothing replayed after an outage; {@code device} and
     * {@code ts} added when absent.
     *
     * @return false when it was not sent (not connected, Paho refused it); never throws
     */
    boolean publishHeard(JsonNode event);

    /**
     * Extra fields merged into the retained {@code online} status (e.g. active model id and version);
     * republished at once when connected.
     */
    void setStatusDetails(JsonNode details);

    /**
     * Calls {@code source} every {@link MqttSettings#telemetryInterval()} and publishes what it returns
     * (null: skip this period). Replaces a previous source. Exceptions from the source are logged.
     */
    void startTelemetry(Supplier<? extends JsonNode> source);

    /** Sets the handler for inference requests (device and fleet topics) and subscribes to them. */
    void onInferenceRequest(RequestHandler handler);

    /** Sets the handler for OTA bundles (device and fleet topics) and subscribes to them. */
    void onOtaBundle(BundleHandler handler);

    /** Sets the handler for commands other than the built-in {@code status}; every command is admitted. */
    default void onCommand(CommandHandler handler) {
        onCommand(handler, CommandAuthoriser.ALLOW_ALL);
    }

    /**
     * Sets the handler for commands other than the built-in {@code status}, and who may send them: {@code
     * authoriser} is asked on arrival, before a command is queued for the handler, so a refusal never depends on how
     * full the queue is.
     */
    void onCommand(CommandHandler handler, CommandAuthoriser authoriser);

    LinkStats stats();

    /**
     * Publishes the retained {@code offline} status, disconnects (the session stays on the broker for
     * {@link MqttSettings#sessionExpiry()}) and stops the link's threads, waiting at most {@code timeout} in
     * all. Messages still in the outbox stay on disk for the next run.
     */
    void close(Duration timeout);

    /** {@link #close(Duration)} with 5 seconds. */
    @Override
    default void close() {
        close(Duration.ofSeconds(5));
    }
}
