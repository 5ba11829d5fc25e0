package org.pnnedge.runtime.cli;

import java.util.List;

import picocli.CommandLine.Command;

/**
 * The {@code pnn} root command. Its subcommands are added by {@link Main} from {@link #NAMES} rather than listed in
 * the annotation: picocli builds every listed subcommand (instance, reflection over its options, the classes its
 * fields name) before parsing, which was most of the start-up of {@code pnn run}/{@code classify}; Main builds only
 * the one invoked (runtime.md, "Start-up and memory").
 */
@Command(name = "pnn", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "PNN Edge: physical neural networks at the edge.")
final class PnnCommand {
    /** The top-level commands in help order ("help" is added by Main). */
    static final List<String> NAMES = List.of("demo", "emulate", "device", "characterize", "fit-twin", "train", "data",
            "run", "classify", "listen", "status", "recalibrate", "push", "eval", "benchmark", "keygen", "sign", "verify", "fleet");

    /** A new instance of the top-level command {@code name}, or null when there is none of that name. */
    static Object newCommand(String name) {
        // a string switch, not a map of constructor references: no lambda is bootstrapped at start-up
        return switch (name) {
            case "demo" -> new DemoCommand();
            case "emulate" -> new EmulateCommand();
            case "device" -> new DeviceCommand();
            case "characterize" -> new CharacterizeCommand();
            case "fit-twin" -> new FitTwinCommand();
            case "train" -> new TrainCommand();
            case "data" -> new DataCommand();
            case "run" -> new RunCommand();
            case "classify" -> new ClassifyCommand();
            case "listen" -> new ListenCommand();
            case "status" -> new StatusCommand();
            case "recalibrate" -> new RecalibrateCommand();
            case "push" -> new PushCommand();
            case "eval" -> new EvalCommand();
            case "benchmark" -> new BenchmarkCommand();
            case "keygen" -> new KeygenCommand();
            case "sign" -> new SignCommand();
            case "verify" -> new VerifyCommand();
            case "fleet" -> new FleetCommand();
            default -> null;
        };
    }
}
