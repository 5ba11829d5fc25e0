package org.pnnedge.fleet.cli;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.pnnedge.fleet.monitor.DevicePartition;
import org.pnnedge.fleet.monitor.IngestWorker;
import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.FleetAccounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pnn fleet ingest}: one ingest worker, until stopped (SIGTERM) or for {@code --duration}. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Ingest worker K of N: takes its share of the devices' telemetry, status, OTA status and "
                + "recalibration reports from the cluster into the fleet database (day partitions, bounded retention).",
                "Example: pnn fleet ingest --workers 2 --worker 0   (and --worker 1 in a second process)"})
final class IngestCommand implements Callable<Integer> {
    @Mixin
    DbCommand.Where where;
    @Option(names = "--workers", defaultValue = "1", description = "Number of ingest workers sharing the devices. Default ${DEFAULT-VALUE}.")
    int workers;
    @Option(names = "--worker", defaultValue = "0", description = "This worker, 0..N-1. Default ${DEFAULT-VALUE}.")
    int worker;
    @Option(names = "--sessions", defaultValue = "64",
            description = "MQTT sessions of this worker (ejabberd sends one unacknowledged message per session at a time). Default ${DEFAULT-VALUE}.")
    int sessions;
    @Option(names = "--servers", split = ",", paramLabel = "URI",
            description = "The cluster's nodes, tcp://host:port,... Default the standard cluster's 1891-1893.")
    List<URI> servers;
    @Option(names = "--accounts", paramLabel = "FILE", description = "accounts.json of the cluster. Default STATE-DIR/accounts.json.")
    Path accounts;
    @Option(names = "--user", defaultValue = FleetAccounts.OPERATOR, description = "Operator account. Default ${DEFAULT-VALUE}.")
    String user;
    @Option(names = "--retention", defaultValue = "P7D", description = "Keep this many whole days. Default ${DEFAULT-VALUE}.")
    Duration retention;
    @Option(names = "--accounts-poll", defaultValue = "PT10S", description = "Check accounts.json this often. Default ${DEFAULT-VALUE}.")
    Duration accountsPoll;
    @Option(names = "--queue", defaultValue = "4096", description = "Bound of the queue between MQTT and the database. Default ${DEFAULT-VALUE}.")
    int queue;
    @Option(names = "--duration", description = "Stop after this long (default: until SIGTERM).")
    Duration duration;
    @Option(names = "--report", defaultValue = "PT60S", description = "Print the counters this often. Default ${DEFAULT-VALUE}.")
    Duration report;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<InetSocketAddress> nodes = ClusterLayout.nodeAddresses(servers);
        IngestWorker.Options o = new IngestWorker.Options(new DevicePartition(workers, worker), sessions, nodes,
                accounts != null ? accounts : where.stateDir.resolve("accounts.json"), user, retention, accountsPoll,
                queue, 1000);
        var out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // SIGTERM: the hook waits (60 s at most) until the worker has committed and acknowledged its batch
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ingest-stop"));
        try (IngestWorker w = new IngestWorker(o, where.database())) {
            w.start();
            out.printf("ingest worker %d/%d: following %d devices on %d sessions of '%s'%n", worker, workers,
                    w.devices().size(), sessions, user);
            out.flush();
            long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end && !stop.await(Math.min(report.toMillis(),
                    Math.max(1, (end - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
                print(out, w.stats());
                if (w.failure().isPresent()) {
                    out.println("ingest: the writer kept dying, giving up: " + w.failure().get());
                    return 1;
                }
            }
            print(out, w.stats());
        } finally {
            closed.countDown();
        }
        return 0;
    }

    private static void print(java.io.PrintWriter out, IngestWorker.Stats s) {
        out.printf("ingest: received %d stored %d duplicates %d refused %d batches %d db-retries %d devices %d "
                + "sessions-up %d writer-restarts %d%n", s.received(), s.stored(), s.duplicates(), s.rejected(),
                s.batches(), s.dbRetries(), s.devices(), s.lanesConnected(), s.writerRestarts());
        out.flush();
    }
}
