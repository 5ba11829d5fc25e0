package org.pnnedge.runtime.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.pnnedge.runtime.edge.EdgeService;
import org.pnnedge.runtime.config.RuntimeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Run the edge service: inference on the device, control socket, "
        + "watchdog (see runtime.md for every configuration key).")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: built-in defaults).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable).")
    List<String> sets = new java.util.ArrayList<>();

    @Option(names = "--print-config", description = "Print the effective configuration and exit.")
    boolean printConfig;

    @Spec
    CommandSpec spec;

    static Map<String, String> overrides(List<String> sets) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new CliException("--set expects KEY=VALUE, got '" + s + "'");
            }
            m.put(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        RuntimeConfig cfg;
        try {
            if (config != null && java.nio.file.Files.isDirectory(config)) {
                throw FileProblem.unreadable("--config", config, new java.io.IOException("a directory"));
            }
            cfg = RuntimeConfig.load(config, System.getenv(), overrides(sets));
        } catch (java.nio.charset.CharacterCodingException e) { // a binary file: not a bare "Input length = 1"
            throw FileProblem.unreadable("--config", config, e);
        }
        if (printConfig) {
            cfg.effective().forEach((k, v) -> spec.commandLine().getOut().printf("%s = %s%n", k, v));
            return 0;
        }
        Path stateDir = cfg.typed().stateDir();
        if (java.nio.file.Files.exists(stateDir) && !java.nio.file.Files.isDirectory(stateDir)) {
            throw new CliException("state.dir " + stateDir + " is a file, not a directory"); // not a stack trace
        }
        requireOwnStateDir(stateDir, System.getProperty("user.name"));
        Logging.configure(cfg);
        EdgeService service = EdgeService.start(cfg);
        spec.commandLine().getOut().printf("pnn run: serving %s@%s on %s (device id %s); stop with Ctrl-C or SIGTERM%n",
                service.engine().modelId(), service.engine().version(), service.link().describe(), service.deviceId());
        spec.commandLine().getOut().flush();
        DeviceCommand.Serving.awaitShutdown(Logging::shutdown, service);
        return 0;
    }

    /**
     * Root must not serve from a state directory that belongs to the service's user: every file it wrote there
     * (0600, root's) would be unreadable to the service afterwards, which then refuses to start ("state-version.json
     * is not readable JSON"). Seen after a {@code sudo pnn run} to try the installed package.
     */
    static void requireOwnStateDir(Path stateDir, String user) throws java.io.IOException {
        if (!"root".equals(user) || !java.nio.file.Files.isDirectory(stateDir)) {
            return;
        }
        String owner = java.nio.file.Files.getOwner(stateDir).getName();
        if (!owner.equals(user)) {
            throw new CliException("state.dir " + stateDir + " belongs to " + owner + ": run pnn as that user "
                    + "(sudo -u " + owner + " pnn run ..., or systemctl start pnn-edge), or give --set state.dir=DIR; "
                    + "files root wrote there would be unreadable to the service");
        }
    }
}
