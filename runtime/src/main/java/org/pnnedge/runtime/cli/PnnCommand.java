package org.pnnedge.runtime.cli;

import picocli.CommandLine.Command;

@Command(name = "pnn", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "PNN Edge: physical neural networks at the edge.",
        subcommands = {DemoCommand.class, EmulateCommand.class, DeviceCommand.class, picocli.CommandLine.HelpCommand.class})
final class PnnCommand {
}
