package org.pnnedge.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.pnnedge.runtime.demo.VowelDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = "Everything in one process: MQTT broker, emulated SHG device, the edge service "
        + "with the shipped bundle; inference over MQTT, telemetry, drift and recalibration, an over-the-air update "
        + "and a tampered bundle refused.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--json-summary", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path jsonSummary;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path home = home();
        Map<String, Object> summary = new VowelDemo(spec.commandLine().getOut(), home).run();
        if (jsonSummary != null) {
            Files.writeString(jsonSummary, Json.write(summary));
        }
        return 0;
    }

    /** The checkout (for the shipped bundle and the development key). */
    static Path home() {
        Path root = ModelData.checkoutWith("src/dist/models/vowels7.pnnb");
        if (root == null) {
            throw new CliException("cannot find src/dist/models/vowels7.pnnb: run ./pnn demo from the checkout");
        }
        return root;
    }
}
