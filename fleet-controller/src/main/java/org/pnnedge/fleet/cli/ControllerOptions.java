package org.pnnedge.fleet.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.pnnedge.fleet.supervise.ChildSpec;
import picocli.CommandLine.Option;

/**
 * Which controller processes run ({@code pnn fleet up}, {@code pnn fleet controller run|start}): the ingest
 * workers, the page and a dispatcher per named fleet, and how each child is started (its {@code pnn fleet …}
 * arguments; none carries a secret, each reads {@code accounts.json} and the database password file itself).
 */
final class ControllerOptions {
    @Option(names = "--ingest-workers", defaultValue = "1",
            description = "Ingest workers (worker k of n takes the devices whose CRC-32 is k mod n; each has "
                    + "--ingest-sessions MQTT sessions); 0: none. One kept up with 1,000 msg/s here. Default ${DEFAULT-VALUE}.")
    int ingestWorkers;
    @Option(names = "--ingest-sessions", defaultValue = "64", description = "MQTT sessions per ingest worker. Default ${DEFAULT-VALUE}.")
    int ingestSessions;
    @Option(names = "--page-port", defaultValue = "8090", description = "Port of the fleet page (0: any free one). Default ${DEFAULT-VALUE}.")
    int pagePort;
    @Option(names = "--page-bind", defaultValue = "127.0.0.1", description = "Address of the fleet page (it has no login). Default ${DEFAULT-VALUE}.")
    String pageBind;
    @Option(names = "--no-page", description = "Do not serve the fleet page.")
    boolean noPage;
    @Option(names = "--dispatch-fleet", paramLabel = "FLEET",
            description = "Run the inference dispatcher of this fleet (repeatable; the fleet needs device accounts).")
    List<String> dispatchFleets = new ArrayList<>();

    void check() {
        if (ingestWorkers < 0 || ingestWorkers > 64) {
            throw new IllegalArgumentException("bad-option: --ingest-workers must be 0..64, got " + ingestWorkers);
        }
        if (ingestSessions < 1 || ingestSessions > 256) {
            throw new IllegalArgumentException("bad-option: --ingest-sessions must be 1..256, got " + ingestSessions);
        }
        if (pagePort < 0 || pagePort > 65_535) {
            throw new IllegalArgumentException("bad-option: --page-port must be 0..65535, got " + pagePort);
        }
        for (String f : dispatchFleets) {
            if (!f.matches(DispatchCommand.FLEET_ID)) {
                throw new IllegalArgumentException("bad-option: --dispatch-fleet '" + f + "' is not a fleet id");
            }
        }
        if (dispatchFleets.stream().distinct().count() != dispatchFleets.size()) {
            throw new IllegalArgumentException("bad-option: a fleet named twice in --dispatch-fleet: " + dispatchFleets);
        }
    }

    /** These options again, for the supervisor's command line. */
    List<String> args() {
        List<String> a = new ArrayList<>(List.of("--ingest-workers", "" + ingestWorkers, "--ingest-sessions",
                "" + ingestSessions, "--page-port", "" + pagePort, "--page-bind", pageBind));
        if (noPage) {
            a.add("--no-page");
        }
        dispatchFleets.forEach(f -> a.addAll(List.of("--dispatch-fleet", f)));
        return a;
    }

    /** The children, each with the database and cluster they use. */
    List<ChildSpec> children(Path stateDir, int dbPort, List<URI> servers) {
        check();
        List<String> where = List.of("--state-dir", stateDir.toString(), "--db-port", "" + dbPort);
        String nodes = servers.stream().map(URI::toString).collect(Collectors.joining(","));
        List<ChildSpec> out = new ArrayList<>();
        for (int k = 0; k < ingestWorkers; k++) {
            List<String> a = new ArrayList<>(List.of("ingest", "--workers", "" + ingestWorkers, "--worker", "" + k,
                    "--sessions", "" + ingestSessions, "--servers", nodes));
            a.addAll(where);
            out.add(new ChildSpec("ingest-" + k, a, List.of(), Pattern.compile("ingest worker " + k + "/" + ingestWorkers + ": following")));
        }
        if (!noPage) {
            List<String> a = new ArrayList<>(List.of("serve", "--port", "" + pagePort, "--bind", pageBind));
            a.addAll(where);
            out.add(new ChildSpec("serve", a, List.of("-Xmx256m"), Pattern.compile("fleet page: http://")));
        }
        for (String f : dispatchFleets) {
            List<String> a = new ArrayList<>(List.of("dispatch", "--fleet", f, "--servers", nodes));
            a.addAll(where);
            out.add(new ChildSpec("dispatch-" + f, a, List.of(), Pattern.compile("dispatch " + Pattern.quote(f) + ": (active|standby)")));
        }
        return out;
    }
}
