package org.pnnedge.fleet.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * up}), the controller's database ({@code pnn fleet db up}) and the controller's processes ({@code pnn fleet
 * controller start}: ingest workers, the page, dispatchers) in one state directory. {@code down} stops them in the
 * reverse order. Rollouts are started by the operator ({@code pnn fleet rollout start}).
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
            description = "Start the broker cluster, the fleet database (creating them on first use) and the "
                    + "controller's processes under their supervisor (ingest, the page, dispatchers), and wait until "
                    + "each is ready. Exit 1 names what failed; what came up is left running for `pnn fleet down`.",
            footer = {"", "Example:", "  pnn fleet up --state-dir /var/lib/pnn-edge/fleet --dispatch-fleet lab"})
    static final class Up implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Where where;
        @picocli.CommandLine.Mixin
        ControllerOptions controller;
        @Option(names = "--no-controller", description = "Start only the cluster and the database.")
        boolean noController;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            controller.check();
            FleetCluster cluster = FleetCluster.of(where.layout());
            FleetCluster.UpReport r = cluster.up(where.timeout);
            out.printf("cluster '%s' up in %.1f s: %s%n", where.layout().name(), r.elapsed().toMillis() / 1000.0,
                    nodes(r.status()));
            FleetDatabase db = FleetDatabase.of(DbLayout.under(where.stateDir(), where.dbPort));
            db.up(where.timeout);
            out.printf("database   up on 127.0.0.1:%d (%s)%n", where.dbPort, db.layout().dir());
            out.printf("accounts   %s; CA %s%n", where.layout().accountsFile(), where.layout().caFile());
            if (noController) {
                out.println("next       pnn fleet controller start / pnn fleet rollout start (same --state-dir)");
                return 0;
            }
            out.flush();
            List<URI> nodes = new ArrayList<>();
            for (int i = 1; i <= where.layout().nodes(); i++) {
                nodes.add(where.layout().mqttUri(i));
            }
            int code = ControllerCommand.start(out, where.stateDir(), where.dbPort, nodes, controller, where.timeout);
            out.println(code == 0 ? "next       pnn fleet account add / pnn fleet rollout start / pnn fleet status (same "
                    + "--state-dir); pnn fleet down stops everything" : "the rest runs: pnn fleet down stops everything");
            return code;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the controller's processes, the fleet database and the broker cluster (state kept).",
            footer = {"", "Example:", "  pnn fleet down --state-dir /var/lib/pnn-edge/fleet"})
    static final class Down implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Where where;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (String line : ControllerCommand.stop(where.stateDir(), where.timeout)) {
                out.println(line);
            }
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
