package org.pnnedge.fleet.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.pnnedge.fleet.db.DbLayout;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.runtime.cli.ClusterOptions;
import org.pnnedge.runtime.fleet.ClusterStatus;
import org.pnnedge.runtime.fleet.FleetCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pnn fleet up|down}: the whole fleet back end in one command — the broker cluster ({@code pnn fleet cluster
 * up}) and the controller's database ({@code pnn fleet db up}) in one state directory. The controller's own processes
 * (rollouts, ingest workers, the page) then run against them.
 */
final class UpDownCommand {
    private UpDownCommand() {
    }

    /** The options of both commands: the cluster's ({@link ClusterOptions}, as `pnn fleet cluster` has them) and the database's. */
    static final class Where extends ClusterOptions {
        @Option(names = "--db-port", defaultValue = "" + DbLayout.DEFAULT_PORT,
                description = "Loopback port of the database. Default ${DEFAULT-VALUE}.")
        int dbPort;
        @Option(names = "--timeout", defaultValue = "PT120S", description = "Give up after this long. Default ${DEFAULT-VALUE}.")
        Duration timeout;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the broker cluster and the fleet database (creating them on first use). Exit 1 "
                    + "names what failed; a cluster that came up is left running for `pnn fleet down`.",
            footer = {"", "Example:", "  pnn fleet up --state-dir /var/lib/pnn-edge/fleet"})
    static final class Up implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Where where;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            FleetCluster cluster = FleetCluster.of(where.layout());
            FleetCluster.UpReport r = cluster.up(where.timeout);
            out.printf("cluster '%s' up in %.1f s: %s%n", where.layout().name(), r.elapsed().toMillis() / 1000.0,
                    nodes(r.status()));
            FleetDatabase db = FleetDatabase.of(DbLayout.under(where.stateDir(), where.dbPort));
            db.up(where.timeout);
            out.printf("database   up on 127.0.0.1:%d (%s)%n", where.dbPort, db.layout().dir());
            out.printf("accounts   %s; CA %s%n", where.layout().accountsFile(), where.layout().caFile());
            out.println("next       pnn fleet ingest / pnn fleet serve / pnn fleet rollout start (same --state-dir)");
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the fleet database and the broker cluster (state kept).",
            footer = {"", "Example:", "  pnn fleet down --state-dir /var/lib/pnn-edge/fleet"})
    static final class Down implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Where where;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            FleetDatabase.of(DbLayout.under(where.stateDir(), where.dbPort)).down(where.timeout);
            out.println("database   down");
            for (String line : FleetCluster.of(where.layout()).down(where.timeout)) {
                out.println(line);
            }
            return 0;
        }
    }

    private static String nodes(ClusterStatus s) {
        StringBuilder b = new StringBuilder();
        for (ClusterStatus.Node n : s.nodes()) {
            b.append(b.isEmpty() ? "" : ", ").append(n.name()).append(n.up() ? " up" : " DOWN");
        }
        return b.toString();
    }
}
