package org.pnnedge.fleet.dispatch;

/** What the dispatcher's MQTT side hands its loop: a request, a device's reply, or a sign of a device's liveness. */
sealed interface DispatchEvent {
    /**
     * A fleet request as it arrived: payload and the requester's MQTT 5 properties (null when absent).
     *
     * @param responseTopic where the answer goes (already checked; the fleet's default when the request named none)
     * @param arrived       {@link System#nanoTime()} on arrival: the answer's deadline counts from here
     * @param talker        the request's {@code talker} (a measurement request, mqtt.md): its words should reach the
     *                      device that keeps that talker's estimate; null when it names none
     */
    record Request(byte[] payload, String responseTopic, byte[] correlation, String contentType, long arrived,
                   String talker) implements DispatchEvent {
        /** A request that names no talker. */
        Request(byte[] payload, String responseTopic, byte[] correlation, String contentType, long arrived) {
            this(payload, responseTopic, correlation, contentType, arrived, null);
        }
    }

    /** A device's answer on {@code pnn/<device>/infer/response/dispatch} to forwarded request {@code seq}. */
    record Reply(String device, long seq, byte[] payload, String status) implements DispatchEvent {
    }

    /** A live (not retained) message from the device: telemetry or an online status. */
    record Heard(String device) implements DispatchEvent {
    }

    /** The fleet's device accounts changed (re-read from accounts.json): the router's new device set. */
    record Members(java.util.Set<String> devices) implements DispatchEvent {
    }

    /** A live offline status: the device's will or its shutdown. */
    record Gone(String device, String reason) implements DispatchEvent {
    }
}
