package org.pnnedge.runtime.cli;

import picocli.CommandLine.Command;

@Command(name = "pnn", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "PNN Edge: physical neural networks at the edge.",
        subcommands = {DemoCommand.class, EmulateCommand.class, DeviceCommand.class, CharacterizeCommand.class,
                FitTwinCommand.class, TrainCommand.class, DataCommand.class, RunCommand.class, ClassifyCommand.class, ListenCommand.class, StatusCommand.class, PushCommand.class, EvalCommand.class, BenchmarkCommand.class, KeygenCommand.class,
                SignCommand.class, VerifyCommand.class, FleetCommand.class, picocli.CommandLine.HelpCommand.class})
final class PnnCommand {
}
