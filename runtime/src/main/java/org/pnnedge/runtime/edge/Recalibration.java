package org.pnnedge.runtime.edge;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.twin.TrainableTwin;
import org.pnnedge.runtime.config.EdgeConfig;
import org.pnnedge.runtime.device.DeviceAccess;
import org.pnnedge.runtime.recal.RecalConfig;
import org.pnnedge.runtime.recal.RecalOutcome;
import org.pnnedge.runtime.recal.RecalReport;
import org.pnnedge.runtime.recal.RecalState;
import org.pnnedge.runtime.recal.Recalibrator;
import org.pnnedge.runtime.service.InferenceService;
import org.tinylog.Logger;

/**
 * The service's recalibration: restores the persisted correction at start, runs the {@link Recalibrator}
 * periodically and on command, installs what it adopts in the engine and tells listeners (MQTT) the report.
 */
final class Recalibration implements AutoCloseable {
    private final Recalibrator recalibrator;
    private final InferenceService inference;
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private volatile TrainableTwin twin;
    private volatile RecalReport last;
    private ScheduledExecutorService scheduler;

    private Recalibration(Recalibrator recalibrator, InferenceService inference) {
        this.recalibrator = recalibrator;
        this.inference = inference;
    }

    /** Restores the saved correction of the served model (if any) and schedules periodic runs. */
    static Recalibration start(EdgeConfig.Recal config, Path state, InferenceService inference) throws IOException {
        RecalConfig rc = RecalConfig.defaults().withTwinBudget(config.budget());
        Recalibration r = new Recalibration(new Recalibrator(rc, state.resolve("recal"), state.resolve("fresh")),
                inference);
        var saved = RecalState.loadFor(state.resolve("recal"), inference.bundle(), inference.link().info());
        if (saved.isPresent()) {
            inference.engine().setCorrection(saved.get().correction());
            r.twin = saved.get().twin();
            Logger.info("restored the recalibration of {}", saved.get().modelId());
        }
        r.schedule(config.interval());
        return r;
    }

    private void schedule(Duration every) {
        if (every.isZero()) {
            // PT0S: only on command; commanded runs call run() on the caller's thread, so no executor
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pnn-recal");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                run();
            } catch (RuntimeException | Error e) { // an escaping throwable would end the schedule, silently
                Logger.error("periodic recalibration failed: {}", e.toString());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether periodic recalibration is scheduled. */
    boolean periodic() {
        return scheduler != null;
    }

    void onReport(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    /** The last run's report, or null. */
    RecalReport last() {
        return last;
    }

    /** A new model brings its own twin and starts uncorrected. */
    void modelChanged() {
        twin = null;
    }

    /**
     * Commanded runs closer together than this are answered with the last report instead of a new run: a flood of
     * (possibly anonymous) {@code cmd/recalibrate} messages then costs the device one recalibration per interval,
     * not one per message, and inference and telemetry keep their device time.
     */
    static final Duration MIN_COMMAND_INTERVAL = Duration.ofSeconds(10);
    private volatile long lastEndNanos = System.nanoTime() - MIN_COMMAND_INTERVAL.toNanos();

    /** A commanded run (control socket, MQTT): coalesced with a running or very recent one. */
    JsonNode commanded() {
        boolean recent = System.nanoTime() - lastEndNanos < MIN_COMMAND_INTERVAL.toNanos();
        if (recent || !running.tryLock()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory
                    .instance.objectNode();
            o.put("coalesced", true);
            o.put("message", recent ? "recalibrated less than " + MIN_COMMAND_INTERVAL.toSeconds() + " s ago; "
                    + "this is that run's report" : "a recalibration is running; its report is published when it ends");
            RecalReport l = last;
            if (recent && l != null) {
                o.set("report", l.toJson());
            }
            return o;
        }
        try {
            return runLocked().toJson();
        } finally {
            running.unlock();
        }
    }

    private final java.util.concurrent.locks.ReentrantLock running = new java.util.concurrent.locks.ReentrantLock();

    /** One run now (waits for a running one); adopts its correction unless the model was replaced meanwhile. */
    RecalReport run() {
        running.lock();
        try {
            return runLocked();
        } finally {
            running.unlock();
        }
    }

    private RecalReport runLocked() {
        ModelBundle b = inference.bundle();
        RecalOutcome o = recalibrator.run(DeviceAccess.locked(inference.link(), inference.deviceLock()), b,
                inference.engine().correction(), twin);
        if (inference.bundle() == b) { // not replaced by an update meanwhile
            inference.engine().setCorrection(o.correction());
            twin = o.twin();
        }
        last = o.report();
        lastEndNanos = System.nanoTime();
        JsonNode j = o.report().toJson();
        listeners.forEach(l -> l.accept(j));
        return o.report();
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
