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
        return commandLine().execute(args);
    }

    /** The configured command line (help, error handling): also what the man pages and completion are made from. */
    public static CommandLine commandLine() {
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
