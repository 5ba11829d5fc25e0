package org.pnnedge.fleet.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.pnnedge.fleet.supervise.ControllerLayout;
import org.pnnedge.fleet.supervise.ControllerState;
import org.pnnedge.fleet.supervise.Controllers;
import org.pnnedge.fleet.supervise.JavaCommand;
import org.pnnedge.fleet.supervise.Supervisor;
import org.pnnedge.runtime.fleet.ClusterLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pnn fleet controller run|start|stop|status}: the controller's processes (ingest workers, the page, the
 * dispatchers) under one supervisor that restarts a dead one. {@code pnn fleet up} runs {@code start}, {@code pnn
 * fleet down} runs {@code stop}.
 */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = {"The controller's processes under one supervisor: ingest workers, the fleet page, a dispatcher "
                + "per --dispatch-fleet; pid files and logs in STATE-DIR/controller. A child that dies is restarted "
                + "(back-off 1, 2, 4, 8, 16 s; not again after 5 deaths within a minute, or after exit 2)."},
        subcommands = {ControllerCommand.Run.class, ControllerCommand.Start.class, ControllerCommand.Stop.class,
                ControllerCommand.Status.class})
final class ControllerCommand {
    private ControllerCommand() {
    }

    /** The processes' main class; the state directory on their command lines tells ours from others. */
    static JavaCommand java(Path stateDir) {
        return new JavaCommand(FleetMain.class.getName(), stateDir.toAbsolutePath().normalize().toString());
    }

    static ControllerLayout layout(Path stateDir) {
        return ControllerLayout.under(stateDir.toAbsolutePath().normalize());
    }

    /** What the supervisor needs besides {@link ControllerOptions}. */
    static final class Target {
        @Mixin
        DbCommand.Where where;
        @Option(names = "--servers", split = ",", paramLabel = "URI",
                description = "The cluster's nodes, tcp://host:port,... Default the standard cluster's 1891-1893.")
        List<URI> servers;

        List<URI> nodes() {
            return ClusterLayout.nodeAddresses(servers).stream()
                    .map(a -> URI.create("tcp://" + a.getHostString() + ":" + a.getPort())).toList();
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Supervise the controller's processes in the foreground until SIGTERM (what start runs in the "
                    + "background; for a systemd unit with Restart=on-failure).",
            footer = {"", "Example:", "  pnn fleet controller run --state-dir /var/lib/pnn-edge/fleet --dispatch-fleet lab"})
    static final class Run implements Callable<Integer> {
        @Mixin
        Target target;
        @Mixin
        ControllerOptions options;
        @Option(names = "--stop-timeout", defaultValue = "PT30S",
                description = "On SIGTERM, wait this long for the children before SIGKILL. Default ${DEFAULT-VALUE}.")
        Duration stopTimeout;

        @Override
        public Integer call() throws Exception {
            Path state = target.where.stateDir.toAbsolutePath().normalize();
            Supervisor s = new Supervisor(layout(state), java(state),
                    options.children(state, target.where.port, target.nodes()), stopTimeout);
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "controller-stop"));
            s.start();
            s.run();
            return 0;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the supervisor in the background and wait until every process is ready; exit 1 names "
                    + "one that failed, with the last line of its log (what started is left for stop).",
            footer = {"", "Example:", "  pnn fleet controller start --state-dir /var/lib/pnn-edge/fleet --page-port 8090"})
    static final class Start implements Callable<Integer> {
        @Mixin
        Target target;
        @Mixin
        ControllerOptions options;
        @Option(names = "--timeout", defaultValue = "PT120S", description = "Give up waiting after this long. Default ${DEFAULT-VALUE}.")
        Duration timeout;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return start(spec.commandLine().getOut(), target.where.stateDir, target.where.port, target.nodes(), options,
                    timeout);
        }
    }

    /** Starts the supervisor detached and prints what came up (shared with {@code pnn fleet up}); 0 ready, 1 not. */
    static int start(PrintWriter out, Path stateDir, int dbPort, List<URI> nodes, ControllerOptions options,
                     Duration timeout) throws Exception {
        options.check();
        Path state = stateDir.toAbsolutePath().normalize();
        List<String> args = new ArrayList<>(List.of("controller", "run", "--state-dir", state.toString(), "--db-port",
                "" + dbPort, "--servers", nodes.stream().map(URI::toString).collect(Collectors.joining(","))));
        args.addAll(options.args());
        ControllerLayout layout = layout(state);
        Controllers.Started r = Controllers.start(layout, java(state), args, timeout);
        String procs = r.state() == null ? "" : r.state().children().stream()
                .map(c -> c.name() + " pid " + c.pid() + " " + c.phase().name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
        out.printf("controller %s in %.1f s (pid %d, logs %s)%s%n", r.ok() ? "up" : "NOT up", r.elapsed().toMillis() / 1000.0,
                r.pid(), layout.dir(), procs.isEmpty() ? "" : ": " + procs);
        if (r.state() != null) {
            r.state().child("serve").filter(c -> !c.url().isEmpty()).ifPresent(c -> out.println("page       " + c.url()));
        }
        if (!r.ok()) {
            out.println("controller problem: " + r.problem());
        }
        out.flush();
        return r.ok() ? 0 : 1;
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the supervisor and its processes (SIGTERM, then SIGKILL after --timeout).",
            footer = {"", "Example:", "  pnn fleet controller stop --state-dir /var/lib/pnn-edge/fleet"})
    static final class Stop implements Callable<Integer> {
        @Mixin
        DbCommand.Where where;
        @Option(names = "--timeout", defaultValue = "PT60S", description = "Give up waiting after this long. Default ${DEFAULT-VALUE}.")
        Duration timeout;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            for (String line : stop(where.stateDir, timeout)) {
                spec.commandLine().getOut().println(line);
            }
            return 0;
        }
    }

    static List<String> stop(Path stateDir, Duration timeout) throws Exception {
        return Controllers.stop(layout(stateDir), java(stateDir), timeout);
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The supervisor and each process: pid, up or DOWN, its phase and restarts. Exit 0 all up and "
                    + "ready, 1 otherwise.",
            footer = {"", "Example:", "  pnn fleet controller status --state-dir /var/lib/pnn-edge/fleet"})
    static final class Status implements Callable<Integer> {
        @Mixin
        DbCommand.Where where;
        @Option(names = "--json", description = "Print status.json as the supervisor last wrote it.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ControllerLayout layout = layout(where.stateDir);
            if (json) {
                out.println(ControllerState.read(layout).map(ControllerState::json).orElse("{}"));
            }
            List<Controllers.Proc> procs = Controllers.processes(layout, java(where.stateDir));
            if (!json) {
                lines(procs).forEach(out::println);
            }
            return !procs.isEmpty() && procs.stream().allMatch(p -> p.up()
                    && (p.phase().equals("RUNNING") || p.phase().equals("READY"))) ? 0 : 1;
        }
    }

    /** The controller's lines of a status report. */
    static List<String> lines(List<Controllers.Proc> procs) {
        return procs.isEmpty() ? List.of("controller: never started here (pnn fleet up, or pnn fleet controller start)")
                : Controllers.describe(procs);
    }
}
