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
            }
        }
    }
}
