package org.pnnedge.runtime.mqtt;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/**
 * The current Paho client, replaceable. Paho v5 1.2.5 is unmaintained and its threads are not to be trusted: an
 * {@code OutOfMemoryError} or any other throwable escaping its receiver, sender or callback thread leaves a client
 * that looks alive and never reads again. So each client runs its threads on an executor of ours that notices a
 * task ending with a throwable ({@link #failed()}); the {@link ConnectionSupervisor} then {@link #rebuild()}s the
 * client: the broken one is closed forcibly and a fresh one (same id, same callback) connects. Nothing is lost:
 * durable messages live in the outbox, the session and its queued messages at the broker.
 */
final class PahoClient {
    private final MqttSettings settings;
    private final MqttCallback callback;
    private final AtomicLong rebuilds = new AtomicLong();
    private volatile MqttAsyncClient client;
    private volatile Pool pool;
    private volatile String failure;
    /** Test hook: while set, every Paho thread dies as it starts, as if its receiver had run out of memory. */
    volatile boolean failThreadsForTest;

    PahoClient(MqttSettings settings, MqttCallback callback) throws MqttException {
        this.settings = settings;
        this.callback = callback;
        this.client = newClient();
    }

    MqttAsyncClient get() {
        return client;
    }

    /** Why a thread of the current client died, or null while all are well. */
    String failed() {
        return failure;
    }

    /** Clients replaced because a thread of theirs died. */
    long rebuilds() {
        return rebuilds.get();
    }

    /** Drops the current client (forcibly: its threads are not trusted) and makes a fresh one. */
    synchronized void rebuild() throws MqttException {
        Logger.warn("MQTT: a Paho thread died ({}); replacing the client", failure);
        replace();
        rebuilds.incrementAndGet();
    }

    /**
     * A fresh client for the next connection after one was lost. Paho keeps the lost connection's in-flight QoS 1
     * publishes and re-sends them first on the next connection, still carrying the topic alias it had assigned
     * and no topic name; the new connection has no such alias, so the broker disconnects with a protocol error,
     * and again on every attempt (eclipse-paho/paho.mqtt.java#1104; seen on ejabberd after a node was killed).
     * The outbox re-sends whatever was not acknowledged, so dropping Paho's copy loses nothing.
     */
    synchronized void renew() throws MqttException {
        replace();
    }

    private void replace() throws MqttException {
        MqttAsyncClient old = client;
        Pool oldPool = pool;
        try {
            old.disconnectForcibly(0, 100, false);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: forced disconnect of the old client: {}", e.toString());
        }
        try {
            old.close(true);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("MQTT: close of the old client: {}", e.toString());
        }
        oldPool.shutdownNow();
        client = newClient();
        failure = null;
    }

    private MqttAsyncClient newClient() throws MqttException {
        Pool p = new Pool();
        // In-memory Paho state: durability is the outbox's job (Paho's file persistence would litter the cwd).
        MqttAsyncClient c = new MqttAsyncClient(settings.brokerUri(), settings.clientId(), new MemoryPersistence(),
                null, p);
        c.setCallback(new CurrentOnly(c)); // a replaced client's late callbacks must not touch the link's state
        c.setManualAcks(true); // InboundDispatcher acknowledges a message once it has a place in a queue
        pool = p;
        return c;
    }

    /** Forwards Paho's callbacks while {@code own} is the current client, and drops them once it was replaced. */
    private final class CurrentOnly implements MqttCallback {
        private final MqttAsyncClient own;

        CurrentOnly(MqttAsyncClient own) {
            this.own = own;
        }

        private boolean current() {
            return own == client;
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
            if (current()) {
                callback.disconnected(r);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            if (current()) {
                callback.mqttErrorOccurred(e);
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage m) throws Exception {
            if (current()) {
                callback.messageArrived(topic, m);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
            if (current()) {
                callback.deliveryComplete(t);
            }
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
            if (current()) {
                callback.connectComplete(reconnect, uri);
            }
        }

        @Override
        public void authPacketArrived(int code, MqttProperties p) {
            if (current()) {
                callback.authPacketArrived(code, p);
            }
        }
    }

    /**
     * Paho's threads (receiver, sender, callback, pings) as tasks of a pool we watch: a task that ends by throwing
     * marks the client failed. Paho submits its long-running loops here, so a dead loop is a finished task.
     */
    private final class Pool extends ScheduledThreadPoolExecutor {
        Pool() {
            super(8, r -> PahoSupport.daemon(r, "pnn-mqtt-paho"));
        }

        @Override
        protected void beforeExecute(Thread t, Runnable r) {
            if (failThreadsForTest && r instanceof Future<?>) {
                // a test stands in for an OutOfMemoryError in the receiver: the task fails before it runs
                ((Future<?>) r).cancel(false);
                failure = "test: Paho thread killed";
            }
            super.beforeExecute(t, r);
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            super.afterExecute(r, t);
            Throwable died = t;
            if (died == null && r instanceof Future<?> f && f.isDone() && !isShutdown()) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    died = e.getCause();
                } catch (CancellationException e) {
                    // cancelled: a periodic ping task replaced, or the test above
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (died != null && pool == this) {
                failure = died.toString();
                Logger.error("MQTT: a Paho thread died: {}", died.toString());
            }
        }
    }
}
