package org.pnnedge.runtime.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Status of a running service (model, inferences, latency, errors, sensors).")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--socket", paramLabel = "PATH", description = "Control socket (default <state-dir>/control.sock).")
    Path socket;

    @Option(names = "--state-dir", defaultValue = "/var/lib/pnn-edge", description = "Default ${DEFAULT-VALUE}.")
    Path stateDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path s = socket != null ? socket : stateDir.resolve("control.sock");
        ObjectNode req = Json.MAPPER.createObjectNode();
        req.put("op", "status");
        JsonNode answer;
        try {
            answer = ControlClient.request(s, req, Duration.ofSeconds(10));
        } catch (java.io.IOException e) {
            throw new CliException(e.getMessage());
        }
        spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(answer));
        return answer.has("error") ? 1 : 0;
    }
}
