package org.pnnedge.fleet.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

import org.pnnedge.fleet.dispatch.Dispatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pnn fleet dispatch}: a fleet's inference dispatcher, active or standby, until stopped. */
@Command(name = "dispatch", mixinStandardHelpOptions = true,
        description = {"Fleet inference on a broker without shared subscriptions (ejabberd): takes requests from "
                + "pnn/fleet/F/infer/request and forwards each to one online device of the fleet (least outstanding, "
                + "then round robin); the requester gets the device's answer or a named error (no_device, timeout, "
                + "busy, device_lost) within --timeout. Run two for a fleet: the one holding the fleet database's "
                + "advisory lock is active, the other takes over when it dies.",
                "Example: pnn fleet dispatch --fleet lab   (and the same in a second process or host for a standby)"})
final class DispatchCommand implements Callable<Integer> {
    /** A fleet id as accounts name it (a-z 0-9 _ . -, starting with a letter or digit, at most 64). */
    static final String FLEET_ID = "[a-z0-9][a-z0-9_.-]{0,63}";
    @Mixin
    DbCommand.Where where;
    @Option(names = "--fleet", required = true, description = "The fleet whose requests this dispatcher serves.")
    String fleet;
    @Mixin
    ServiceOptions service;
    @Option(names = "--timeout", defaultValue = "PT5S", description = "Every request is answered within this. Default ${DEFAULT-VALUE}.")
    Duration timeout;
    @Option(names = "--max-outstanding", defaultValue = "8",
            description = "Requests in flight per device (the runtime queues 64). Default ${DEFAULT-VALUE}.")
    int maxOutstanding;
    @Option(names = "--max-waiting", defaultValue = "1000",
            description = "Requests waiting for a free device; beyond, 'busy'. Default ${DEFAULT-VALUE}.")
    int maxWaiting;
    @Option(names = "--liveness", defaultValue = "PT30S",
            description = "A device not heard from (telemetry, status, answers) within this is not used; keep it "
                    + "above the devices' telemetry.interval. Default ${DEFAULT-VALUE}.")
    Duration liveness;
    @Option(names = "--queue", defaultValue = "10000", description = "Bound of the event queue. Default ${DEFAULT-VALUE}.")
    int queue;
    @Option(names = "--lock-poll", defaultValue = "PT1S",
            description = "How often the standby tries the lock and the active one checks it. Default ${DEFAULT-VALUE}.")
    Duration lockPoll;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!fleet.matches(FLEET_ID)) {
            throw new IllegalArgumentException("bad-option: --fleet '" + fleet + "' is not a fleet id (a-z 0-9 _ . -, "
                    + "starting with a letter or digit, at most 64)");
        }
        positive("--timeout", timeout);
        positive("--liveness", liveness);
        positive("--lock-poll", lockPoll);
        if (maxOutstanding < 1 || maxWaiting < 0 || queue < 1) {
            throw new IllegalArgumentException("bad-option: --max-outstanding and --queue must be >= 1, --max-waiting >= 0");
        }
        positive("--report", service.report);
        PrintWriter out = spec.commandLine().getOut();
        Dispatcher.Options o = new Dispatcher.Options(fleet, service.nodes(), service.accountsFile(where), service.user,
                timeout, maxOutstanding, maxWaiting, liveness, queue, lockPoll);
        ServiceOptions.Stop stop = new ServiceOptions.Stop("dispatch");
        try (Dispatcher d = new Dispatcher(o, where.database(), line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        })) {
            d.start();
            return service.loop(stop, () -> {
                print(out, d.stats());
                return OptionalInt.empty();
            });
        } finally {
            stop.closed();
        }
    }

    private static void positive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("bad-option: " + name + " must be a positive duration, not " + d);
        }
    }

    private static void print(PrintWriter out, Dispatcher.Stats s) {
        synchronized (out) {
            out.printf("dispatch: %s%s online %d/%d forwarded %d answered %d errors %s in-flight %d waiting %d resent %d "
                    + "late %d dropped %d restarts %d talkers %d moved %d%n", s.active() ? "active" : "standby",
                    s.connected() ? "" : " (not connected)", s.online().size(), s.devices(), s.forwarded(), s.answered(),
                    s.errors(), s.inFlight(), s.waiting(), s.resent(), s.late(), s.dropped(), s.restarts(),
                    s.talkers(), s.talkersMoved());
            out.flush();
        }
    }
}
