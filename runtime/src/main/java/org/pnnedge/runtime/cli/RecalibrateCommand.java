package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.pnnedge.runtime.mqtt.RequestError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code {"op":"recalibrate"}} over the control socket, with the report summed up (recalibration.md). */
@Command(name = "recalibrate", description = {
    "Recalibrate the running service now, over its control socket (MQTT's cmd/recalibrate needs "
        + "mqtt.broker_acl=true): measures the drift on the bundle's probes, fits an output correction and "
        + "adopts it only if it validates. Prints the report: adopted or not, and the drift figures. A request within "
        + "10 s of the last run gets that run's report. See recalibration.md.",
    "Exit codes: 0 the correction was adopted (or a run is already under way); 1 not adopted (alarm: the device "
        + "drifted beyond what a correction restores; the current one stays), or the service answered an error; "
        + "2 no service is running, or bad usage; 3 no answer within --timeout (the run may still finish)."})
final class RecalibrateCommand implements Callable<Integer> {
    /**
     * 60 s: a run on the emulator at its default 20 ms per shot took 8 s (vowels7, 13 device phases), the twin refit
     * is bounded by recal.budget (default 20 s), and inference may take the device between phases.
     */
    static final String DEFAULT_TIMEOUT = "60s";

    @Option(names = "--socket", paramLabel = "PATH", description = "Control socket (default <state-dir>/control.sock).")
    Path socket;

    @Option(names = "--state-dir", defaultValue = "/var/lib/pnn-edge", description = "Default ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = DEFAULT_TIMEOUT,
            description = "How long to wait for the report, e.g. 90s, 5m (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--json", description = "Print the service's answer (the report JSON) as it is.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Duration wait = PushCommand.parseDuration(timeout);
        Path s = socket != null ? socket : stateDir.resolve("control.sock");
        ObjectNode req = Json.MAPPER.createObjectNode();
        req.put("op", "recalibrate");
        JsonNode answer;
        try {
            answer = ControlClient.request(s, req, wait);
        } catch (SocketTimeoutException e) {
            spec.commandLine().getErr().println("pnn: " + e.getMessage() + " (--timeout " + timeout + "); the "
                    + "recalibration may still finish: its report is in pnn status (last_recalibration)");
            return ErrorHandler.EXIT_DEVICE;
        } catch (IOException e) {
            throw new CliException(e.getMessage()); // as pnn status: no service is running (...)
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(answer));
        } else if (answer.has("error")) {
            spec.commandLine().getErr().println("pnn: service: " + RequestError.message(answer));
        } else {
            summary(answer, out);
        }
        if (answer.has("error")) {
            return 1;
        }
        JsonNode report = answer.path("coalesced").asBoolean() ? answer.path("report") : answer;
        return report.isMissingNode() || report.path("adopted").asBoolean() ? 0 : 1;
    }

    /** A few lines a person reads: the verdict first, then the drift and what the correction does to it. */
    static void summary(JsonNode answer, PrintWriter out) {
        JsonNode r = answer;
        if (answer.path("coalesced").asBoolean()) {
            out.println("note           " + answer.path("message").asText());
            r = answer.path("report");
            if (r.isMissingNode()) {
                return;
            }
        }
        boolean adopted = r.path("adopted").asBoolean();
        out.println("result         " + (adopted ? "ADOPTED" : r.path("alarm").asBoolean() ? "ALARM, not adopted"
                : "not adopted") + ": " + r.path("reason").asText());
        out.printf(Locale.ROOT, "model          %s %s on device %s, %.1f °C%n", r.path("modelId").asText(),
                r.path("modelVersion").asText(), r.path("deviceSerial").asText(),
                r.path("deviceTemperatureC").asDouble(Double.NaN));
        JsonNode d = r.path("drift").path("uncorrected");
        out.printf(Locale.ROOT, "drift          probe outputs %s rms (max %s) from the references, uncorrected%n",
                pct(d.path("rmsRelative")), pct(d.path("maxRelative")));
        JsonNode before = r.path("probeErrorBefore");
        JsonNode after = r.path("probeErrorAfter");
        out.printf(Locale.ROOT, "probe error    %s -> %s rms with the %s correction (within tolerance %s -> %s)%n",
                pct(before.path("rmsRelative")), pct(after.path("rmsRelative")), adopted ? "new" : "rejected",
                pct(before.path("withinTolerance")), pct(after.path("withinTolerance")));
        out.printf(Locale.ROOT, "twin NRMSE     %s -> %s%s%n", num(r.path("twinNrmseBefore")),
                num(r.path("twinNrmseAfter")), r.path("twinUpdated").asBoolean() ? " (twin updated)" : "");
        out.printf(Locale.ROOT, "took           %s s; the device was held %s s in %d phases (longest %s s)%n",
                num(r.path("durationSeconds")), num(r.path("pauseSeconds")), r.path("devicePhases").asInt(),
                num(r.path("maxPauseSeconds")));
    }

    private static String pct(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.2f %%", 100 * v.asDouble()) : "n/a";
    }

    private static String num(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.3g", v.asDouble()) : "n/a";
    }
}
