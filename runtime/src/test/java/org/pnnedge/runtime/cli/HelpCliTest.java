package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers --help (and -h) with its usage and exit 0, before validating anything. */
class HelpCliTest {
    static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().aliases().length > 0
                    && List.of(e.getValue().getCommandSpec().aliases()).contains(e.getKey())) {
                continue; // an alias of a command already listed
            }
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> commands = new ArrayList<>();
        collect(Main.commandLine(), List.of(), commands);
        assertTrue(commands.size() > 20, "commands found: " + commands.size());
        for (List<String> c : commands) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(c);
                args.add(flag);
                CliTest.Result r = CliTest.run(args.toArray(String[]::new));
                String all = r.out() + r.err();
                assertEquals(0, r.exit(), args + ": " + all);
                assertTrue(all.contains("Usage:"), args + ": " + all);
                assertFalse(all.contains("Missing required"), args + ": " + all);
                assertFalse(all.contains("Unknown option"), args + ": " + all);
                assertTrue(all.contains("Example:" + System.lineSeparator() + "  pnn "), args + " has an example: " + all);
            }
        }
    }

    /**
     * The command line built for one command ({@code Main.commandLine(args)}, what {@code pnn COMMAND ...} runs) has
     * exactly the usage, subcommands and examples of that command in the full command line, for every command, and
     * the full one has exactly {@code PnnCommand.NAMES} (plus help) under the names their annotations give.
     */
    @Test
    void aSingleCommandLineIsTheFullOnesCommand() {
        CommandLine full = Main.commandLine();
        List<String> names = new ArrayList<>(PnnCommand.NAMES);
        names.add("help");
        assertEquals(names, new ArrayList<>(full.getSubcommands().keySet()));
        for (String name : PnnCommand.NAMES) {
            CommandLine one = Main.commandLine(name, "--help");
            assertEquals(List.of(name, "help"), new ArrayList<>(one.getSubcommands().keySet()));
            CommandLine a = full.getSubcommands().get(name);
            CommandLine b = one.getSubcommands().get(name);
            assertEquals(name, a.getCommandSpec().userObject().getClass()
                    .getAnnotation(CommandLine.Command.class).name(), "the annotation's name of " + name);
            List<List<String>> inFull = new ArrayList<>();
            List<List<String>> inOne = new ArrayList<>();
            collect(a, List.of(), inFull);
            collect(b, List.of(), inOne);
            assertEquals(inFull, inOne, name);
            assertEquals(a.getUsageMessage(CommandLine.Help.Ansi.OFF), b.getUsageMessage(CommandLine.Help.Ansi.OFF),
                    name);
        }
        assertEquals(full.getSubcommands().keySet(), Main.commandLine("nosuchcommand").getSubcommands().keySet());
    }

    /** Every example is a command line pnn accepts (parsed, not run): options and subcommands exist. */
    @Test
    void everyExampleParses() {
        assertTrue(Main.EXAMPLES.size() > 20, "examples: " + Main.EXAMPLES.size());
        for (String key : Main.EXAMPLES.stringPropertyNames()) {
            for (String line : Main.EXAMPLES.getProperty(key).split("\n")) {
                List<String> words = shellWords(line);
                assertEquals("pnn", words.get(0), key + ": " + line);
                try {
                    Main.commandLine().parseArgs(words.subList(1, words.size()).toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    throw new AssertionError(key + ": '" + line + "' does not parse: " + e.getMessage(), e);
                }
            }
        }
    }

    /** {@code pnn help COMMAND} prints that command's usage. */
    @Test
    void helpCommandShowsACommandsUsage() {
        for (String c : List.of("classify", "train", "run", "device")) {
            CliTest.Result r = CliTest.run("help", c);
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("Usage: pnn " + c), r.out());
        }
        CliTest.Result nested = CliTest.run("device", "help", "shot");
        assertEquals(0, nested.exit(), nested.out() + nested.err());
        assertTrue(nested.out().contains("Usage: pnn device shot"), nested.out());
    }

    /** Words of a shell command line with double-quoted parts (enough for the examples). */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char ch : line.strip().toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
                any = true;
            } else if (ch == ' ' && !quoted) {
                if (any) {
                    words.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(ch);
                any = true;
            }
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }

    /** The benchmark description explains every TASK its parameter lists, as 'task': ... */
    @Test
    void benchmarkDescribesEveryTask() {
        CommandLine.Model.CommandSpec spec = Main.commandLine().getSubcommands().get("benchmark").getCommandSpec();
        String description = String.join(" ", spec.usageMessage().description());
        String tasks = String.join(" ", spec.positionalParameters().get(0).description());
        List<String> listed = List.of(tasks.replace(" or ", ", ").split(",\\s*"));
        assertTrue(listed.contains("hybrid"), tasks);
        for (String task : listed) {
            assertTrue(description.contains("'" + task.trim() + "':"), task + " is not described in: " + description);
        }
    }
}
