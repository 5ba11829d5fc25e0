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
        return cl;
    }
}
