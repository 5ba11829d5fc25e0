package org.pnnedge.runtime.ota;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.pnn.PnnBundles;
import org.pnnedge.models.pnn.PnnModel;
import org.pnnedge.runtime.ota.CrashPoints.Point;
import org.pnnedge.runtime.ota.OtaStatus.Step;
import org.tinylog.Logger;

/**
 * Applies over-the-air model updates, transport-independent: whoever receives bundle bytes (MQTT, a file
 * drop) calls {@link #apply}, and publishes the {@link OtaStatus} objects the listener receives. The steps:
 * <pre>
 * RECEIVED → VERIFIED → STAGED → SELF_TESTED → SWITCHED
 *     ╰──────→ REJECTED       ╰──────→ ROLLED_BACK
 * </pre>
 * VERIFIED: signature, hash, format and schema against the store's trusted keys and size limit; the network
 * section builds a model; compatible with the attached device (physics, channels, converter bits, protocol,
 * enough parameter slots); not the bundle already active; newer than the active version and not below the
 * store's {@link VersionFloor} unless {@link UpdateOptions#allowDowngrade()}. STAGED: written to the store's staging
 * area. SELF_TESTED: the {@link SelfTest} passed on the device. SWITCHED: committed as active on disk (the bundle
 * before it kept for rollback), the service's {@link Activation} swapped the model and the version floor records
 * it. Any failure before STAGED is REJECTED (nothing was written); after it, ROLLED_BACK (the candidate is removed,
 * the bundle before it serves).
 *
 * <p>One update at a time: {@link #apply} is synchronized, and returns the final status.
 *
 * <p>Somewhat over 400 lines on purpose: the whole state machine (forward steps, explicit rollback, the status
 * after a crash) reads top to bottom in one file; each step is its own method.
 */
public final class OtaUpdater {
    private final BundleStore store;
    private final DeviceInfo device;
    private final SelfTest selfTest;
    private final Activation activation;
    private final Consumer<OtaStatus> listener;
    private final boolean allowDevelopmentKeys;
    private final String deviceId;
    private final Clock clock;
    private final CrashPoints crash;

    private OtaUpdater(Builder b) {
        this.store = b.store;
        this.device = b.device;
        this.selfTest = b.selfTest;
        this.activation = b.activation;
        this.listener = b.listener;
        this.allowDevelopmentKeys = b.allowDevelopmentKeys;
        this.deviceId = b.deviceId;
        this.clock = b.clock;
        this.crash = b.crash;
    }

    /**
     * @param store  the device's bundle store (trusted keys and size limit come from it)
     * @param device the attached device ({@code link.info()}): candidates must be compatible with it
     */
    public static Builder builder(BundleStore store, DeviceInfo device) {
        return new Builder(store, device);
    }

    /** Collects the updater's parts (self-test, activation, listener) before {@link #build()}. */
    public static final class Builder {
        private final BundleStore store;
        private final DeviceInfo device;
        private SelfTest selfTest = SelfTest.NONE;
        private Activation activation = Activation.NONE;
        private Consumer<OtaStatus> listener = s -> { };
        private boolean allowDevelopmentKeys = false;
        private String deviceId;
        private Clock clock = Clock.systemUTC();
        private CrashPoints crash = CrashPoints.NONE;

        private Builder(BundleStore store, DeviceInfo device) {
            this.store = Objects.requireNonNull(store, "store");
            this.device = Objects.requireNonNull(device, "device");
        }

        /** Default {@link SelfTest#NONE}; the service passes a {@link ProbeSelfTest}. */
        public Builder selfTest(SelfTest t) {
            this.selfTest = Objects.requireNonNull(t);
            return this;
        }

        public Builder activation(Activation a) {
            this.activation = Objects.requireNonNull(a);
            return this;
        }

        /** Receives every status (called on the updating thread; exceptions are logged and ignored). */
        public Builder listener(Consumer<OtaStatus> l) {
            this.listener = Objects.requireNonNull(l);
            return this;
        }

        /**
         * True accepts bundles signed by a development key; the default (false) refuses them
         * ({@link OtaStatus#REASON_DEVELOPMENT_KEY}), as the service's {@code bundle.allow_development_keys} does.
         */
        public Builder allowDevelopmentKeys(boolean allow) {
            this.allowDevelopmentKeys = allow;
            return this;
        }

        /** The device's id (MQTT topic segment), copied into every status. */
        public Builder deviceId(String id) {
            this.deviceId = id;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** Test hook: simulated crashes between steps. The store has its own (passed to {@link BundleStore#open}). */
        public Builder crashPoints(CrashPoints c) {
            this.crash = Objects.requireNonNull(c);
            return this;
        }

        public OtaUpdater build() {
            return new OtaUpdater(this);
        }
    }

    public BundleStore store() {
        return store;
    }

    /** Per-update context: what is known about the candidate so far. */
    private final class Run {
        final String id;
        final Instant started;
        ModelBundle candidate;

        Run(String id) {
            this.id = id;
            this.started = clock.instant();
        }

        OtaStatus emit(Step step, String reason, String message) {
            ModelBundle serving = store.activeIfAny().orElse(null);
            ModelBundle c = candidate;
            OtaStatus s = new OtaStatus(id, step, c == null ? null : c.manifest().modelId(),
                    c == null ? null : c.manifest().version().toString(), c == null ? null : c.keyId(),
                    c == null ? null : c.payloadSha256(), reason, message,
                    serving == null ? null : serving.manifest().modelId(),
                    serving == null ? null : serving.manifest().version().toString(), deviceId, started,
                    clock.instant());
            publish(s);
            return s;
        }
    }

    private final OtaLog log = new OtaLog();

    private void publish(OtaStatus s) {
        log.status(s);
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            Logger.warn(e, "OTA status listener failed");
        }
    }

    /**
     * Runs one update to its end and returns the final status ({@link Step#SWITCHED}, {@link Step#REJECTED} or
     * {@link Step#ROLLED_BACK}); every step's status also goes to the listener. Never throws for a bad bundle
     * or a failed step: that is what the status is for.
     */
    public synchronized OtaStatus apply(byte[] bundle, UpdateOptions options) {
        Objects.requireNonNull(bundle, "bundle");
        UpdateOptions o = options == null ? UpdateOptions.defaults() : options;
        Run run = new Run(o.updateId() == null || o.updateId().isBlank() ? newId() : o.updateId());
        run.emit(Step.RECEIVED, null, "received " + bundle.length + " bytes" + (o.source() == null ? ""
                : " from " + o.source()));
        crash.reached(Point.AFTER_RECEIVED);
        ModelBundle serving = store.activeIfAny().orElse(null);
        // each step returns the final status when the update ends there, null to go on
        OtaStatus end = verify(run, bundle, o, serving);
        if (end == null) {
            end = stage(run, bundle, serving);
        }
        if (end == null) {
            end = selfTest(run, serving);
        }
        return end != null ? end : switchTo(run, serving, o.allowDowngrade());
    }

    private static String what(ModelBundle c) {
        return c.manifest().modelId() + " " + c.manifest().version();
    }

    /** RECEIVED → VERIFIED, or REJECTED. */
    private OtaStatus verify(Run run, byte[] bundle, UpdateOptions o, ModelBundle serving) {
        try {
            run.candidate = store.reader().load(bundle, store.trusted());
        } catch (BundleException e) {
            return run.emit(Step.REJECTED, e.reason().code(), e.getMessage() + keeps(serving));
        }
        ModelBundle c = run.candidate;
        String what = what(c);
        if (c.developmentKey() && !allowDevelopmentKeys) {
            return run.emit(Step.REJECTED, OtaStatus.REASON_DEVELOPMENT_KEY, what + " is signed by development key "
                    + c.keyId() + ", which this runtime does not accept" + keeps(serving));
        }
        if (serving != null && serving.payloadSha256().equals(c.payloadSha256())) {
            return run.emit(Step.REJECTED, OtaStatus.REASON_ALREADY_ACTIVE, what + " (payload "
                    + c.payloadSha256().substring(0, 12) + "…) is already the active bundle; nothing to do");
        }
        try {
            c.requireCompatible(device);
            requireRunnable(c);
            if (serving != null && !o.allowDowngrade()) {
                c.requireNewerThan(serving.manifest().version());
            }
        } catch (BundleException e) {
            return run.emit(Step.REJECTED, e.reason().code(), e.getMessage() + keeps(serving));
        }
        var belowFloor = o.allowDowngrade() ? Optional.<VersionFloor.Refusal>empty() : store.versionFloor()
                .check(what, c.manifest().version(), serving == null ? null : serving.manifest().version());
        if (belowFloor.isPresent()) {
            return run.emit(Step.REJECTED, belowFloor.get().reason(), belowFloor.get().message() + keeps(serving));
        }
        boolean downgrade = serving != null && !c.manifest().version().isNewerThan(serving.manifest().version());
        run.emit(Step.VERIFIED, null, what + ": signed by trusted key " + c.keyId()
                + (c.developmentKey() ? " (a DEVELOPMENT key)" : "") + ", compatible with " + device.kind().id()
                + " device " + device.serialHex() + (serving == null ? ", no model installed yet"
                : downgrade ? ", explicit downgrade from " + serving.manifest().version()
                : ", newer than the active " + serving.manifest().version()));
        crash.reached(Point.AFTER_VERIFIED);
        return null;
    }

    /** VERIFIED → STAGED, or ROLLED_BACK on a storage error. */
    private OtaStatus stage(Run run, byte[] bundle, ModelBundle serving) {
        ModelBundle c = run.candidate;
        try {
            store.stage(bundle, c, BundleStore.Journal.of("update", run.id, c, run.started));
        } catch (IOException e) {
            discardQuietly();
            return run.emit(Step.ROLLED_BACK, OtaStatus.REASON_STORAGE, "cannot stage " + what(c) + ": " + e
                    + keeps(serving));
        }
        run.emit(Step.STAGED, null, what(c) + " staged in " + store.directory().resolve(BundleStore.STAGING));
        crash.reached(Point.AFTER_STAGED);
        return null;
    }

    /** STAGED → SELF_TESTED, or ROLLED_BACK (candidate deleted) when the self-test fails or cannot run. */
    private OtaStatus selfTest(Run run, ModelBundle serving) {
        ModelBundle c = run.candidate;
        SelfTest.Result r;
        try {
            r = selfTest.run(c);
        } catch (Exception e) {
            r = SelfTest.Result.fail(OtaStatus.REASON_SELF_TEST_ERROR, "the self-test failed to run: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())); // the message, not a class name
        }
        if (r == null || !r.passed()) {
            discardQuietly();
            String reason = r == null ? OtaStatus.REASON_SELF_TEST_ERROR : r.reason();
            String msg = r == null ? "the self-test returned no result" : r.message();
            return run.emit(Step.ROLLED_BACK, reason, "self-test of " + what(c) + " failed: " + msg + keeps(serving));
        }
        run.emit(Step.SELF_TESTED, null, "self-test of " + what(c) + " passed: " + r.message());
        crash.reached(Point.AFTER_SELF_TESTED);
        return null;
    }

    /** SELF_TESTED → SWITCHED: commit on disk, then the service activates it; ROLLED_BACK when either fails. */
    private OtaStatus switchTo(Run run, ModelBundle serving, boolean allowedDowngrade) {
        ModelBundle c = run.candidate;
        String what = what(c);
        ModelBundle next;
        try {
            next = store.commit();
        } catch (IOException | BundleException e) {
            Logger.error(e, "switching to {} failed", what);
            if (!committed(c)) {
                discardQuietly();
                return run.emit(Step.ROLLED_BACK, OtaStatus.REASON_STORAGE, "cannot switch to " + what + ": " + e
                        + keeps(serving));
            }
            next = c; // committed, only the bookkeeping after the commit failed; open() finishes it next time
        }
        try {
            activation.activate(next);
        } catch (Exception e) {
            Logger.error(e, "the service could not activate {}", what);
            String restored;
            try {
                store.rollback(run.id);
                restored = keeps(serving);
            } catch (IOException | BundleException | RuntimeException re) {
                Logger.error(re, "restoring the previous bundle failed");
                restored = "; restoring the previous bundle on disk failed too: " + re.getMessage();
            }
            return run.emit(Step.ROLLED_BACK, OtaStatus.REASON_ACTIVATION_FAILED, "the service could not switch "
                    + "to " + what + ": " + e.getMessage() + restored);
        }
        crash.reached(Point.AFTER_ACTIVATED);
        try {
            store.recordSwitched(next.manifest().version(), allowedDowngrade);
        } catch (IOException e) { // the store keeps the journal, so a restart records it; the next update saves it
            Logger.error("{}; it is saved before the next update, or on the next start", e.getMessage());
        }
        crash.reached(Point.AFTER_FLOOR_RECORDED);
        OtaStatus done = run.emit(Step.SWITCHED, null, what + " is active" + (serving == null ? ""
                : "; " + serving.manifest().modelId() + " " + serving.manifest().version() + " kept for rollback"));
        finishQuietly();
        return done;
    }

    private void finishQuietly() {
        try {
            store.finish();
        } catch (IOException e) {
            Logger.warn(e, "cannot delete the update journal; the next start reports this update again");
        }
    }

    /** After an exception from commit(): did the candidate reach active.pnnb? Reopening tells (and repairs). */
    private boolean committed(ModelBundle c) {
        return store.activeIfAny().map(a -> a.payloadSha256().equals(c.payloadSha256())).orElse(false);
    }

    /**
     * The network must build, and the device must have a parameter slot for every layer (layer l serves from
     * slot l). Both are {@link BundleException}s so they are reported like the other verification failures.
     */
    private void requireRunnable(ModelBundle c) throws BundleException {
        PnnModel m;
        try {
            m = PnnBundles.model(c.manifest());
        } catch (IllegalArgumentException e) {
            throw new BundleException(BundleException.Reason.SCHEMA, e.getMessage(), e);
        }
        int layers = m.architecture().layers();
        if (layers > device.slots()) {
            throw new BundleException(BundleException.Reason.INCOMPATIBLE_DEVICE, "the network has " + layers
                    + " physical layers, device " + device.serialHex() + " has " + device.slots() + " parameter slots");
        }
    }

    private static String keeps(ModelBundle serving) {
        return serving == null ? "; no model is installed" : "; " + serving.manifest().modelId() + " "
                + serving.manifest().version() + " keeps serving";
    }

    private void discardQuietly() {
        try {
            store.discard();
        } catch (IOException e) {
            Logger.warn(e, "cannot remove the staged candidate; it is discarded on the next start");
        }
    }

    /**
     * Swaps back to the previous bundle (explicit rollback, e.g. on an operator's command): the store swaps the
     * files, the service's {@link Activation} swaps the model. Reports {@link Step#ROLLED_BACK} with reason
     * {@link OtaStatus#REASON_ROLLBACK_REQUESTED}, or {@link Step#REJECTED} when there is nothing to roll back to
     * or it fails.
     */
    public synchronized OtaStatus rollback(String updateId) {
        Run run = new Run(updateId == null || updateId.isBlank() ? newId() : updateId);
        ModelBundle before = store.activeIfAny().orElse(null);
        Optional<ModelBundle> prev = store.previous();
        if (prev.isEmpty()) {
            return run.emit(Step.REJECTED, OtaStatus.REASON_ROLLBACK_REQUESTED, "no (valid) previous bundle to roll "
                    + "back to" + keeps(before));
        }
        run.candidate = prev.get();
        String what = what(prev.get());
        try {
            prev.get().requireCompatible(device);
            requireRunnable(prev.get());
        } catch (BundleException e) {
            return run.emit(Step.REJECTED, e.reason().code(), "cannot roll back to " + what + ": " + e.getMessage()
                    + keeps(before));
        }
        ModelBundle now;
        try {
            now = store.rollback(run.id);
        } catch (IOException | BundleException e) {
            return run.emit(Step.REJECTED, OtaStatus.REASON_STORAGE, "rollback to " + what + " failed: " + e
                    + keeps(before));
        }
        try {
            activation.activate(now);
        } catch (Exception e) {
            try {
                store.rollback(run.id); // swap the files back to what the service still serves
            } catch (IOException | BundleException | RuntimeException re) {
                Logger.error(re, "undoing the failed rollback on disk failed");
            }
            return run.emit(Step.REJECTED, OtaStatus.REASON_ACTIVATION_FAILED, "the service could not switch to "
                    + what + ": " + e.getMessage() + keeps(before));
        }
        return run.emit(Step.ROLLED_BACK, OtaStatus.REASON_ROLLBACK_REQUESTED, "rolled back to " + what
                + (before == null ? "" : "; " + before.manifest().modelId() + " " + before.manifest().version()
                + " kept as previous"));
    }

    /**
     * The final status of an update that the previous process did not finish (crash, power cut), for the
     * service to publish once at start-up: {@link Step#SWITCHED} if it had committed, else
     * {@link Step#ROLLED_BACK} with reason {@link OtaStatus#REASON_INTERRUPTED}. Empty when nothing was in
     * flight.
     */
    public Optional<OtaStatus> recoveryStatus() {
        BundleStore.Recovery r = store.recovery();
        if (r == null || r.interrupted() == null) {
            return Optional.empty();
        }
        BundleStore.Journal j = r.interrupted();
        ModelBundle serving = store.activeIfAny().orElse(null);
        String what = j.modelId() == null ? "the interrupted update" : j.modelId() + " " + j.version();
        Step step = r.updateCompleted() ? Step.SWITCHED : Step.ROLLED_BACK;
        String msg = r.updateCompleted()
                ? what + " is active: the " + j.kind() + " had committed before the runtime stopped; recovery "
                        + "completed it"
                : "the runtime stopped during the " + j.kind() + " to " + what + " before it committed"
                        + keeps(serving);
        Instant now = clock.instant();
        return Optional.of(new OtaStatus(j.updateId() == null ? "unknown" : j.updateId(), step, j.modelId(),
                j.version(), j.keyId(), j.sha256().isEmpty() ? null : j.sha256(),
                r.updateCompleted() ? null : OtaStatus.REASON_INTERRUPTED, msg,
                serving == null ? null : serving.manifest().modelId(),
                serving == null ? null : serving.manifest().version().toString(), deviceId, j.started(), now));
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
