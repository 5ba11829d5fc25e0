package org.pnnedge.fleet.rollout;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.pnnedge.fleet.rollout.RolloutException.Kind;
import org.pnnedge.runtime.ota.OtaStatus;

/**
 * Runs one rollout to its end, stage after stage (fleet.md, "Rollouts (built)"): sends the bundle to the stage's
 * devices that have no verdict yet (at most {@link ResendPolicy#sendsPerSecond} bundles a second, and at most
 * {@link ResendPolicy#maxInFlight} devices sent and still without a verdict at a time), waits for every
 * verdict (re-sending to devices that have none — a message queued on a node that died is lost — with back-off and
 * a per-device cap, {@link ResendSchedule}, and giving up after the verdict timeout: TIMEOUT, or
 * BRICKED when the device is known to be offline), halts when the stage's failures exceed the threshold or a device
 * is bricked (and then, with auto-rollback, sends the previous bundle as an explicit downgrade to the stage's
 * switched devices), else soaks and goes on. Pause and abort requests (from another process, through the
 * database) are read every tick. The caller holds the rollout's lock ({@link RolloutStore#tryLock}).
 */
public final class RolloutController {
    private static final Duration TICK = Duration.ofMillis(200);
    private static final int SEND_CHUNK = 500;
    private static final Duration PUBACK_TIMEOUT = Duration.ofSeconds(30);

    /** How a run ended: the rollout's state, the stage it was at and why (halt reason or "") . */
    public record Outcome(String state, int stage, String reason) {
    }

    private final RolloutStore store;
    private final OtaChannel channel;
    private final long id;
    private final String controllerName;
    private final Consumer<String> log;
    private final Map<String, Boolean> online = new HashMap<>();
    /** When {@link #housekeeping} last ran. */
    private Instant lastCheck = Instant.now();
    /** Devices of the current stage still waiting for a verdict, with their sends (set per stage). */
    private ResendSchedule waiting;
    /** Bundle sends of the current stage, first sends and re-sends together (set per stage). */
    private SendRate rate;
    private ResendPolicy policy;
    private final Map<String, Instant[]> rollbackWaiting = new LinkedHashMap<>();
    private Rollout r;

    public RolloutController(RolloutStore store, OtaChannel channel, long id, String controllerName, Consumer<String> log) {
        this.store = store;
        this.channel = channel;
        this.id = id;
        this.controllerName = controllerName;
        this.log = log;
    }

    /** Runs from where the rollout stands until it completes, halts, is paused or aborted. */
    public Outcome run() throws RolloutException, InterruptedException {
        try {
            r = store.find(id).orElseThrow(() -> new RolloutException(Kind.BAD_OPTION, "no rollout " + id));
            if (r.finished()) {
                return new Outcome(r.state(), r.currentStage(), Optional.ofNullable(r.haltReason()).orElse(""));
            }
            byte[] bundle = store.bundle(id, false);
            List<Rollout.StageCounts> stages = store.counts(id);
            policy = store.resendPolicy(id, r.resendAfter());
            for (int k = r.currentStage(); k <= stages.size(); k++) {
                store.running(id, k, controllerName);
                Instant t0 = Instant.now();
                store.stage(id, k, "SENDING");
                waiting = new ResendSchedule(policy);
                rate = new SendRate(policy.sendsPerSecond(), System.nanoTime());
                List<String> toSend = new ArrayList<>();
                for (RolloutStore.DeviceRow d : store.devices(id, k)) {
                    if (d.state().equals("PENDING") || d.state().equals("SENT")) {
                        toSend.add(d.id()); // SENT: sent before a restart, its verdict may be lost: again
                    }
                }
                Outcome stop = send(k, toSend, bundle);
                if (stop != null) {
                    return stop;
                }
                store.stage(id, k, "WAITING");
                stop = awaitVerdicts(k, bundle);
                if (stop != null) {
                    return stop;
                }
                Rollout.StageCounts c = store.counts(id).get(k - 1);
                Duration verdicts = Duration.between(t0, Instant.now());
                log.accept(String.format("stage %d (%s): %d devices, verdicts in %.1f s: %d switched, %d rejected, "
                        + "%d rolled back, %d timed out, %d bricked; %d re-sends", k, c.spec(), c.size(),
                        verdicts.toMillis() / 1000.0, c.switched(), c.rejected(), c.rolledBack(), c.timeout(),
                        c.bricked(), waiting.resent()));
                if (c.bricked() > 0 || c.failures() > r.threshold() * c.size()) {
                    return halt(k, c);
                }
                store.stage(id, k, "SOAKING");
                stop = soak(k);
                if (stop != null) {
                    return stop;
                }
                store.stage(id, k, "PASSED");
            }
            store.state(id, "COMPLETED", null);
            log.accept("rollout " + id + " completed");
            return new Outcome("COMPLETED", stages.size(), "");
        } catch (SQLException e) {
            throw new RolloutException(Kind.FAILED, "the fleet database failed during rollout " + id + ": "
                    + e.getMessage(), e);
        }
    }

    private Outcome send(int stage, List<String> devices, byte[] bundle) throws SQLException, InterruptedException {
        for (int i = 0; i < devices.size(); ) {
            Outcome stop = requested(stage);
            if (stop != null) {
                return stop;
            }
            int room = policy.maxInFlight() - waiting.size();
            if (room <= 0) { // the window is full: wait for verdicts, re-sending and timing out meanwhile
                drain(TICK);
                housekeeping(stage, bundle);
                continue;
            }
            long wait = rate.nanosUntilOne(System.nanoTime());
            if (wait > 0) {
                drain(Duration.ofNanos(Math.min(wait, TICK.toNanos())));
                continue;
            }
            int n = Math.min(Math.min(Math.min(SEND_CHUNK, room), rate.available(System.nanoTime())), devices.size() - i);
            rate.take(n);
            List<String> chunk = devices.subList(i, i + n);
            i += n;
            store.markSent(id, chunk);
            channel.send(chunk, bundle, r.updateId(), false, PUBACK_TIMEOUT);
            // the verdict timeout counts from this run's send: a rollout resumed after a long pause is not timed out
            // at once (the table keeps the first send of all)
            Instant now = Instant.now();
            for (RolloutStore.DeviceRow d : store.devices(id, stage)) {
                if (d.state().equals("SENT") && chunk.contains(d.id())) {
                    waiting.sent(d.id(), now);
                }
            }
            drain(Duration.ZERO);
        }
        return null;
    }

    private Outcome awaitVerdicts(int stage, byte[] bundle) throws SQLException, InterruptedException {
        while (!waiting.isEmpty()) {
            drain(TICK);
            if (!housekeeping(stage, bundle)) {
                continue;
            }
            Outcome stop = requested(stage);
            if (stop != null) {
                return stop;
            }
        }
        return null;
    }

    /**
     * At most once a second: times out the devices past the verdict timeout and re-sends to those due; false when
     * it was not yet time.
     */
    private boolean housekeeping(int stage, byte[] bundle) throws SQLException, InterruptedException {
        Instant now = Instant.now();
        if (Duration.between(lastCheck, now).compareTo(Duration.ofSeconds(1)) < 0) {
            return false;
        }
        lastCheck = now;
        for (String d : waiting.expired(now, r.verdictTimeout())) {
            boolean offline = Boolean.FALSE.equals(online.get(d));
            store.verdict(id, d, offline ? "BRICKED" : "TIMEOUT",
                    offline ? "no verdict and offline" : "no verdict within " + r.verdictTimeout(), null);
        }
        int due = waiting.dueCount(now);
        List<String> resend = waiting.due(now, Math.min(SEND_CHUNK, rate.available(System.nanoTime())));
        if (!resend.isEmpty()) {
            rate.take(resend.size());
            int exhausted = waiting.exhausted();
            log.accept("stage " + stage + ": re-sending to " + resend.size() + " devices without a verdict"
                    + (due > resend.size() ? " (" + (due - resend.size()) + " more due, held back by "
                    + "--max-send-rate " + policy.sendsPerSecond() + "/s)" : "")
                    + (exhausted > 0 ? "; " + exhausted + " at --max-resends " + policy.maxResends()
                    + ", waiting for their verdict or the timeout" : ""));
            store.markSent(id, resend);
            channel.send(resend, bundle, r.updateId(), false, PUBACK_TIMEOUT);
        }
        return true;
    }

    private Outcome soak(int stage) throws SQLException, InterruptedException {
        Instant start = Instant.now();
        Instant end = start.plus(r.soak());
        ProbeRun probes = startProbes(stage);
        try {
            while (Instant.now().isBefore(end) || probes != null && !probes.done()) {
                drain(TICK);
                Outcome stop = requested(stage);
                if (stop != null) {
                    return stop;
                }
            }
        } finally {
            if (probes != null && !probes.done()) {
                probes.cancel(); // paused, aborted or failed: the next soak probes again
            }
        }
        return judgeSoak(stage, start, probes == null ? null : scoreProbes(stage, probes));
    }

    /** Starts the stage's probe pass over its switched devices when the rollout has a probe set (else null). */
    private ProbeRun startProbes(int stage) throws SQLException {
        Optional<ProbeRun.Settings> s = SoakProbes.settings(store.connection(), id);
        if (s.isEmpty()) {
            return null;
        }
        List<String> switched = store.devices(id, stage).stream().filter(d -> d.state().equals("SWITCHED"))
                .map(RolloutStore.DeviceRow::id).toList();
        ProbeRun run = new ProbeRun(channel, switched, s.get(), store.soakLimits(id).minAccuracy(),
                "r" + id + "s" + stage + "-" + Long.toHexString(System.nanoTime()));
        log.accept(String.format("stage %d soak: probing %d devices with %d labelled probes each (%s, at most %d in "
                + "flight, %s per answer)", stage, switched.size(), run.perDevice(), s.get().set().source(),
                s.get().window(), s.get().timeout()));
        run.start();
        return run;
    }

    /** Stores the pass's scores and returns the devices that failed it, as unhealthy ones. */
    private List<SoakCheck.Unhealthy> scoreProbes(int stage, ProbeRun run) throws SQLException {
        List<ProbeRun.DeviceResult> res = run.results();
        if (res.isEmpty()) {
            log.accept("stage " + stage + " soak: no switched device to probe");
            return List.of();
        }
        SoakProbes.results(store.connection(), id, stage, res);
        double min = res.stream().mapToDouble(ProbeRun.DeviceResult::accuracy).min().orElse(Double.NaN);
        double mean = res.stream().mapToDouble(ProbeRun.DeviceResult::accuracy).average().orElse(Double.NaN);
        List<SoakCheck.Unhealthy> bad = res.stream().filter(d -> !d.passed())
                .map(d -> new SoakCheck.Unhealthy(d.device(), d.reason())).toList();
        log.accept(String.format("stage %d soak: probe accuracy of %d devices: min %.3f, mean %.3f; %d below %.3f or "
                + "silent", stage, res.size(), min, mean, bad.size(), store.soakLimits(id).minAccuracy()));
        return bad;
    }

    /**
     * Judges the stage's switched devices on the telemetry they sent during the soak (when the rollout has limits)
     * and on their probe scores ({@code probed}: the pass's failures, null without probes): unhealthy devices count
     * as failures of the stage, and the rollout halts when failures and unhealthy devices together exceed the
     * threshold.
     */
    private Outcome judgeSoak(int stage, Instant start, List<SoakCheck.Unhealthy> probed)
            throws SQLException, InterruptedException {
        List<SoakCheck.Unhealthy> probeFailures = probed == null ? List.of() : probed;
        SoakCheck.Limits limits = store.soakLimits(id);
        if (!limits.any()) {
            return null;
        }
        List<String> switched = store.devices(id, stage).stream().filter(d -> d.state().equals("SWITCHED"))
                .map(RolloutStore.DeviceRow::id).toList();
        SoakCheck.Result j = store.judgeSoak(switched, start, Instant.now(), limits);
        log.accept(String.format("stage %d soak: %d devices judged on their telemetry, %d sent none, %d unhealthy%s",
                stage, j.judged(), j.silent(), j.unhealthy().size(), j.judged() == 0 && !switched.isEmpty()
                        && probed == null ? " (no telemetry stored: is `pnn fleet ingest` running?)" : ""));
        // a device unhealthy on its telemetry and on its probes counts once
        Map<String, String> unhealthy = new LinkedHashMap<>();
        probeFailures.forEach(u -> unhealthy.put(u.device(), u.why()));
        j.unhealthy().forEach(u -> unhealthy.merge(u.device(), u.why(), (a, b) -> a + "; " + b));
        Rollout.StageCounts c = store.counts(id).get(stage - 1);
        if (unhealthy.isEmpty() || c.failures() + unhealthy.size() <= r.threshold() * c.size()) {
            return null;
        }
        List<String> names = unhealthy.entrySet().stream().limit(5).map(u -> u.getKey() + " " + u.getValue()).toList();
        String why = String.format("stage %d soak: %d of %d devices unhealthy on their probes or telemetry (%s%s) with "
                + "%d failed verdicts > threshold %.2f %%", stage, unhealthy.size(), c.size(), String.join(", ", names),
                unhealthy.size() > names.size() ? ", …" : "", c.failures(), r.threshold() * 100);
        return halt(stage, why);
    }

    private Outcome halt(int stage, Rollout.StageCounts c) throws SQLException, InterruptedException {
        return halt(stage, c.bricked() > 0 ? c.bricked() + " bricked device(s) (no verdict and offline) in stage " + stage
                : String.format("stage %d: %d of %d devices failed (%d rejected, %d rolled back, %d timed out) > "
                        + "threshold %.2f %%", stage, c.failures(), c.size(), c.rejected(), c.rolledBack(), c.timeout(),
                        r.threshold() * 100));
    }

    private Outcome halt(int stage, String why) throws SQLException, InterruptedException {
        store.stage(id, stage, "HALTED");
        store.state(id, "HALTED", why);
        log.accept("rollout " + id + " HALTED: " + why);
        if (r.autoRollback()) {
            rollBack(stage);
        }
        return new Outcome("HALTED", stage, why);
    }

    /** Sends the previous bundle as an explicit downgrade to the stage's switched devices and records their answers. */
    private void rollBack(int stage) throws SQLException, InterruptedException {
        byte[] previous = store.bundle(id, true);
        List<String> switched = store.devices(id, stage).stream().filter(d -> d.state().equals("SWITCHED"))
                .map(RolloutStore.DeviceRow::id).toList();
        Instant now = Instant.now();
        for (String d : switched) {
            store.rollback(id, d, "SENT", null);
            rollbackWaiting.put(d, new Instant[] {now, now});
        }
        channel.send(switched, previous, rollbackId(), true, PUBACK_TIMEOUT);
        Instant end = now.plus(r.verdictTimeout());
        while (!rollbackWaiting.isEmpty() && Instant.now().isBefore(end)) {
            drain(TICK);
        }
        for (String d : rollbackWaiting.keySet()) {
            store.rollback(id, d, "TIMEOUT", "no answer to the rollback within " + r.verdictTimeout());
        }
        long ok = store.counts(id).get(stage - 1).rollbackDone();
        log.accept("rollback of stage " + stage + ": " + ok + " of " + switched.size() + " devices back on "
                + r.previousVersion());
    }

    private String rollbackId() {
        return r.updateId() + "-rollback";
    }

    private Outcome requested(int stage) throws SQLException {
        Optional<String> q = store.requested(id);
        if (q.isEmpty()) {
            return null;
        }
        if (q.get().equals("abort")) {
            store.stage(id, stage, "ABORTED");
            store.state(id, "ABORTED", "aborted by the operator at stage " + stage);
            log.accept("rollout " + id + " aborted at stage " + stage);
            return new Outcome("ABORTED", stage, "aborted by the operator");
        }
        store.state(id, "PAUSED", null);
        log.accept("rollout " + id + " paused at stage " + stage + " (resume: pnn fleet rollout resume " + id + ")");
        return new Outcome("PAUSED", stage, "paused by the operator");
    }

    /** Applies the events that arrive within {@code wait} (the first one waited for, the rest taken as they are). */
    private void drain(Duration wait) throws SQLException, InterruptedException {
        OtaChannel.Event e = channel.poll(wait);
        int n = 0;
        while (e != null && n++ < 10_000) {
            apply(e);
            e = channel.poll(Duration.ZERO);
        }
    }

    private void apply(OtaChannel.Event e) throws SQLException {
        if (e instanceof OtaChannel.Presence p) {
            online.put(p.device(), p.online());
            return;
        }
        OtaChannel.Verdict v = (OtaChannel.Verdict) e;
        OtaStatus s = v.status();
        boolean ours = s.updateId().equals(r.updateId());
        boolean rollback = s.updateId().equals(rollbackId());
        if (!(ours || rollback) || !s.isFinal()) {
            return; // another update's (e.g. an old retained status) or a step on the way
        }
        if (s.deviceId() != null && !s.deviceId().equals(v.topicDevice())) {
            store.foreignVerdict(id);
            log.accept("ignored a verdict on pnn/" + v.topicDevice() + "/ota/status that names device '"
                    + s.deviceId() + "'");
            return;
        }
        String d = v.topicDevice();
        if (rollback) {
            if (rollbackWaiting.remove(d) != null) {
                boolean back = s.step() == OtaStatus.Step.SWITCHED && r.previousVersion().equals(s.activeVersion());
                store.rollback(id, d, back ? "ROLLED_BACK" : "FAILED", s.reason());
            }
            return;
        }
        String state = switch (s.step()) {
            case SWITCHED -> "SWITCHED";
            // a re-send that arrives after the install: the device already runs this very bundle
            case REJECTED -> OtaStatus.REASON_ALREADY_ACTIVE.equals(s.reason()) && r.version().equals(s.activeVersion())
                    ? "SWITCHED" : "REJECTED";
            default -> "ROLLED_BACK";
        };
        if (store.verdict(id, d, state, s.reason(), s.activeVersion()) && waiting != null) {
            waiting.done(d);
        }
    }
}
