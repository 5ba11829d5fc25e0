package org.pnnedge.fleetsim;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.FleetAccounts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pnn fleet simulate}: N simulated devices against the broker cluster, then a measured report. */
@Command(name = "pnn fleet simulate",
        description = "Simulated devices speaking the runtime's MQTT contract (status + will, QoS 1 telemetry, OTA "
                + "verdicts from the real bundle verifier and a self-test on an emulated unit) on the fleet cluster; "
                + "needs N device accounts (pnn fleet account add --count N --prefix sim- --fleet F). Prints what it "
                + "measured: connect time, telemetry delivered (seen by an operator on node 1), end-to-end latency, "
                + "its own CPU and peak RSS. Exit 0 when every device connected, 1 otherwise, 2 on bad options.",
        footer = {"", "Example:", "  pnn fleet account add --count 1000 --prefix sim- --fleet sim --state-dir /tmp/fl",
                "  pnn fleet simulate --devices 1000 --fleet sim --telemetry-rate 100 --duration PT60S --state-dir /tmp/fl",
                "See src/site/markdown/fleet.md."})
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
    @Option(names = "--devices", required = true, paramLabel = "N", description = "Number of simulated devices.")
    int devices;
    @Option(names = "--fleet", defaultValue = "sim", description = "Fleet id. Default ${DEFAULT-VALUE}.")
    String fleet;
    @Option(names = "--prefix", defaultValue = "sim-", description = "Account-name prefix of the simulated devices. Default ${DEFAULT-VALUE}.")
    String prefix;
    @Option(names = "--bad-share", defaultValue = "0.01", description = "Share of bad units (their self-test fails). Default ${DEFAULT-VALUE}.")
    double badShare;

    @Option(names = "--degraded-share", defaultValue = "0", description = "Share of degraded units: their self-test "
            + "passes, but once updated they answer inference requests badly (dead channels). Default ${DEFAULT-VALUE}.")
    double degradedShare;
    @Option(names = "--seed", defaultValue = "1", description = "Picks the bad units and each unit's gain: same seed, same fleet. Default ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--telemetry-rate", paramLabel = "MSG/S", description = "Telemetry messages per second, all devices together. Default: N/10 (each device every 10 s).")
    Double telemetryRate;
    @Option(names = "--servers", split = ",", paramLabel = "URI",
            description = "The cluster's MQTT nodes. Default tcp://127.0.0.1:1891,tcp://127.0.0.1:1892,tcp://127.0.0.1:1893.")
    List<URI> servers;
    @Option(names = "--duration", defaultValue = "PT60S", description = "How long telemetry runs (ISO-8601). Default ${DEFAULT-VALUE}.")
    Duration duration;
    @Option(names = "--connect-timeout", defaultValue = "PT180S", description = "Give up connecting after this long. Default ${DEFAULT-VALUE}.")
    Duration connectTimeout;
    @Option(names = "--state-dir", defaultValue = "/var/lib/pnn-edge/fleet", paramLabel = "DIR",
            description = "The cluster's state directory (accounts.json). Default ${DEFAULT-VALUE}.")
    Path stateDir;
    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the devices keep their bundle stores. Default: a new temporary directory.")
    Path workDir;
    @Option(names = "--trusted-keys", split = ",", paramLabel = "PATH", description = "Public keys (files or directories) whose bundles the devices accept. Default: the release keys of the checkout (src/dist/keys), which sign the shipped bundle.")
    List<Path> trustedKeys;
    @Option(names = "--initial-bundle", paramLabel = "FILE", description = "The bundle every device starts with. Default: the shipped models/vowels7.pnnb.")
    Path initialBundle;
    @Option(names = "--netty-threads", defaultValue = "2", description = "Network threads shared by all devices. Default ${DEFAULT-VALUE}.")
    int nettyThreads;
    @Option(names = "--connect-window", defaultValue = "500", description = "CONNECTs in flight at once. Default ${DEFAULT-VALUE}.")
    int connectWindow;
    @Option(names = "--no-observe", description = "Do not measure delivery and latency with an operator connection.")
    boolean noObserve;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new SimulateCommand());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("pnn fleet simulate: " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path accounts = stateDir.resolve("accounts.json");
        if (!Files.isReadable(accounts)) {
            throw new IllegalArgumentException(accounts + " is missing or not readable: start the cluster (pnn fleet cluster up --state-dir "
                    + stateDir + ") and add the devices (pnn fleet account add --count " + devices + " --prefix " + prefix
                    + " --fleet " + fleet + ")");
        }
        List<InetSocketAddress> nodes = ClusterLayout.nodeAddresses(servers);
        Path home = Checkout.root().orElse(Path.of("."));
        TrustedKeys trusted = TrustedKeys.load(trustedKeys == null ? List.of(home.resolve("src/dist/keys")) : trustedKeys);
        byte[] initial = Files.readAllBytes(initialBundle == null ? home.resolve("src/dist/models/vowels7.pnnb") : initialBundle);
        Path work = workDir == null ? Files.createTempDirectory("pnn-fleet-sim-") : workDir;
        double rate = telemetryRate == null ? devices / 10.0 : telemetryRate;
        FleetSimulator.Options o = new FleetSimulator.Options(devices, fleet, prefix, badShare, seed, rate, nodes,
                accounts, work, trusted, initial, nettyThreads, connectWindow, degradedShare);
        long t0 = System.nanoTime();
        FleetObserver observer = null;
        try (FleetSimulator sim = new FleetSimulator(o)) {
            if (!noObserve) {
                FleetAccounts.Account op = FleetAccounts.load(accounts).operators().stream().findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(accounts + " has no operator account to observe with"));
                observer = new FleetObserver(nodes.get(0), op.name(), op.password());
            }
            // SIGTERM: every device says "offline" (shutdown); SIGKILL leaves it to the wills
            Runtime.getRuntime().addShutdownHook(new Thread(sim::stop, "sim-shutdown"));
            int connected = sim.connect(connectTimeout);
            out.printf(Locale.ROOT, "connected %d of %d devices in %.1f s (%d bad units, seed %d; bundle stores in %s)%n",
                    connected, devices, sim.report(null, 0).connectSeconds(), sim.report(null, 0).bad(), seed, work);
            out.flush();
            sim.startTelemetry();
            Thread.sleep(duration.toMillis());
            sim.stopTelemetry();
            if (observer != null) {
                long sent = sim.telemetrySent();
                FleetObserver obs = observer;
                FleetObserver.await(Duration.ofSeconds(15), () -> obs.telemetryReceived() >= sent);
            }
            FleetSimulator.Report r = sim.report(observer, (System.nanoTime() - t0) / 1e9);
            Map<String, Object> m = r.toMap();
            m.put("telemetry_rate", rate);
            m.put("duration_s", duration.toMillis() / 1000.0);
            FleetObserver.Gaps gaps = observer == null ? null : observer.gaps();
            if (gaps != null) {
                m.put("observer_reconnects", gaps.reconnects());
                m.put("observer_missed_s", gaps.missed().toMillis() / 1000.0);
                m.put("observer_longest_gap_s", gaps.longest().toMillis() / 1000.0);
                m.put("observer_last_cause", gaps.lastCause());
            }
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(m));
            } else {
                out.printf(Locale.ROOT, "telemetry  %d sent at %.0f msg/s for %s, %d delivered (%.2f %%), end to end p50 %d ms, p95 %d ms, p99 %d ms%n",
                        r.telemetrySent(), rate, duration, r.telemetryDelivered(),
                        r.telemetrySent() == 0 ? 0 : 100.0 * r.telemetryDelivered() / r.telemetrySent(), r.p50Ms(), r.p95Ms(), r.p99Ms());
                if (gaps != null) {
                    // a delivered share far below 100 % with gaps here is the observer's loss, not the fleet's
                    out.println("observer   " + gaps.summary());
                }
                if (r.telemetrySkipped() > 0 || r.otaDropped() > 0) {
                    out.printf(Locale.ROOT, "bounds     %d telemetry periods skipped (16 unacknowledged per device), %d bundles not taken (OTA queue full)%n",
                            r.telemetrySkipped(), r.otaDropped());
                }
                out.printf(Locale.ROOT, "simulator  cpu %.1f s over %.1f s (%.2f cores), peak rss %.0f MiB%n",
                        r.cpuSeconds(), r.wallSeconds(), r.cpuSeconds() / r.wallSeconds(), r.rssPeakKib() / 1024.0);
            }
            return connected == devices ? 0 : 1;
        } catch (IOException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            if (observer != null) {
                observer.close();
            }
        }
    }
}
