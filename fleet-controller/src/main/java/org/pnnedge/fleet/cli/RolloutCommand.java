package org.pnnedge.fleet.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.pnnedge.fleet.rollout.ResendPolicy;
import org.pnnedge.fleet.rollout.RolloutController;
import org.pnnedge.fleet.rollout.RolloutException;
import org.pnnedge.fleet.rollout.Rollouts;
import org.pnnedge.fleet.rollout.SoakCheck;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.fleet.ClusterLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pnn fleet rollout start|status|pause|resume|abort}: staged rollouts with automatic halt. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Staged rollouts of a signed bundle to a fleet on the broker cluster, with automatic halt "
                + "(src/site/markdown/fleet.md, \"Rollouts\"). State in the fleet database (pnn fleet db up).",
                "Exit codes: 0 completed (or paused), 1 halted, aborted or failed, 2 bad input (nothing sent)."},
        subcommands = {RolloutCommand.Start.class, RolloutCommand.StatusCmd.class, RolloutCommand.Pause.class,
                RolloutCommand.Resume.class, RolloutCommand.Abort.class})
final class RolloutCommand {

    /** Where the database, the accounts and the cluster are. */
    static final class Where {
        @Mixin
        DbCommand.Where db;

        @Option(names = "--servers", split = ",", paramLabel = "URI", description = "The cluster's MQTT nodes. "
                + "Default tcp://127.0.0.1:1891,tcp://127.0.0.1:1892,tcp://127.0.0.1:1893.")
        List<URI> servers;

        Rollouts rollouts(PrintWriter out) throws Exception {
            List<InetSocketAddress> nodes = ClusterLayout.nodeAddresses(servers);
            return new Rollouts(db.database(), db.stateDir.resolve("accounts.json"), nodes, line -> {
                out.println(line);
                out.flush();
            });
        }
    }

    static int exit(RolloutController.Outcome o, PrintWriter out) {
        out.println("rollout " + o.state() + " at stage " + o.stage() + (o.reason().isEmpty() ? "" : ": " + o.reason()));
        return o.state().equals("COMPLETED") || o.state().equals("PAUSED") ? 0 : 1;
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Check the bundle, fleet and stages, store the rollout and run it in the foreground.",
            footer = {"", "Example:", "  pnn fleet rollout start --bundle vowels7-1.1.0.pnnb --fleet sim \\",
                    "      --stages 1,5%%,25%%,100%% --canary sim-00001 --threshold 2%% --soak PT30S \\",
                    "      --verdict-timeout PT5M --seed 7"})
    static final class Start implements Callable<Integer> {
        @Mixin
        Where where;
        @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "The signed bundle to roll out.")
        Path bundle;
        @Option(names = "--fleet", required = true, description = "The fleet (device accounts of accounts.json).")
        String fleet;
        @Option(names = "--stages", defaultValue = "1,5%,25%,100%", description = "Cumulative stage sizes, counts or "
                + "percentages, ending at 100%%. Default ${DEFAULT-VALUE}.")
        String stages;
        @Option(names = "--canary", split = ",", paramLabel = "DEVICE", description = "Devices that go first.")
        List<String> canaries = new ArrayList<>();
        @Option(names = "--threshold", defaultValue = "2%", description = "Halt when a stage's failures exceed this "
                + "share (REJECTED, ROLLED_BACK, no verdict in time); any bricked device halts. Default ${DEFAULT-VALUE}.")
        String threshold;
        @Option(names = "--soak", defaultValue = "PT30S", description = "Wait after a stage's verdicts. Default ${DEFAULT-VALUE}.")
        Duration soak;
        @Option(names = "--verdict-timeout", defaultValue = "PT5M", description = "A device without a verdict this long "
                + "after it was sent counts as failed. Default ${DEFAULT-VALUE}.")
        Duration verdictTimeout;
        @Option(names = "--resend-after", defaultValue = "PT30S", description = "Re-send to a device without a verdict "
                + "after this long (a node that died loses what it queued). Default ${DEFAULT-VALUE}.")
        Duration resendAfter;
        @Option(names = "--resend-max-interval", defaultValue = "PT2M", description = "Each re-send to a device waits "
                + "twice as long as the one before, at most this long. Default ${DEFAULT-VALUE}.")
        Duration resendMaxInterval;
        @Option(names = "--max-resends", defaultValue = "5", paramLabel = "N", description = "Re-sends per device per "
                + "stage (0..100); then the device only waits for its verdict or the timeout. "
                + "Default ${DEFAULT-VALUE}.")
        int maxResends;
        @Option(names = "--max-send-rate", defaultValue = "200", paramLabel = "N", description = "Bundles sent per "
                + "second over the stage, first sends and re-sends together (1..100000). Default ${DEFAULT-VALUE}.")
        int maxSendRate;
        @Option(names = "--max-in-flight", defaultValue = "500", paramLabel = "N", description = "Devices of a stage "
                + "sent the bundle and still without a verdict, at most; further first sends wait for verdicts "
                + "(1..1000000). Default ${DEFAULT-VALUE}.")
        int maxInFlight;
        @Option(names = "--seed", defaultValue = "1", description = "Orders the devices (seeded hash of their ids). Default ${DEFAULT-VALUE}.")
        long seed;
        @Option(names = "--auto-rollback", description = "On a halt, send --previous-bundle as an explicit downgrade to "
                + "the halted stage's switched devices.")
        boolean autoRollback;
        @Option(names = "--previous-bundle", paramLabel = "FILE", description = "The signed bundle to go back to.")
        Path previousBundle;
        @Option(names = "--trusted-keys", split = ",", paramLabel = "PATH", description = "Keys a bundle must be signed "
                + "with (the devices' trusted keys). Default: the checkout's release keys (src/dist/keys).")
        List<Path> trustedKeys;
        @Option(names = "--create-only", description = "Store the rollout and print its id; run it later with resume.")
        boolean createOnly;
        @Option(names = "--soak-max-drift", paramLabel = "X", description = "Judge each soak on the stored telemetry "
                + "(needs `pnn fleet ingest`): a switched device whose drift exceeds X is unhealthy.")
        Double soakMaxDrift;
        @Option(names = "--soak-max-error-rate", paramLabel = "SHARE", description = "… whose errors per inference "
                + "during the soak exceed SHARE (e.g. 1%%) is unhealthy.")
        String soakMaxErrorRate;
        @Option(names = "--soak-min-accuracy", paramLabel = "SHARE", description = "… whose accuracy estimate falls "
                + "below SHARE (e.g. 85%%) is unhealthy. Unhealthy devices count as failures of the stage.")
        String soakMinAccuracy;
        @Option(names = "--soak-probes", paramLabel = "FILE", description = "Measure each switched device's accuracy "
                + "during the soak: labelled probes (CSV feature,…,label; held-out data, not the training set) sent "
                + "as inference requests; below --soak-min-accuracy, or no answer, the device is unhealthy.")
        Path soakProbes;
        @Option(names = "--soak-probe-count", defaultValue = "20", paramLabel = "N", description = "Probes per device "
                + "(the file's first N, 1..1000). Default ${DEFAULT-VALUE}.")
        int soakProbeCount;
        @Option(names = "--soak-probe-timeout", defaultValue = "PT5S", description = "A probe unanswered this long "
                + "counts as wrong. Default ${DEFAULT-VALUE}.")
        Duration soakProbeTimeout;
        @Option(names = "--soak-probe-window", defaultValue = "32", paramLabel = "N", description = "Probe requests in "
                + "flight over all devices (1..1024). Default ${DEFAULT-VALUE}.")
        int soakProbeWindow;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            double share = share(threshold);
            // checked before anything is read: a bad bound is a usage error whatever the bundle
            ResendPolicy resend = new ResendPolicy(resendAfter, resendMaxInterval, maxResends, maxSendRate,
                    maxInFlight).check();
            TrustedKeys trusted = TrustedKeys.load(trustedKeys != null ? trustedKeys
                    : List.of(Checkout.root().orElse(Path.of(".")).resolve("src/dist/keys")));
            Rollouts r = where.rollouts(out);
            long id = r.create(new Rollouts.StartOptions(bundle, trusted, fleet, stages, canaries, share, soak,
                    verdictTimeout, resendAfter, seed, autoRollback, previousBundle, new SoakCheck.Limits(soakMaxDrift,
                    soakMaxErrorRate == null ? null : share(soakMaxErrorRate),
                    soakMinAccuracy == null ? null : share(soakMinAccuracy)),
                    soakProbes == null ? null : new Rollouts.ProbeOptions(soakProbes, soakProbeCount, soakProbeTimeout,
                            soakProbeWindow),
                    resend));
            out.println("rollout " + id + " created");
            out.flush();
            return createOnly ? 0 : exit(r.resume(id), out);
        }
    }

    /** "2%" or "0.02" as a share. */
    static double share(String text) {
        String t = text.strip();
        return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "A rollout's state and its stages' counts.",
            footer = {"", "Example:", "  pnn fleet rollout status 3 --json"})
    static final class StatusCmd implements Callable<Integer> {
        @Mixin
        Where where;
        @Parameters(arity = "0..1", paramLabel = "ID", description = "The rollout (default: the newest).")
        Long id;
        @Option(names = "--json", description = "Print machine-readable JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            RolloutStatusView.print(where.rollouts(out).status(id), json, out);
            return 0;
        }
    }

    /** A subcommand on one rollout id. */
    abstract static class OnRollout implements Callable<Integer> {
        @Mixin
        Where where;
        @Parameters(paramLabel = "ID", description = "The rollout.")
        long id;
        @Spec
        CommandSpec spec;

        abstract int run(Rollouts r, PrintWriter out) throws Exception;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            return run(where.rollouts(out), out);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop sending; the controller exits "
            + "(resume goes on where it stopped).", footer = {"", "Example:", "  pnn fleet rollout pause 3"})
    static final class Pause extends OnRollout {
        @Override
        int run(Rollouts r, PrintWriter out) throws Exception {
            out.println(r.pause(id));
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Run a paused rollout, or one whose "
            + "controller stopped, from where it was (devices that already answered are not sent to again).",
            footer = {"", "Example:", "  pnn fleet rollout resume 3"})
    static final class Resume extends OnRollout {
        @Override
        int run(Rollouts r, PrintWriter out) throws Exception {
            return exit(r.resume(id), out);
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "Send nothing more; devices keep what "
            + "they installed.", footer = {"", "Example:", "  pnn fleet rollout abort 3"})
    static final class Abort extends OnRollout {
        @Override
        int run(Rollouts r, PrintWriter out) throws Exception {
            out.println(r.abort(id));
            return 0;
        }
    }
}
