package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import picocli.CommandLine;

/** Entry point of the {@code pnn} command line. */
public final class Main {
    /** Examples shown at the end of each command's help (resource examples.properties; HelpCliTest checks them). */
    static final Properties EXAMPLES = examples();

    private Main() {
    }

    private static Properties examples() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("examples.properties")) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CLI examples", e);
        }
        return p;
    }

    /** "pnn" for pnn itself, else the path below it joined by dots: "device.shot". */
    static String exampleKey(CommandLine.Model.CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        return q.equals("pnn") ? "pnn" : q.substring("pnn ".length()).replace(' ', '.');
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The configured command line (help, error handling) with every command: what {@code pnn}, {@code pnn --help},
     * {@code pnn help COMMAND}, the man pages and the completion are made from.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PnnCommand());
        for (String name : PnnCommand.NAMES) {
            cl.addSubcommand(name, PnnCommand.newCommand(name));
        }
        return configure(cl);
    }

    /**
     * The command line that runs {@code args}: when they start with a top-level command's name, the root with only
     * that command (the same usage, parsing and errors for it; the other commands and the classes their options
     * name are never loaded, which took most of the CPU time to the first inference of {@code pnn run} and
     * {@code pnn classify}); otherwise {@link #commandLine()}.
     */
    static CommandLine commandLine(String... args) {
        Object command = args.length > 0 ? PnnCommand.newCommand(args[0]) : null;
        if (command == null) {
            return commandLine();
        }
        CommandLine cl = new CommandLine(new PnnCommand());
        cl.addSubcommand(args[0], command);
        return configure(cl);
    }

    private static CommandLine configure(CommandLine cl) {
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
        String example = EXAMPLES.getProperty(exampleKey(spec));
        if (example != null) {
            spec.usageMessage().footerHeading("%nExample:%n")
                    .footer(example.lines().map(l -> "  " + l).toArray(String[]::new));
        }
        // a command with subcommands also has "help SUBCOMMAND" (pnn help COMMAND only reaches one level)
        if (!cl.getSubcommands().isEmpty() && !cl.getSubcommands().containsKey("help")) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addHelp(sub);
        }
    }
}
