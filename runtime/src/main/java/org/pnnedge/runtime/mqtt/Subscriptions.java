package org.pnnedge.runtime.mqtt;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.tinylog.Logger;

/**
 * What the link subscribes to: commands always, inference requests and OTA bundles once a handler is
 * registered. Everything is subscribed again on every (re)connect.
 */
final class Subscriptions {
    private final PahoClient client;
    private final MqttSettings settings;
    private final Topics topics;
    private final LinkState state;
    private volatile boolean requests;
    private volatile boolean bundles;
    /** From the last CONNACK: a broker without them (ejabberd) disconnects a client that subscribes to $share/…. */
    private volatile boolean sharedAvailable = true;
    private boolean sharedWarned;

    Subscriptions(PahoClient client, MqttSettings settings, LinkState state) {
        this.client = client;
        this.settings = settings;
        this.topics = settings.topics();
        this.state = state;
    }

    /** Adds the inference request topics (now when connected, else on connect). */
    void addRequests() {
        if (!requests) {
            requests = true;
            subscribeLater(requestSubscriptions());
        }
    }

    /** Adds the OTA bundle topics (now when connected, else on connect). */
    void addBundles() {
        if (!bundles) {
            bundles = true;
            subscribeLater(bundleSubscriptions());
        }
    }

    /**
     * Subscribes everything and waits for the broker's answer (on connect). Without shared subscriptions the fleet
     * inference topic is left out, since subscribing would cost the connection; fleet requests then need a
     * dispatcher that forwards them to {@code <p>/<d>/infer/request} (fleet.md).
     */
    void subscribeAll(boolean sharedSubscriptionsAvailable) throws MqttException {
        sharedAvailable = sharedSubscriptionsAvailable;
        List<MqttSubscription> subs = new ArrayList<>();
        subs.add(sub(topics.commandFilter(), 1, 0));
        topics.fleetCommandFilter().ifPresent(f -> subs.add(sub(f, 1, 0)));
        if (requests) {
            subs.addAll(requestSubscriptions());
        }
        if (bundles) {
            subs.addAll(bundleSubscriptions());
        }
        subscribe(subs, true);
    }

    private List<MqttSubscription> requestSubscriptions() {
        List<MqttSubscription> subs = new ArrayList<>();
        subs.add(sub(topics.inferRequest(), 0, 0));
        topics.fleetInferRequestShared().ifPresent(f -> {
            if (sharedAvailable) {
                subs.add(sub(f, 0, 0));
            } else if (!sharedWarned) {
                sharedWarned = true;
                Logger.warn("MQTT: the broker has no shared subscriptions: {} is not subscribed; fleet requests must "
                        + "reach this device through a dispatcher on {}", f, topics.inferRequest());
            }
        });
        return subs;
    }

    private List<MqttSubscription> bundleSubscriptions() {
        // retain handling 1: a retained bundle is sent when the subscription is new, not on every reconnect
        List<MqttSubscription> subs = new ArrayList<>();
        subs.add(sub(topics.otaBundle(), 1, 1));
        topics.fleetOtaBundle().ifPresent(f -> subs.add(sub(f, 1, 1)));
        return subs;
    }

    private static MqttSubscription sub(String filter, int qos, int retainHandling) {
        MqttSubscription s = new MqttSubscription(filter, qos);
        s.setRetainHandling(retainHandling);
        return s;
    }

    private void subscribe(List<MqttSubscription> subs, boolean wait) throws MqttException {
        IMqttToken t = client.get().subscribe(subs.toArray(new MqttSubscription[0]));
        if (!wait) {
            return;
        }
        t.waitForCompletion(settings.reconnect().connectTimeout().toMillis());
        int[] codes = t.getReasonCodes();
        for (int i = 0; codes != null && i < codes.length && i < subs.size(); i++) {
            if (codes[i] >= 0x80) {
                Logger.warn("MQTT: broker refused subscription {} (reason code 0x{})", subs.get(i).getTopic(),
                        Integer.toHexString(codes[i]));
            }
        }
    }

    private void subscribeLater(List<MqttSubscription> subs) {
        if (!state.ready) {
            return; // subscribed on (re)connect
        }
        try {
            subscribe(subs, false);
        } catch (MqttException | RuntimeException e) {
            Logger.warn("MQTT: subscribe failed ({}); retried on reconnect", e.toString());
        }
    }
}
