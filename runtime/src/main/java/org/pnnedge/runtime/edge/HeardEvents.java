package org.pnnedge.runtime.edge;

import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the device heard, on MQTT ({@code <p>/<d>/heard}): a local listener ({@code pnn listen --publish}) asks the
 * service to publish each answer, because the service is the device's one MQTT identity (its account, its ACL,
 * its TLS). Bounded: at most {@link #PER_SECOND} events a second on average, bursts of {@link #BURST} (speech
 * brings a few vowels a second; a client in a loop must not flood the broker), the rest dropped and counted.
 */
final class HeardEvents {
    static final double PER_SECOND = 10;
    static final double BURST = 10;
    /** A client's name for where the vowel came from, e.g. "listen" or "kitchen-mic". */
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");

    /** What the status and telemetry show ({@code "heard"}). */
    record Counts(long published, long rateLimited, long notSent) {
    }

    private final LongSupplier nanos;
    private volatile Predicate<JsonNode> sender;
    private double tokens = BURST;
    private long last;
    private long seq;
    private long published;
    private long rateLimited;
    private long notSent;

    HeardEvents(LongSupplier nanos) {
        this.nanos = nanos;
        this.last = nanos.getAsLong();
    }

    /** Where events go once MQTT is up ({@code MqttLink::publishHeard}); until then they count as not sent. */
    void sendTo(Predicate<JsonNode> sender) {
        this.sender = sender;
    }

    /**
     * Checks a classify request's {@code "publish"} and {@code "source"}; null when they are fine, else the error
     * to answer with (the request is not classified then: a typo must not silently publish nothing).
     */
    static String invalid(JsonNode request) {
        JsonNode p = request.get("publish");
        if (p != null && !p.isBoolean()) {
            return "\"publish\" must be true or false";
        }
        JsonNode s = request.get("source");
        if (s != null && (!s.isTextual() || !SOURCE.matcher(s.asText()).matches())) {
            return "\"source\" must be 1-64 letters, digits or . _ : @ -";
        }
        return null;
    }

    /** Publishes {@code answer} (the reply the client gets) with its source and a sequence number, rate allowing. */
    void offer(JsonNode answer, String source) {
        ObjectNode e;
        synchronized (this) {
            long now = nanos.getAsLong();
            tokens = Math.min(BURST, tokens + (now - last) / 1e9 * PER_SECOND);
            last = now;
            if (tokens < 1) {
                rateLimited++;
                return;
            }
            tokens--;
            e = ((ObjectNode) answer).deepCopy();
            e.put("source", source == null ? "control" : source);
            e.put("seq", ++seq); // a consumer sees gaps: rate-limited or lost events
        }
        // outside the lock: the MQTT client is not trusted to return at once, and other listeners must not wait
        Predicate<JsonNode> s = sender;
        boolean sent = s != null && s.test(e);
        synchronized (this) {
            if (sent) {
                published++;
            } else {
                notSent++;
            }
        }
    }

    synchronized Counts counts() {
        return new Counts(published, rateLimited, notSent);
    }
}
