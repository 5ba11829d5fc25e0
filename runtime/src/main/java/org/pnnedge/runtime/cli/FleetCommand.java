package org.pnnedge.runtime.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.ClusterStatus;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.pnnedge.runtime.fleet.FleetCluster;
import org.pnnedge.runtime.fleet.FleetException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fleet", description = {"Fleets: a local 3-node MQTT 5 broker cluster (ejabberd) and its accounts (src/site/markdown/fleet.md).",
                "pnn fleet simulate (a test tool) and the controller's pnn fleet up|down|db|rollout|status|ingest|serve|dispatch run "
                        + "through ./pnn, which gives each its own class path (see pnn fleet db --help)."},
        subcommands = {FleetCommand.Cluster.class, FleetCommand.Account.class})
final class FleetCommand {

    /** Where the cluster lives; every fleet subcommand takes these. */
    static final class Where extends ClusterOptions {
        @Option(names = "--json", description = "Print machine-readable JSON.")
        boolean json;

        FleetCluster cluster() throws FleetException {
            return FleetCluster.of(layout());
        }
    }

    @Command(name = "cluster", description = "Start, stop and inspect the broker cluster.",
            subcommands = {Up.class, Down.class, Status.class})
    static final class Cluster {
    }

    @Command(name = "up", description = "Start the nodes on loopback, join them into one cluster, register the accounts. "
            + "Exit 1 names each node that failed and why.")
    static final class Up implements Callable<Integer> {
        @Mixin
        Where where;
        @Option(names = "--timeout", defaultValue = "PT90S", description = "Give up after this long (ISO-8601). Default ${DEFAULT-VALUE}.")
        Duration timeout;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            FleetCluster c = where.cluster();
            FleetCluster.UpReport r = c.up(timeout);
            if (where.json) {
                Map<String, Object> m = statusMap(c, r.status());
                m.put("up_seconds", r.elapsed().toMillis() / 1000.0);
                out.println(Json.write(m));
            } else {
                out.printf("cluster '%s' up in %.1f s (ejabberd %s, %d nodes)%n", where.name,
                        r.elapsed().toMillis() / 1000.0, c.brokerVersion(), where.nodes);
                printNodes(out, r.status());
                printHowToConnect(out, c);
            }
            return 0;
        }
    }

    @Command(name = "down", description = "Stop every node of the cluster (gracefully, then by signal).")
    static final class Down implements Callable<Integer> {
        @Mixin
        Where where;
        @Option(names = "--timeout", defaultValue = "PT20S", description = "Signal nodes still running after this long. Default ${DEFAULT-VALUE}.")
        Duration timeout;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            for (String line : where.cluster().down(timeout)) {
                spec.commandLine().getOut().println(line);
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Nodes (running, answering, cluster members), connected clients, memory, "
            + "open-file limit; exit 1 when a node is down, naming it and why.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Where where;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            FleetCluster c = where.cluster();
            ClusterStatus s = c.status();
            if (where.json) {
                out.println(Json.write(statusMap(c, s)));
            } else {
                printNodes(out, s);
                out.printf("sessions (cluster-wide, incl. persistent sessions of disconnected clients): %s%n",
                        s.sessions() < 0 ? "unknown" : s.sessions());
            }
            if (!s.allUp()) {
                spec.commandLine().getErr().println(FleetCluster.describeDown(s));
            }
            return s.allUp() ? 0 : 1;
        }
    }

    @Command(name = "account", description = "MQTT accounts of the cluster: devices and operators.",
            subcommands = {AccountAdd.class, AccountList.class})
    static final class Account {
    }

    @Command(name = "add", description = "Add an account with a generated password (kept in accounts.json, 0600). "
            + "A device may publish only under pnn/<name>/ and read its own and its fleet's topics; an operator "
            + "may do everything. Applied at once when the cluster runs. With --count, adds numbered device "
            + "accounts <prefix>00001.. in one batch (e.g. for pnn fleet simulate); those that exist in the fleet are kept.")
    static final class AccountAdd implements Callable<Integer> {
        @Mixin
        Where where;
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Account name = device id (lower case a-z 0-9 _ . -).")
        String name;
        @Option(names = "--fleet", description = "The device's fleet id.")
        String fleet;
        @Option(names = "--operator", description = "An operator account (controller, dashboard) instead of a device.")
        boolean operator;
        @Option(names = "--count", paramLabel = "N", description = "Add N numbered device accounts <prefix>00001..<prefix>N (instead of NAME).")
        Integer count;
        @Option(names = "--prefix", defaultValue = "sim-", description = "Name prefix for --count. Default ${DEFAULT-VALUE}.")
        String prefix;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (operator == (fleet != null)) {
                throw new CliException("give either --fleet F (a device) or --operator");
            }
            if ((name == null) == (count == null)) {
                throw new CliException("give either an account NAME or --count N");
            }
            if (count != null && operator) {
                throw new CliException("--count adds device accounts: give --fleet F, not --operator");
            }
            FleetCluster c = where.cluster();
            PrintWriter out = spec.commandLine().getOut();
            if (count != null) {
                List<String> names;
                try {
                    names = FleetAccounts.numbered(prefix, count);
                } catch (IllegalArgumentException e) {
                    throw new CliException(e.getMessage());
                }
                // numbered accounts that exist already in this fleet are kept, so --count grows a simulated fleet
                FleetAccounts have = c.accounts();
                List<String> missing = names.stream().filter(n -> have.find(n)
                        .map(a -> a.role() != FleetAccounts.Role.DEVICE || !a.fleet().equals(fleet)).orElse(true)).toList();
                if (!missing.isEmpty()) {
                    c.addAccounts(missing, FleetAccounts.Role.DEVICE, fleet);
                }
                out.printf("added %d device accounts (fleet %s; %d of %s..%s existed); passwords in %s%n", missing.size(),
                        fleet, names.size() - missing.size(), names.get(0), names.get(names.size() - 1),
                        c.layout().accountsFile());
                return 0;
            }
            FleetAccounts.Account a = c.addAccount(name, operator ? FleetAccounts.Role.OPERATOR
                    : FleetAccounts.Role.DEVICE, operator ? "" : fleet);
            out.printf("added %s account '%s'%s; password in %s%n",
                    a.role().name().toLowerCase(java.util.Locale.ROOT), a.name(),
                    a.fleet().isEmpty() ? "" : " (fleet " + a.fleet() + ")", c.layout().accountsFile());
            return 0;
        }
    }

    @Command(name = "list", description = "List the accounts (names, roles, fleets; no passwords).")
    static final class AccountList implements Callable<Integer> {
        @Mixin
        Where where;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            FleetAccounts all = FleetAccounts.load(where.layout().accountsFile());
            List<Map<String, Object>> rows = all.accounts().stream().map(a -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", a.name());
                m.put("role", a.role().name().toLowerCase(java.util.Locale.ROOT));
                m.put("fleet", a.fleet());
                return m;
            }).toList();
            if (where.json) {
                out.println(Json.write(rows));
            } else {
                rows.forEach(r -> out.printf("%-24s %-9s %s%n", r.get("name"), r.get("role"), r.get("fleet")));
            }
            return 0;
        }
    }

    static Map<String, Object> statusMap(FleetCluster c, ClusterStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("broker", "ejabberd " + c.brokerVersion());
        m.put("all_up", s.allUp());
        m.put("sessions", s.sessions());
        m.put("nodes", s.nodes().stream().map(n -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("node", n.index());
            x.put("name", n.name());
            x.put("mqtt", c.layout().mqttUri(n.index()).toString());
            x.put("tls", c.layout().tlsUri(n.index()).toString());
            x.put("up", n.up());
            x.put("problem", n.problem());
            x.put("pid", n.pid());
            x.put("members", n.members());
            x.put("clients", n.clients());
            x.put("rss_mib", n.rssKib() < 0 ? -1 : n.rssKib() / 1024.0);
            x.put("open_file_limit", n.openFileLimit());
            return x;
        }).toList());
        m.put("accounts", c.layout().accountsFile().toString());
        m.put("ca_file", c.layout().caFile().toString());
        return m;
    }

    private static void printNodes(PrintWriter out, ClusterStatus s) {
        for (ClusterStatus.Node n : s.nodes()) {
            if (n.up()) {
                out.printf("node %d  %-22s UP    mqtt :%d  tls :%d  pid %d  clients %d  rss %.0f MiB  open files %d  members %d%n",
                        n.index(), n.name(), n.mqttPort(), n.tlsPort(), n.pid(), n.clients(), n.rssKib() / 1024.0,
                        n.openFileLimit(), n.members().size());
            } else {
                out.printf("node %d  %-22s DOWN  %s%n", n.index(), n.name(), n.problem());
            }
        }
    }

    private static void printHowToConnect(PrintWriter out, FleetCluster c) {
        ClusterLayout l = c.layout();
        out.printf("accounts   %s (mode 0600; operator '%s')%n", l.accountsFile(), FleetAccounts.OPERATOR);
        out.printf("CA         %s%n", l.caFile());
        StringBuilder others = new StringBuilder();
        for (int i = 2; i <= l.nodes(); i++) {
            others.append(i > 2 ? "," : "").append(l.mqttUri(i));
        }
        out.printf("a device   mqtt.broker=%s%s mqtt.username=<device> mqtt.password=<from accounts.json>%n",
                l.mqttUri(1), others.isEmpty() ? "" : " mqtt.servers=" + others);
    }
}
