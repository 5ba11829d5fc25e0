package org.pnnedge.fleet.cli;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

import org.pnnedge.fleet.monitor.DevicePartition;
import org.pnnedge.fleet.monitor.IngestWorker;
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
    @Mixin
    ServiceOptions service;
    @Option(names = "--retention", defaultValue = "P7D", description = "Keep this many whole days. Default ${DEFAULT-VALUE}.")
    Duration retention;
    @Option(names = "--accounts-poll", defaultValue = "PT10S", description = "Check accounts.json this often. Default ${DEFAULT-VALUE}.")
    Duration accountsPoll;
    @Option(names = "--queue", defaultValue = "4096", description = "Bound of the queue between MQTT and the database. Default ${DEFAULT-VALUE}.")
    int queue;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        IngestWorker.Options o = new IngestWorker.Options(new DevicePartition(workers, worker), sessions,
                service.nodes(), service.accountsFile(where), service.user, retention, accountsPoll, queue, 1000);
        var out = spec.commandLine().getOut();
        // SIGTERM: the hook waits until the worker has committed and acknowledged its batch
        ServiceOptions.Stop stop = new ServiceOptions.Stop("ingest");
        try (IngestWorker w = new IngestWorker(o, where.database())) {
            w.start();
            out.printf("ingest worker %d/%d: following %d devices on %d sessions of '%s'%n", worker, workers,
                    w.devices().size(), sessions, service.user);
            out.flush();
            return service.loop(stop, () -> {
                print(out, w.stats());
                if (w.failure().isPresent()) {
                    out.println("ingest: the writer kept dying, giving up: " + w.failure().get());
                    return OptionalInt.of(1);
                }
                return OptionalInt.empty();
            });
        } finally {
            stop.closed();
        }
    }

    private static void print(java.io.PrintWriter out, IngestWorker.Stats s) {
        out.printf("ingest: received %d stored %d duplicates %d refused %d batches %d db-retries %d devices %d "
                + "sessions-up %d writer-restarts %d dropped %d%n", s.received(), s.stored(), s.duplicates(),
                s.rejected(), s.batches(), s.dbRetries(), s.devices(), s.lanesConnected(), s.writerRestarts(),
                s.dropped());
        out.flush();
    }
}
