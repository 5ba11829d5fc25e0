package org.pnnedge.runtime.service;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.pnnedge.bridge.DeviceException;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.EnergyCounters;
import org.pnnedge.bridge.Sensor;
import org.pnnedge.bridge.SensorReading;
import org.pnnedge.bridge.net.RateLimitedLog;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.ModelBundle;
import org.tinylog.Logger;

/**
 * Serves inference on one device with one active model, and is its watchdog: owns the device lock that every
 * device access holds (inference, recalibration phases, OTA self-tests), counts errors by kind and resets a
 * failing device and reloads its parameters. Knows nothing of configuration, MQTT, OTA or recalibration: those
 * attach through {@link #deviceLock()}, {@link #engine()} and {@link #swap}.
 */
public final class InferenceService {
    private final DeviceLink link;
    private final ReentrantLock deviceLock = new ReentrantLock(true);
    private final LatencyStats stats = new LatencyStats(4096);
    private final EnergyLedger energy;
    private double lastSlotMicrojoules = Double.NaN;
    private double lastShotCount = Double.NaN;
    private final Map<String, Long> errorsByKind = new LinkedHashMap<>();
    private final long watchdogMillis;
    private volatile InferenceEngine engine;
    private volatile ModelBundle bundle;
    private Prediction prediction;
    private long watchdogResets;
    /** A device that fails every request would otherwise log at the request rate; the status counts each one. */
    private final RateLimitedLog recoveryLog = new RateLimitedLog(Duration.ofSeconds(10));
    private volatile boolean closing;

    /**
     * @param watchdog how long a request waits for the device (watchdog.timeout)
     * @param pricing  how an inference's energy is priced (energy.*)
     */
    public InferenceService(DeviceLink link, ModelBundle bundle, InferenceEngine engine, Duration watchdog,
                            EnergyLedger.Pricing pricing) {
        this.link = link;
        this.watchdogMillis = watchdog.toMillis();
        this.energy = new EnergyLedger(pricing, 4096);
        install(bundle, engine);
        try {
            refreshDeviceEnergy(); // the baseline the first measured figure is taken against
        } catch (DeviceException e) {
            Logger.warn("energy counters not read at start: {}", e.getMessage());
        }
    }

    private void install(ModelBundle newBundle, InferenceEngine e) {
        this.engine = e;
        this.bundle = newBundle;
        this.prediction = e.newPrediction();
    }

    public DeviceLink link() {
        return link;
    }

    /** Held around every device access (inference, recalibration measurements, OTA self-tests). */
    public ReentrantLock deviceLock() {
        return deviceLock;
    }

    public InferenceEngine engine() {
        return engine;
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public LatencyStats stats() {
        return stats;
    }

    public EnergyLedger energy() {
        return energy;
    }

    /**
     * Reads the device's energy counters (when it keeps them) and its shot count under the device lock, and gives
     * the ledger the measured energy per shot since the previous reading (shots and parameter loads on every slot,
     * so recalibration's shots are priced alike). A device without counters leaves the ledger on its model; a reboot
     * in between (counters restarted) skips one interval. Status and telemetry call it, so like {@link #sensors()}
     * it does not wait behind a recalibration phase: when the device is not free within {@link #SENSOR_WAIT_MILLIS}
     * it reads nothing (the counters are cumulative, so the next reading covers the skipped interval).
     *
     * @return whether the counters were read (false: the device was busy, or it keeps no counters)
     */
    public boolean refreshDeviceEnergy() {
        if (!lockWithin(SENSOR_WAIT_MILLIS)) {
            return false;
        }
        try {
            EnergyCounters c = link.energy().orElse(null);
            if (c == null) {
                return false;
            }
            double slots = 0;
            for (double v : c.slotMicrojoules()) {
                slots += v;
            }
            double shots = link.sensors().get(Sensor.SHOT_COUNT).orElse(Double.NaN);
            if (shots > lastShotCount && slots >= lastSlotMicrojoules) {
                energy.measuredDevicePerShot((slots - lastSlotMicrojoules) * 1e-6 / (shots - lastShotCount));
            }
            lastSlotMicrojoules = slots;
            lastShotCount = shots;
            return true;
        } finally {
            deviceLock.unlock();
        }
    }

    public synchronized long watchdogResets() {
        return watchdogResets;
    }

    /** Errors by kind since start (a copy). */
    public synchronized Map<String, Long> errorsByKind() {
        return new LinkedHashMap<>(errorsByKind);
    }

    public boolean closing() {
        return closing;
    }

    /** Switches to a new, already verified and self-tested bundle; in-flight inferences finish on the old one. */
    public void swap(ModelBundle newBundle) throws BundleException {
        deviceLock.lock();
        try {
            InferenceEngine e = new InferenceEngine(link, newBundle);
            install(newBundle, e);
            Logger.info("now serving {}@{}", e.modelId(), e.version());
        } finally {
            deviceLock.unlock();
        }
    }

    /**
     * Classifies one feature vector on the device. Device failures are counted, the device is reset and the
     * parameters reloaded (watchdog), and the failure is rethrown for the caller to report.
     */
    public Answer classify(double[] features) {
        return classify(features, null);
    }

    /**
     * Classifies one measurement whose features depend on the model: {@code featuresOfLayout} gets the feature
     * layout of the model that will answer ({@code hz12} for bundles that name none) and returns its features. It
     * is called with the device lock held, so a bundle swapped in meanwhile cannot be handed another layout's
     * features (a {@code talker13} and a {@code bark13} vector both have 13 values). An
     * {@link IllegalArgumentException} from it is counted as {@code bad_request} and rethrown.
     */
    public Answer classify(Function<String, double[]> featuresOfLayout) {
        return classify(null, featuresOfLayout);
    }

    private Answer classify(double[] given, Function<String, double[]> featuresOfLayout) {
        if (closing) {
            throw new IllegalStateException("service is shutting down");
        }
        try {
            if (!deviceLock.tryLock(watchdogMillis, TimeUnit.MILLISECONDS)) {
                count("busy");
                throw new IllegalStateException("device busy for longer than watchdog.timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        try {
            InferenceEngine e = engine;
            double[] features = given != null ? given : featuresOfLayout.apply(e.featureLayout());
            energy.begin(link.bytesTransferred());
            e.classify(features, prediction);
            energy.end(link.bytesTransferred(), e.shotsPerInference());
            stats.record(prediction.latencyNanos());
            return e.answer(prediction);
        } catch (DeviceException ex) {
            stats.recordError();
            count(ex.kind()); // a stable key (device_timeout, slot_empty, ...), not a class name
            recoverDevice(ex);
            throw ex;
        } catch (IllegalArgumentException ex) {
            count("bad_request");
            throw ex;
        } finally {
            deviceLock.unlock();
        }
    }

    /** Watchdog: after a failed inference, reset the device and reload every layer's parameters. */
    private void recoverDevice(DeviceException cause) {
        long n;
        synchronized (this) {
            n = ++watchdogResets;
        }
        String outcome = "reset the device and reloaded parameters";
        try {
            link.reset();
            engine.loadParameters();
        } catch (DeviceException e) {
            count("reset_failed");
            outcome = "device reset failed: " + e.getMessage();
        }
        recoveryLog.warn("inference failed (" + cause.getMessage() + "); " + outcome + " (" + n
                + " watchdog resets since the start)");
    }

    /** Counts one error of {@code kind} (reported in the status under "errors"). */
    public synchronized void count(String kind) {
        errorsByKind.merge(kind, 1L, Long::sum);
    }

    /**
     * Compares the device's slot checksums with the parameters loaded (under the device lock) and reloads every slot
     * someone else overwrote; each one counts as a {@code foreign_param_write} error. A failing check counts as
     * {@code param_check_failed} and changes nothing.
     *
     * @return the slots reloaded, or -1 when the firmware cannot tell (it predates SLOT_CHECKSUMS)
     */
    public int checkParameters() {
        deviceLock.lock();
        try {
            int n = link.verifyParams();
            if (n > 0) {
                Logger.error("{} parameter slot(s) of the device were overwritten by someone else; reloaded", n);
                synchronized (this) {
                    errorsByKind.merge("foreign_param_write", (long) n, Long::sum);
                }
            }
            return n;
        } catch (DeviceException e) {
            count("param_check_failed");
            Logger.warn("parameter check failed: {}", e.getMessage());
            return 0;
        } finally {
            deviceLock.unlock();
        }
    }

    /** How long a sensor read waits for the device before it answers with the last readings. */
    public static final long SENSOR_WAIT_MILLIS = 100;
    private volatile Map<String, Double> lastSensors = Map.of();

    /**
     * Device sensors (key → value), read under the device lock. Status and telemetry must not wait behind a
     * recalibration phase or a long batch: when the device is not free within {@link #SENSOR_WAIT_MILLIS}, this
     * returns empty and {@link #lastSensors()} has the previous readings.
     */
    public Optional<Map<String, Double>> sensors() {
        if (!lockWithin(SENSOR_WAIT_MILLIS)) {
            return Optional.empty();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        try {
            for (SensorReading r : link.sensors().readings()) {
                m.put(r.key(), r.value());
            }
        } finally {
            deviceLock.unlock();
        }
        lastSensors = Map.copyOf(m);
        return Optional.of(m);
    }

    /** The readings of the last successful {@link #sensors()} (empty before the first). */
    public Map<String, Double> lastSensors() {
        return lastSensors;
    }

    /** Refuses new inferences from now on (shutdown). */
    public void refuseNewWork() {
        closing = true;
    }

    /**
     * Waits (at most watchdog.timeout) for the in-flight inference and keeps the device lock, so nothing uses the
     * device after this; the caller closes it.
     */
    public void awaitIdle() {
        closing = true;
        if (!lockWithin(watchdogMillis) && !Thread.currentThread().isInterrupted()) {
            Logger.warn("an inference did not finish within watchdog.timeout; closing the device anyway");
        }
    }

    /** The device lock, waiting at most {@code millis}; false on timeout or interrupt (the flag stays set). */
    private boolean lockWithin(long millis) {
        try {
            return deviceLock.tryLock(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
