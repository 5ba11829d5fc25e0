package org.pnnedge.runtime.mqtt;

import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.tinylog.Logger;

/**
 * OTA bundles' own bounded queue and thread, apart from commands and inference requests. A bundle is acknowledged
 * (PUBACK) only once it has a place here. When the queue is full, the callback waits briefly for room (not at all
 * while a flood is on, so inference requests and commands keep flowing); after that the message stays
 * <em>unacknowledged</em>, so the broker still owns it, and once the queue has drained
 * the link reconnects: the broker then resends every QoS 1 message this device has not acknowledged (MQTT 5, 4.4).
 * A legitimate push inside a flood is therefore delayed, never acknowledged and then dropped. Meanwhile a non-retained
 * {@code {"state":"busy"}} goes to the OTA status topic at most once per {@link #BUSY_INTERVAL_NANOS}, which leaves
 * the retained state alone.
 */
final class BundleLane {
    /** Bundles waiting at most (each at most the maximum packet size). */
    static final int CAPACITY = 4;
    /** How long the callback thread waits for room before it leaves a bundle unacknowledged. */
    static final long OFFER_WAIT_MILLIS = 500;
    static final long BUSY_INTERVAL_NANOS = 10_000_000_000L;
    /** How long no bundle may have been deferred before the lane asks for redelivery. */
    static final long REDELIVERY_QUIET_NANOS = 1_000_000_000L;

    /** A bundle and how to acknowledge it. */
    record Item(String topic, MqttMessage message, Runnable ack) {
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Consumer<Item> handler;
    private final Consumer<ObjectNode> busyNotice;
    private final Runnable redeliver;
    private final Thread thread;
    private final AtomicLong deferred = new AtomicLong();
    private volatile boolean redeliveryWanted;
    private volatile long lastBusy = System.nanoTime() - BUSY_INTERVAL_NANOS;
    private volatile long lastDeferral = System.nanoTime() - REDELIVERY_QUIET_NANOS;
    private volatile boolean stopped;

    /**
     * @param handler    runs each bundle on the lane's thread
     * @param busyNotice publishes the (non-retained) busy notice
     * @param redeliver  reconnects, so the broker resends what was left unacknowledged
     */
    BundleLane(Consumer<Item> handler, Consumer<ObjectNode> busyNotice, Runnable redeliver) {
        this.handler = handler;
        this.busyNotice = busyNotice;
        this.redeliver = redeliver;
        this.thread = PahoSupport.daemon(this::run, "pnn-mqtt-bundles");
        thread.start();
    }

    /** Bundles left unacknowledged because the queue was full (resent by the broker later). */
    long deferred() {
        return deferred.get();
    }

    /** On Paho's callback thread: queue and acknowledge, or leave unacknowledged (see class comment). */
    void offer(Item item) {
        boolean queued;
        // wait for room only outside a flood: while bundles are being deferred anyway, waiting would hold Paho's
        // callback thread, and with it inference requests and commands, for nothing
        long wait = System.nanoTime() - lastDeferral < REDELIVERY_QUIET_NANOS ? 0 : OFFER_WAIT_MILLIS;
        try {
            queued = queue.offer(item, wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (queued) {
            item.ack().run();
            return;
        }
        long n = deferred.incrementAndGet();
        redeliveryWanted = true;
        long now = System.nanoTime();
        lastDeferral = now;
        if (now - lastBusy >= BUSY_INTERVAL_NANOS) {
            lastBusy = now;
            Logger.warn("MQTT: bundle queue full ({} waiting); {} bundle(s) left unacknowledged so far, the broker "
                    + "resends them once the queue has drained", CAPACITY, n);
            ObjectNode o = PahoSupport.JSON.createObjectNode();
            o.put("state", "busy");
            o.put("message", "too many bundles at once; unacknowledged ones are taken again once the queue drains");
            o.put("deferred", n);
            o.put("ts", Instant.now().toString());
            busyNotice.accept(o);
        }
    }

    private void run() {
        while (!stopped) {
            Item item;
            try {
                item = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (item != null) {
                try {
                    handler.accept(item);
                } catch (RuntimeException | Error e) { // the lane must outlive any one bundle, even an OOM in it
                    Logger.warn("MQTT: bundle handler failed for {}: {}", item.topic(), e.toString());
                }
            }
            // drained after a flood, and the flood has paused: take back what was left unacknowledged
            if (queue.isEmpty() && redeliveryWanted && System.nanoTime() - lastDeferral >= REDELIVERY_QUIET_NANOS) {
                redeliveryWanted = false;
                Logger.info("MQTT: bundle queue drained; reconnecting so the broker resends unacknowledged bundles");
                try {
                    redeliver.run();
                } catch (RuntimeException | Error e) { // a dead lane would acknowledge bundles and never handle them
                    Logger.warn("MQTT: reconnecting for redelivery failed ({}); trying again in a second",
                            e.toString());
                    lastDeferral = System.nanoTime();
                    redeliveryWanted = true;
                }
            }
        }
    }

    void shutdown() {
        stopped = true;
        thread.interrupt();
    }
}
