package org.pnnedge.fleet.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One soak's probe pass: sends the first {@code count} labelled probes of the set to every device of the stage as
 * inference requests ({@link OtaChannel#request}: the runtime's request/response contract) and scores the replies
 * against the labels. Bounded: at most {@code window} requests in flight over all devices (probe by probe across
 * the devices, so one device never has more than its share queued), each answered within {@code timeout} or
 * counted unanswered. A device's accuracy is correct answers / probes sent (an unanswered probe or an error reply
 * is wrong); it fails below {@code minAccuracy}, or when it answered none. Runs on its own thread so the controller
 * keeps reading verdicts, pause and abort meanwhile.
 */
final class ProbeRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a soak probes with (stored with the rollout, migration V12). */
    record Settings(ProbeSet set, int count, Duration timeout, int window) {
    }

    /** One device's score. */
    record DeviceResult(String device, int sent, int answered, int correct, int errors, double accuracy,
                        boolean passed, String reason) {
    }

    private final OtaChannel channel;
    private final List<String> devices;
    private final Settings s;
    private final double minAccuracy;
    private final String tag;
    private final Map<String, int[]> counts = new LinkedHashMap<>(); // sent, answered, correct, errors
    private final Semaphore window;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread thread;
    private volatile boolean cancelled;

    ProbeRun(OtaChannel channel, List<String> devices, Settings s, double minAccuracy, String tag) {
        this.channel = channel;
        this.devices = List.copyOf(devices);
        this.s = s;
        this.minAccuracy = minAccuracy;
        this.tag = tag;
        this.window = new Semaphore(s.window());
        devices.forEach(d -> counts.put(d, new int[4]));
        this.thread = new Thread(this::run, "rollout-probes-" + tag);
        thread.setDaemon(true);
    }

    /** Probes sent to each device: the first {@code count} of the set. */
    int perDevice() {
        return Math.min(s.count(), s.set().size());
    }

    void start() {
        thread.start();
    }

    boolean done() {
        return !thread.isAlive();
    }

    /** Stops sending; replies still in flight are dropped. */
    void cancel() {
        cancelled = true;
        thread.interrupt();
    }

    /** Waits at most {@code wait} for the pass to end. */
    void join(Duration wait) throws InterruptedException {
        thread.join(Math.max(1, wait.toMillis()));
    }

    /** The pass's longest possible duration: every request timing out, {@code window} at a time. */
    Duration bound() {
        long rounds = ((long) perDevice() * devices.size() + s.window() - 1) / s.window();
        return s.timeout().multipliedBy(rounds + 1);
    }

    private void run() {
        try {
            for (int i = 0; i < perDevice() && !cancelled; i++) {
                ObjectNode body = request(i);
                for (String d : devices) {
                    if (!window.tryAcquire(s.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
                        continue; // cannot happen while requests time out; never wait unbounded
                    }
                    synchronized (counts) {
                        counts.get(d)[0]++;
                    }
                    int label = s.set().labels()[i];
                    inFlight.incrementAndGet();
                    channel.request(d, tag + "-" + i, body, s.timeout()).whenComplete((reply, e) -> {
                        score(d, label, reply, e);
                        inFlight.decrementAndGet();
                        window.release();
                    });
                }
            }
            window.tryAcquire(s.window(), s.timeout().toMillis() * 2, TimeUnit.MILLISECONDS); // the last replies
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectNode request(int i) {
        ObjectNode body = JSON.createObjectNode().put("id", tag + "-" + i);
        ArrayNode f = body.putArray("features");
        for (double v : s.set().features().get(i)) {
            f.add(v);
        }
        return body;
    }

    private void score(String d, int label, JsonNode reply, Throwable e) {
        synchronized (counts) {
            int[] c = counts.get(d);
            if (e != null || reply == null) {
                return; // unanswered within the timeout
            }
            c[1]++;
            if (reply.has("error")) {
                c[3]++;
            } else if (reply.path("index").isInt() && reply.get("index").asInt() == label) {
                c[2]++;
            }
        }
    }

    /** Each device's score (call after {@link #done}). */
    List<DeviceResult> results() {
        List<DeviceResult> out = new ArrayList<>();
        synchronized (counts) {
            for (var en : counts.entrySet()) {
                int[] c = en.getValue();
                double acc = c[0] == 0 ? 0 : c[2] / (double) c[0];
                boolean passed = c[1] > 0 && acc >= minAccuracy;
                String why = c[1] == 0 ? "no answer to " + c[0] + " probes within " + s.timeout()
                        : passed ? null : String.format(Locale.ROOT, "probe accuracy %.3f < %.3f (%d of %d answered, "
                        + "%d correct, %d errors)", acc, minAccuracy, c[1], c[0], c[2], c[3]);
                out.add(new DeviceResult(en.getKey(), c[0], c[1], c[2], c[3], acc, passed, why));
            }
        }
        return out;
    }
}
