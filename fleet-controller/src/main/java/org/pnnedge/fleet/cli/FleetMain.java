package org.pnnedge.fleet.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pnn fleet} on the controller's class path: the database, rollouts and monitoring of a fleet. */
@Command(name = "pnn fleet", mixinStandardHelpOptions = true, version = "pnn fleet controller (see pnn --version)",
        description = {"The fleet controller: its PostgreSQL database, staged rollouts and fleet monitoring "
                + "(src/site/markdown/fleet.md).",
                "pnn fleet cluster|account manage the broker cluster; pnn fleet simulate runs simulated devices."},
        subcommands = {UpDownCommand.Up.class, UpDownCommand.Down.class, DbCommand.class, RolloutCommand.class,
                IngestCommand.class, StatusCommand.class, ServeCommand.class, DispatchCommand.class,
                ControllerCommand.class,
                CommandLine.HelpCommand.class})
public final class FleetMain {
    private FleetMain() {
    }

    /** The command line with the project's exit codes: 0 ok, 1 failure, 2 usage or bad input. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FleetMain());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            err.println("pnn fleet: " + e.getMessage());
            return e instanceof IllegalArgumentException
                    || e instanceof org.pnnedge.fleet.rollout.RolloutException re && re.kind().badInput() ? 2 : 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
