package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * The thread that connects and reconnects with jittered exponential back-off ({@link Backoff}). Paho's own
 * automatic reconnect is off because it does not retry when the very first connection fails (e.g. a Pi that boots
 * before its network).
 * On every connect: subscribe, announce the status, then mark the link ready so the outbox drains. It also
 * replaces a client one of whose threads died ({@link PahoClient}), checking at least once a second.
 */
final class ConnectionSupervisor implements Runnable {
    private final PahoClient client;
    private final MqttSettings settings;
    private final LinkState state;
    private final Subscriptions subscriptions;
    private final StatusPublisher status;
    private final MqttConnectionOptions options;
    private final AtomicLong connects = new AtomicLong();
    /** What the outbox does when a connection is lost (forget what was in flight). */
    Runnable drainOnLoss = () -> { };
    private String lastConnectError = "";
    /** Test hook: the loop dies of this once, as if it had run out of memory. */
    volatile Error dieForTest;

    ConnectionSupervisor(PahoClient client, MqttSettings settings, LinkState state, Subscriptions subscriptions,
                         StatusPublisher status) {
        this.client = client;
        this.settings = settings;
        this.state = state;
        this.subscriptions = subscriptions;
        this.status = status;
        this.options = connectionOptions();
    }

    long connects() {
        return connects.get();
    }

    private MqttConnectionOptions connectionOptions() {
        MqttSettings.Reconnect r = settings.reconnect();
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(r.sessionExpiry().toSeconds());
        o.setKeepAliveInterval((int) r.keepAlive().toSeconds());
        o.setConnectionTimeout((int) Math.max(1, (r.connectTimeout().toMillis() + 999) / 1000));
        o.setAutomaticReconnect(false); // this class reconnects (see class comment)
        if (!settings.failoverUris().isEmpty()) { // Paho tries them in order on every connect: the broker, then this device's FailoverOrder
            o.setServerURIs(settings.serverUris().toArray(String[]::new));
        }
        // the broker must not send a packet bigger than the largest bundle we accept (plus room for its headers):
        // it drops such messages for us instead, so Paho never allocates 200 MB for a hostile publish
        o.setMaximumPacketSize(settings.maxPacketBytes());
        settings.username().ifPresent(o::setUserName);
        settings.password().ifPresent(p -> o.setPassword(p.getBytes(StandardCharsets.UTF_8)));
        MqttMessage will = new MqttMessage(PahoSupport.bytes(status.offline("connection lost", false)), 1, true, null);
        o.setWill(settings.topics().status(), will);
        MqttProperties willProps = new MqttProperties();
        willProps.setContentType(PahoSupport.CONTENT_TYPE);
        willProps.setPayloadFormat(true);
        o.setWillMessageProperties(willProps);
        if (settings.tls().isPresent()) {
            MqttSettings.Tls tls = settings.tls().get();
            try {
                o.setSocketFactory(TlsSupport.socketFactory(tls));
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException("TLS setup failed: " + e.getMessage(), e);
            }
            o.setHttpsHostnameVerificationEnabled(tls.verifyHostname());
        }
        return o;
    }

    @Override
    public void run() {
        MqttSettings.Reconnect r = settings.reconnect();
        Backoff backoff = new Backoff(r.minDelay(), r.maxDelay());
        long attempts = 0;
        boolean connectedBefore = connects.get() > 0; // run again after dying (LinkState.restarting)
        while (!state.closing) {
            Error die = dieForTest;
            if (die != null) {
                dieForTest = null;
                throw die;
            }
            if (client.failed() != null) { // a Paho thread died: this client is broken for good
                state.ready = false;
                drainOnLoss.run();
                try {
                    client.rebuild();
                } catch (MqttException | RuntimeException e) {
                    Logger.error("MQTT: cannot replace the broken client: {}", PahoSupport.describe(e));
                    state.waitSignal(wait(backoff, attempts));
                    continue;
                }
            }
            if (state.ready && client.get().isConnected()) {
                state.waitSignal(1000);
                continue;
            }
            if (state.ready) { // lost without the callback (a disconnect of ours): reset
                state.ready = false;
                drainOnLoss.run();
            }
            if (attempts == 0 && connectedBefore) {
                // a lost connection: wait a random part of the first window, so the devices of a node that died do
                // not all log in to the next node in the same instant (Backoff)
                state.pause(wait(backoff, 0));
                if (state.closing) {
                    break;
                }
            }
            if (connectedBefore || attempts > 0) {
                try { // a fresh client for every connection but the first (PahoClient.renew: stale topic aliases)
                    client.renew();
                } catch (MqttException | RuntimeException e) {
                    Logger.error("MQTT: cannot make a fresh client: {}", PahoSupport.describe(e));
                    state.pause(wait(backoff, attempts));
                    continue;
                }
            }
            attempts++;
            try {
                IMqttToken token = client.get().connect(options);
                token.waitForCompletion(r.connectTimeout().toMillis() + 2000);
                if (state.closing) {
                    break;
                }
                onConnected(token.getSessionPresent(), attempts, token.getResponseProperties() == null
                        || token.getResponseProperties().isSharedSubscriptionAvailable());
                attempts = 0;
                connectedBefore = true;
                lastConnectError = "";
            } catch (MqttException | RuntimeException e) {
                if (state.closing) {
                    break;
                }
                String why = PahoSupport.describe(e);
                if (!why.equals(lastConnectError) || attempts % 20 == 0) {
                    Logger.warn("MQTT: cannot connect to {} ({}); retrying with back-off up to {} ms, telemetry waits in the outbox",
                            String.join(" or ", settings.serverUris()), why, r.maxDelay().toMillis());
                } else {
                    Logger.debug("MQTT: connect attempt {} failed: {}", attempts, why);
                }
                lastConnectError = why;
                state.pause(wait(backoff, attempts));
            }
        }
    }

    private static long wait(Backoff backoff, long attempt) {
        return backoff.delay((int) Math.min(attempt, 62), ThreadLocalRandom.current()).toMillis();
    }

    private void onConnected(boolean sessionPresent, long attempts, boolean sharedSubscriptions) throws MqttException {
        connects.incrementAndGet();
        Logger.info("MQTT: connected to {} as {} (session present: {}, attempt {})", client.get().getCurrentServerURI(),
                settings.clientId(), sessionPresent, attempts);
        subscriptions.subscribeAll(sharedSubscriptions);
        status.connected();
        state.ready = true;
        state.wake();
    }
}
