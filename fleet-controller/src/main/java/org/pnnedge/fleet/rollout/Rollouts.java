package org.pnnedge.fleet.rollout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.pnnedge.fleet.db.DbException;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.rollout.RolloutException.Kind;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.runtime.fleet.FleetAccounts;

/**
 * The rollout commands on one fleet database and cluster: {@link #start} (checks everything, stores the rollout,
 * then runs it), {@link #resume} (a restarted or second controller), {@link #pause}, {@link #abort} and
 * {@link #status}. Every check that can refuse a rollout runs before the first message is sent.
 *
 * @param db           the fleet database (running)
 * @param accountsFile the cluster's accounts.json (devices of the fleet, the operator account)
 * @param servers      the cluster's MQTT nodes
 * @param log          progress lines
 */
public record Rollouts(FleetDatabase db, Path accountsFile, List<InetSocketAddress> servers, Consumer<String> log) {

    /**
     * What {@code pnn fleet rollout start} asks for.
     *
     * @param previousBundle the bundle to go back to on a halt (required by {@code autoRollback}), or null
     * @param threshold      halt when a stage's failures exceed this share (0..1)
     */
    public record StartOptions(Path bundle, TrustedKeys trusted, String fleet, String stages, List<String> canaries,
                               double threshold, Duration soak, Duration verdictTimeout, Duration resendAfter, long seed,
                               boolean autoRollback, Path previousBundle, SoakCheck.Limits soakLimits,
                               ProbeOptions probes, ResendPolicy resend) {
        /** Options with the default re-send bounds after {@code resendAfter}. */
        public StartOptions(Path bundle, TrustedKeys trusted, String fleet, String stages, List<String> canaries,
                            double threshold, Duration soak, Duration verdictTimeout, Duration resendAfter, long seed,
                            boolean autoRollback, Path previousBundle, SoakCheck.Limits soakLimits,
                            ProbeOptions probes) {
            this(bundle, trusted, fleet, stages, canaries, threshold, soak, verdictTimeout, resendAfter, seed,
                    autoRollback, previousBundle, soakLimits, probes,
                    resendAfter == null ? null : ResendPolicy.after(resendAfter));
        }

        /** Options without probes: the soak judges telemetry only. */
        public StartOptions(Path bundle, TrustedKeys trusted, String fleet, String stages, List<String> canaries,
                            double threshold, Duration soak, Duration verdictTimeout, Duration resendAfter, long seed,
                            boolean autoRollback, Path previousBundle, SoakCheck.Limits soakLimits) {
            this(bundle, trusted, fleet, stages, canaries, threshold, soak, verdictTimeout, resendAfter, seed,
                    autoRollback, previousBundle, soakLimits, null);
        }

        /** Options without soak limits: the soak only waits. */
        public StartOptions(Path bundle, TrustedKeys trusted, String fleet, String stages, List<String> canaries,
                            double threshold, Duration soak, Duration verdictTimeout, Duration resendAfter, long seed,
                            boolean autoRollback, Path previousBundle) {
            this(bundle, trusted, fleet, stages, canaries, threshold, soak, verdictTimeout, resendAfter, seed,
                    autoRollback, previousBundle, SoakCheck.Limits.none());
        }
    }

    /**
     * The soak's probes ({@code --soak-probes FILE} and its bounds); they need {@code --soak-min-accuracy}.
     *
     * @param count   probes per device (the file's first {@code count}), 1..1000
     * @param timeout a probe unanswered this long counts as wrong
     * @param window  probe requests in flight over all devices, 1..1024
     */
    public record ProbeOptions(Path file, int count, Duration timeout, int window) {
    }

    /** Checks the options, bundle, fleet and stages, stores the rollout and returns its id; nothing sent yet. */
    public long create(StartOptions o) throws RolloutException {
        if (!(o.threshold() >= 0 && o.threshold() <= 1)) {
            throw new RolloutException(Kind.BAD_OPTION, "--threshold must be 0..100 %, got " + o.threshold() * 100 + " %");
        }
        if (o.verdictTimeout().isNegative() || o.verdictTimeout().isZero() || o.soak().isNegative()
                || o.resendAfter().isNegative() || o.resendAfter().isZero()) {
            throw new RolloutException(Kind.BAD_OPTION, "--verdict-timeout and --resend-after must be > 0, --soak ≥ 0");
        }
        ResendPolicy resend = (o.resend() == null ? ResendPolicy.after(o.resendAfter()) : o.resend()).check();
        if (!resend.first().equals(o.resendAfter())) {
            throw new RolloutException(Kind.BAD_OPTION, "the re-send policy starts at " + resend.first()
                    + " but --resend-after is " + o.resendAfter());
        }
        StagePlan.parse(o.stages());
        byte[] bytes = read(o.bundle());
        VerifiedBundle v = VerifiedBundle.verify(bytes, o.trusted(), "bundle " + o.bundle());
        byte[] prev = null;
        String prevVersion = null;
        if (o.autoRollback()) {
            if (o.previousBundle() == null) {
                throw new RolloutException(Kind.BAD_OPTION, "--auto-rollback needs --previous-bundle: the signed bundle "
                        + "the devices go back to (sent as an explicit downgrade)");
            }
            prev = read(o.previousBundle());
            VerifiedBundle p = VerifiedBundle.verify(prev, o.trusted(), "previous bundle " + o.previousBundle());
            if (p.sha256().equals(v.sha256())) {
                throw new RolloutException(Kind.BAD_OPTION, "--previous-bundle is the bundle being rolled out");
            }
            prevVersion = p.version();
        }
        List<String> devices = accounts().devicesOf(o.fleet()).stream().map(FleetAccounts.Account::name).toList();
        if (devices.isEmpty()) {
            throw new RolloutException(Kind.EMPTY_FLEET, "fleet '" + o.fleet() + "' has no device accounts in "
                    + accountsFile + " (pnn fleet account add … --fleet " + o.fleet() + "); nothing was sent");
        }
        StagePlan plan = StagePlan.of(o.stages(), devices, o.canaries(), o.seed());
        SoakCheck.Limits limits = o.soakLimits() == null ? SoakCheck.Limits.none() : o.soakLimits();
        if (limits.maxDrift() != null && !(limits.maxDrift() >= 0)
                || limits.maxErrorRate() != null && !(limits.maxErrorRate() >= 0 && limits.maxErrorRate() <= 1)
                || limits.minAccuracy() != null && !(limits.minAccuracy() >= 0 && limits.minAccuracy() <= 1)) {
            throw new RolloutException(Kind.BAD_OPTION, "--soak-max-drift must be ≥ 0, --soak-max-error-rate and "
                    + "--soak-min-accuracy 0..100 %, got " + limits);
        }
        ProbeRun.Settings probes = probes(o, v, limits);
        try (RolloutStore store = store()) {
            store.syncDevices(o.fleet(), devices);
            long id = store.create(new RolloutStore.NewRollout(o.fleet(), bytes, v, prev, prevVersion, o.stages(),
                    o.threshold(), o.soak(), o.verdictTimeout(), o.resendAfter(), o.seed(), o.canaries(),
                    o.autoRollback()), plan);
            store.soakLimits(id, limits);
            store.resendPolicy(id, resend);
            if (probes != null) {
                SoakProbes.save(store.connection(), id, probes);
            }
            return id;
        } catch (SQLException e) {
            throw new RolloutException(Kind.FAILED, "cannot store the rollout: " + e.getMessage(), e);
        }
    }

    /** How long a running controller keeps reconnecting to a fleet database it lost before it gives up. */
    static final Duration DB_OUTAGE_LIMIT = Duration.ofMinutes(10);

    /**
     * Runs rollout {@code id} from where it stands (a new one, or one whose controller stopped or was paused).
     * {@link Kind#LOCKED} when another controller runs it. When the fleet database goes away while the rollout runs
     * (restart, crash: the connection and the advisory lock with it), the controller reconnects with back-off
     * (0.5 s doubling to 15 s, for at most {@link #DB_OUTAGE_LIMIT}), takes the lock again and goes on from what the
     * tables say, as a resumed controller does; the MQTT channel, and the verdicts it queued meanwhile, are kept.
     */
    public RolloutController.Outcome resume(long id) throws RolloutException, InterruptedException {
        String me = "pid " + ProcessHandle.current().pid() + "@" + host();
        OtaChannel ch = null;
        boolean first = true;
        long backoff = 500;
        long lostAt = 0;
        try {
            while (true) {
                try (RolloutStore store = store()) {
                    Rollout r = store.find(id).orElseThrow(() -> new RolloutException(Kind.BAD_OPTION, "no rollout " + id));
                    if (!store.tryLock(id)) {
                        throw new RolloutException(Kind.LOCKED, "rollout " + id + " is being run by another controller ("
                                + r.controller() + "); nothing was sent");
                    }
                    if (r.finished() && !first) {
                        // it ended (e.g. halted) just before the database went away: report how
                        log.accept("fleet database back: rollout " + id + " is " + r.state());
                        return new RolloutController.Outcome(r.state(), r.currentStage(),
                                r.haltReason() == null ? "" : r.haltReason());
                    }
                    if (r.finished()) {
                        throw new RolloutException(Kind.BAD_OPTION, "rollout " + id + " is " + r.state()
                                + (r.haltReason() == null ? "" : " (" + r.haltReason() + ")") + ": start a new rollout");
                    }
                    if (r.requested() != null && r.requested().equals("pause")) {
                        store.request(id, null); // resuming is the answer to a pause that no controller saw
                    }
                    if (ch == null) {
                        FleetAccounts.Account op = accounts().operators().stream().findFirst().orElseThrow(() ->
                                new RolloutException(Kind.BAD_OPTION, "no operator account in " + accountsFile));
                        ch = new OtaChannel(servers, op.name(), op.password(),
                                "pnn-rollout-" + id + "-" + ProcessHandle.current().pid(), Duration.ofSeconds(30));
                    }
                    if (lostAt != 0) {
                        log.accept(String.format("fleet database back after %.1f s: rollout %d goes on at stage %d",
                                (System.nanoTime() - lostAt) / 1e9, id, r.currentStage()));
                    }
                    first = false;
                    lostAt = 0;
                    backoff = 500;
                    return new RolloutController(store, ch, id, me, log).run();
                } catch (RolloutException | SQLException e) {
                    if (first || !DbOutage.is(e)) {
                        throw e instanceof RolloutException re ? re
                                : new RolloutException(Kind.FAILED, "fleet database: " + e.getMessage(), e);
                    }
                    long now = System.nanoTime();
                    lostAt = lostAt == 0 ? now : lostAt;
                    if (now - lostAt > DB_OUTAGE_LIMIT.toNanos()) {
                        throw new RolloutException(Kind.FAILED, "the fleet database stayed unreachable for more than "
                                + DB_OUTAGE_LIMIT + " (" + e.getMessage() + "); resume rollout " + id + " when it is back", e);
                    }
                    log.accept("fleet database lost (" + DbOutage.describe(e) + "); reconnecting in " + backoff
                            + " ms, rollout " + id + " goes on where the tables say");
                    Thread.sleep(backoff);
                    backoff = Math.min(15_000, backoff * 2);
                }
            }
        } finally {
            if (ch != null) {
                ch.close();
            }
        }
    }

    /** Pauses (at the running controller's next tick) a running rollout. */
    public String pause(long id) throws RolloutException {
        return ask(id, "pause");
    }

    /** Aborts a running or paused rollout: no more bundles are sent. */
    public String abort(long id) throws RolloutException {
        return ask(id, "abort");
    }

    private String ask(long id, String what) throws RolloutException {
        try (RolloutStore store = store()) {
            Rollout r = store.find(id).orElseThrow(() -> new RolloutException(Kind.BAD_OPTION, "no rollout " + id));
            if (r.finished() || (what.equals("pause") && r.state().equals("PAUSED"))) {
                throw new RolloutException(Kind.BAD_OPTION, "rollout " + id + " is " + r.state() + ": nothing to " + what);
            }
            if (store.tryLock(id)) {
                // no controller runs it: change the state here
                store.state(id, what.equals("abort") ? "ABORTED" : "PAUSED",
                        what.equals("abort") ? "aborted by the operator" : null);
                return "rollout " + id + " " + (what.equals("abort") ? "aborted" : "paused") + " (no controller was running it)";
            }
            store.request(id, what);
            return "rollout " + id + ": " + what + " requested; its controller (" + r.controller() + ") stops within a second";
        } catch (SQLException e) {
            throw new RolloutException(Kind.FAILED, "fleet database: " + e.getMessage(), e);
        }
    }

    /** The rollout and its stages' counts; the newest rollout when {@code id} is null. */
    public Status status(Long id) throws RolloutException {
        try (RolloutStore store = store()) {
            long which = id != null ? id : store.latest().orElseThrow(() ->
                    new RolloutException(Kind.BAD_OPTION, "no rollout yet (pnn fleet rollout start …)"));
            Rollout r = store.find(which).orElseThrow(() -> new RolloutException(Kind.BAD_OPTION, "no rollout " + which));
            return new Status(r, store.counts(which), SoakProbes.summaries(store.connection(), which));
        } catch (SQLException e) {
            throw new RolloutException(Kind.FAILED, "fleet database: " + e.getMessage(), e);
        }
    }

    /** What {@link #status} returns: the rollout, its stages' verdict counts and their soak probe scores. */
    public record Status(Rollout rollout, List<Rollout.StageCounts> stages, List<SoakProbes.StageSummary> probes) {
    }

    private static ProbeRun.Settings probes(StartOptions o, VerifiedBundle v, SoakCheck.Limits limits)
            throws RolloutException {
        ProbeOptions p = o.probes();
        if (p == null) {
            return null;
        }
        if (limits.minAccuracy() == null) {
            throw new RolloutException(Kind.BAD_OPTION, "--soak-probes needs --soak-min-accuracy (the accuracy a device "
                    + "must reach on the probes)");
        }
        if (p.count() < 1 || p.count() > 1000 || p.window() < 1 || p.window() > 1024 || p.timeout().isNegative()
                || p.timeout().isZero()) {
            throw new RolloutException(Kind.BAD_OPTION, "--soak-probe-count must be 1..1000, --soak-probe-window "
                    + "1..1024, --soak-probe-timeout > 0; got " + p);
        }
        return new ProbeRun.Settings(ProbeSet.read(p.file(), v), p.count(), p.timeout(), p.window());
    }

    private RolloutStore store() throws RolloutException {
        try {
            return new RolloutStore(db.connect());
        } catch (SQLException | DbException e) {
            throw new RolloutException(Kind.FAILED, "cannot reach the fleet database (pnn fleet db up?): "
                    + e.getMessage(), e);
        }
    }

    private FleetAccounts accounts() throws RolloutException {
        try {
            return FleetAccounts.load(accountsFile);
        } catch (IOException e) {
            throw new RolloutException(Kind.BAD_OPTION, "cannot read the cluster's accounts " + accountsFile + ": "
                    + e.getMessage());
        }
    }

    private static byte[] read(Path f) throws RolloutException {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new RolloutException(Kind.BAD_OPTION, "cannot read bundle " + f + ": " + e.getMessage());
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
