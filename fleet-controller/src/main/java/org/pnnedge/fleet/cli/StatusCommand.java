package org.pnnedge.fleet.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pnnedge.fleet.monitor.FleetStatus;
import org.pnnedge.fleet.supervise.Controllers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pnn fleet status}: the fleet from the database the ingest workers fill. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"The controller's processes (pid, up or DOWN, ready, restarts), then the devices: online/offline, model versions, last seen, drift/accuracy/error rate from the newest "
                + "telemetry, and outliers (value > K × p95 of the other devices), from the fleet database.",
                "With --json: the status and a \"processes\" array (name, pid, up, phase, restarts, url, why).",
                "Example: pnn fleet status --fleet lab --json"})
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    @Mixin
    DbCommand.Where where;
    @Option(names = "--fleet", description = "Only this fleet (default: all).")
    String fleet;
    @Option(names = "--k", defaultValue = "1.5", description = "Outlier factor K. Default ${DEFAULT-VALUE}.")
    double k;
    @Option(names = "--limit", defaultValue = "50", description = "Devices listed in the text table (the JSON has all). Default ${DEFAULT-VALUE}.")
    int limit;
    @Option(names = "--json", description = "Print machine-readable JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(k > 0) || limit < 0) {
            throw new IllegalArgumentException("--k must be > 0 and --limit ≥ 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Controllers.Proc> procs = Controllers.processes(ControllerCommand.layout(where.stateDir),
                ControllerCommand.java(where.stateDir));
        if (!json) { // the processes first: they say why the tables below may be stale
            ControllerCommand.lines(procs).forEach(out::println);
        }
        FleetStatus s;
        try (Connection c = where.database().connect()) {
            s = FleetStatus.read(c, Optional.ofNullable(fleet), k);
        }
        if (json) {
            out.println(JSON.writeValueAsString(json(s, procs)));
            return s.devices() == 0 ? 1 : 0;
        }
        String name = fleet == null ? "all fleets" : "fleet " + fleet;
        if (s.devices() == 0) {
            out.println(name + ": no devices in the database (nothing ingested yet: is an ingest worker running?)");
            return 1;
        }
        out.printf("%s: %d devices, %d online, %d offline (read %s)%n", name, s.devices(), s.online(),
                s.devices() - s.online(), s.at());
        out.println("model versions: " + String.join(", ", s.versions().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).toList()));
        out.printf(Locale.ROOT, "drift p95 %s, error rate p95 %s; outliers above %.2f × p95 of the others: %s%n",
                fmt(s.driftP95()), fmt(s.errorRateP95()), k, s.outliers().isEmpty() ? "none" : s.outliers().size());
        for (FleetStatus.Outlier o : s.outliers()) {
            out.printf(Locale.ROOT, "  %-20s %-10s %s > %s%n", o.device(), o.metric(), fmt(o.value()), fmt(o.threshold()));
        }
        out.printf("%-20s %-8s %-12s %-10s %-24s %-8s %-8s %-8s%n", "device", "state", "model", "version", "last seen",
                "drift", "accuracy", "err rate");
        for (FleetStatus.Device d : s.table().subList(0, Math.min(limit, s.table().size()))) {
            out.printf("%-20s %-8s %-12s %-10s %-24s %-8s %-8s %-8s%n", d.id(), d.online() ? "online" : "offline",
                    d.model() == null ? "-" : d.model(), d.modelVersion() == null ? "-" : d.modelVersion(),
                    d.lastSeen() == null ? "-" : d.lastSeen(), fmt(d.drift()), fmt(d.accuracy()), fmt(d.errorRate()));
        }
        if (s.table().size() > limit) {
            out.println("… " + (s.table().size() - limit) + " more (--limit, or --json for all)");
        }
        return 0;
    }

    /**
     * The fleet's status with the controller's processes beside it ({@code "processes"}: the supervisor, then each
     * child, as the text status lists them; empty when the controller never ran in this state directory).
     */
    static ObjectNode json(FleetStatus s, List<Controllers.Proc> procs) {
        ObjectNode j = JSON.valueToTree(s);
        j.set("processes", JSON.valueToTree(procs));
        return j;
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
