package org.pnnedge.fleetsim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.runtime.mqtt.RequestError;
import org.pnnedge.runtime.ota.BundleStore;

/**
 * Answers the simulated devices' inference requests as the runtime does (mqtt.md, "Inference"): the request's JSON
 * {@code features} in, the runtime's answer shape out ({@code label}, {@code index}, {@code confidence},
 * {@code probabilities}, {@code latencyMicros}, {@code model}, the request's {@code id}) on the request's response
 * topic with its correlation data and user property {@code status}, QoS 0; a response topic among the device's own
 * topics other than its {@code infer/response} is refused, like the runtime's; errors in the runtime's one error
 * format ({@link RequestError}), {@code busy} beyond the queue bound. Each device answers with its active bundle's
 * network on its own {@link EmulatedUnitModel} (its gain; dead channels for a bad unit, and for a <em>degraded</em>
 * unit once it runs anything but the shipped bundle: a unit whose install self-test passed and that fails in
 * service afterwards — what a soak is for). Two worker threads for all devices, 1,000 requests queued at most.
 */
final class InferenceResponder {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int QUEUE_BOUND = 1000;

    private final Path workDir;
    private final TrustedKeys trusted;
    private final byte[] initialBundle;
    private final BundleManifest initial;
    private final long seed;
    private final java.util.BitSet degraded;
    private final ThreadPoolExecutor workers;
    /** Verified manifests by "model version": every agent on a version runs the same bundle. */
    private final Map<String, BundleManifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, EmulatedUnitModel> units = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    InferenceResponder(Path workDir, TrustedKeys trusted, byte[] initialBundle, BundleManifest initial, long seed,
                       java.util.BitSet degraded) {
        this.workDir = workDir;
        this.trusted = trusted;
        this.initialBundle = initialBundle;
        this.initial = initial;
        this.seed = seed;
        this.degraded = degraded;
        this.workers = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_BOUND), r -> {
            Thread t = new Thread(r, "sim-infer");
            t.setDaemon(true);
            return t;
        });
    }

    /** On the client's thread: queue the request, or answer "busy" at once. */
    void dispatch(DeviceAgent a, Mqtt5Publish p) {
        String responseTopic = p.getResponseTopic().map(Object::toString).orElse(a.topics().inferResponse());
        if (!a.topics().acceptableResponseTopic(responseTopic)) {
            refused.incrementAndGet(); // a reply there would command the device itself: the runtime refuses it too
            return;
        }
        byte[] correlation = p.getCorrelationData().map(b -> {
            byte[] c = new byte[b.remaining()];
            b.duplicate().get(c);
            return c;
        }).orElse(null);
        byte[] payload = p.getPayloadAsBytes();
        try {
            workers.execute(() -> handle(a, payload, responseTopic, correlation));
        } catch (RejectedExecutionException e) {
            a.reply(responseTopic, correlation, RequestError.of("busy", "too many pending requests (" + QUEUE_BOUND
                    + "); retry later", null), false);
        }
    }

    private void handle(DeviceAgent a, byte[] payload, String responseTopic, byte[] correlation) {
        JsonNode request;
        try {
            request = JSON.readTree(payload);
            if (request == null || request.isMissingNode()) {
                throw new IOException("empty payload");
            }
        } catch (IOException e) {
            a.reply(responseTopic, correlation, RequestError.of("bad_request", "payload is not JSON: " + e.getMessage(),
                    null), false);
            return;
        }
        JsonNode id = request.get("id");
        JsonNode f = request.get("features");
        ObjectNode body;
        if (f == null || !f.isArray()) {
            body = RequestError.of("bad_request", "request needs \"features\": [numbers]", id);
        } else {
            try {
                double[] x = new double[f.size()];
                for (int i = 0; i < x.length; i++) {
                    if (!f.get(i).isNumber()) {
                        throw new IllegalArgumentException("feature " + i + " is not a number");
                    }
                    x[i] = f.get(i).asDouble();
                }
                EmulatedUnitModel u = unit(a);
                synchronized (u) {
                    body = JSON.valueToTree(u.classify(x));
                }
                if (id != null) {
                    body.set("id", id);
                }
                answered.incrementAndGet();
            } catch (IllegalArgumentException e) {
                body = RequestError.of("bad_request", e.getMessage(), id);
            } catch (RuntimeException e) {
                body = RequestError.of("internal", e.toString(), id);
            }
        }
        a.reply(responseTopic, correlation, body, !body.has("error"));
    }

    /** The agent's emulated unit for the bundle it runs now (rebuilt when its active version changes). */
    private EmulatedUnitModel unit(DeviceAgent a) {
        String version = a.modelVersion();
        EmulatedUnitModel u = units.get(a.id());
        if (u != null && u.version().equals(version)) {
            return u;
        }
        BundleManifest m = manifests.computeIfAbsent(a.modelId() + " " + version, k -> active(a));
        boolean onShipped = m.version().equals(initial.version());
        boolean dead = a.bad() || degraded.get(a.index()) && !onShipped;
        // the same gain as the unit's self-test (EmulatedUnitSelfTest): one unit, one gain
        double gain = 1 + (new SplittableRandom(seed * 31 + a.index()).nextDouble() - 0.5) * 0.06;
        u = new EmulatedUnitModel(m, gain, dead);
        units.put(a.id(), u);
        return u;
    }

    private BundleManifest active(DeviceAgent a) {
        try {
            Path f = workDir.resolve(a.id()).resolve(BundleStore.ACTIVE);
            byte[] b = Files.exists(f) ? Files.readAllBytes(f) : initialBundle;
            return Bundles.load(b, trusted).manifest();
        } catch (Exception e) {
            throw new IllegalStateException("agent " + a.id() + ": cannot read its active bundle: " + e.getMessage(), e);
        }
    }

    /** Requests answered with a prediction. */
    long answered() {
        return answered.get();
    }

    /** Requests whose response topic was one of the device's own topics (not answered). */
    long refused() {
        return refused.get();
    }

    void shutdown() {
        workers.shutdownNow();
    }
}
