package org.pnnedge.runtime.cli;

import picocli.CommandLine;

/** Entry point of the {@code pnn} command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PnnCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        addHelp(cl);
        return cl;
    }

    /**
     * Every command and subcommand answers {@code -h}/{@code --help} with its usage, before any validation of its
     * other options (picocli checks usage-help options first), so help never starts with "Missing required options".
     */
    private static void addHelp(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("--help") == null && spec.findOption("-h") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addHelp(sub);
        }
    }
}
