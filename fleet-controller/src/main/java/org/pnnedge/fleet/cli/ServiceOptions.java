package org.pnnedge.fleet.cli;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.FleetAccounts;
import picocli.CommandLine.Option;

/**
 * The options and the run loop of the controller's long-running services on the cluster ({@code ingest},
 * {@code dispatch}): which nodes, which accounts file and operator, how long, how often to report; SIGTERM ends
 * the loop and waits for the service to close.
 */
final class ServiceOptions {
    @Option(names = "--servers", split = ",", paramLabel = "URI",
            description = "The cluster's nodes, tcp://host:port,... Default the standard cluster's 1891-1893.")
    List<URI> servers;
    @Option(names = "--accounts", paramLabel = "FILE", description = "accounts.json of the cluster. Default STATE-DIR/accounts.json.")
    Path accounts;
    @Option(names = "--user", defaultValue = FleetAccounts.OPERATOR, description = "Operator account. Default ${DEFAULT-VALUE}.")
    String user;
    @Option(names = "--duration", description = "Stop after this long (default: until SIGTERM).")
    Duration duration;
    @Option(names = "--report", defaultValue = "PT60S", description = "Print the counters this often. Default ${DEFAULT-VALUE}.")
    Duration report;

    List<InetSocketAddress> nodes() {
        return ClusterLayout.nodeAddresses(servers);
    }

    Path accountsFile(DbCommand.Where where) {
        return accounts != null ? accounts : where.stateDir.resolve("accounts.json");
    }

    /**
     * Calls {@code tick} every {@code --report} until {@code --duration} is over or SIGTERM comes; {@code tick}
     * reports and may end the loop early with an exit code. The caller closes its service in a finally block and
     * then calls {@link Stop#closed()} so that the SIGTERM hook (60 s at most) lets the JVM go.
     */
    int loop(Stop stop, Supplier<OptionalInt> tick) throws InterruptedException {
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end && !stop.stop.await(Math.min(report.toMillis(),
                Math.max(1, (end - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
            OptionalInt exit = tick.get();
            if (exit.isPresent()) {
                return exit.getAsInt();
            }
        }
        OptionalInt exit = tick.get();
        return exit.orElse(0);
    }

    /** The SIGTERM hook of one service run. */
    static final class Stop {
        private final CountDownLatch stop = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);

        Stop(String name) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name + "-stop"));
        }

        void closed() {
            closed.countDown();
        }
    }
}
