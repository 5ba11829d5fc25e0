package org.pnnedge.runtime.mqtt;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;

/** Small helpers the Paho link's parts share: JSON messages, error descriptions, threads and deadlines. */
final class PahoSupport {
    static final String CONTENT_TYPE = "application/json";
    static final ObjectMapper JSON = new ObjectMapper();

    private PahoSupport() {
    }

    static MqttMessage message(JsonNode body, int qos, boolean retained) {
        return new MqttMessage(bytes(body), qos, retained, jsonProperties());
    }

    static MqttProperties jsonProperties() {
        MqttProperties p = new MqttProperties();
        p.setContentType(CONTENT_TYPE);
        p.setPayloadFormat(true);
        return p;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a JsonNode always serialises
        }
    }

    static MqttActionListener logFailure(String what) {
        return new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                Logger.debug("MQTT: {} not delivered: {}", what, e.toString());
            }
        };
    }

    static String describe(Throwable e) {
        String s = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof MqttException me) {
            s += " [" + me.getReasonCode() + "]";
        }
        if (e.getCause() != null && e.getCause() != e) {
            s += ": " + e.getCause();
        }
        return s;
    }

    static long millisLeft(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    static void join(Thread t, long deadline) {
        if (t == Thread.currentThread() || t.getState() == Thread.State.NEW) {
            return;
        }
        try {
            t.join(Math.max(1, millisLeft(deadline)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
