package org.pnnedge.fleet.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.pnnedge.fleet.monitor.FleetPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pnn fleet serve}: the read-only fleet page until SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the fleet page (fleet table, rollouts, per-device drift plots; plain HTML + SVG, no "
                + "script) from the fleet database.", "Example: pnn fleet serve --port 8090, then open http://127.0.0.1:8090/"})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    DbCommand.Where where;
    @Option(names = "--port", defaultValue = "8090", description = "TCP port (0: any free one). Default ${DEFAULT-VALUE}.")
    int port;
    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default ${DEFAULT-VALUE}: the page has no login, so expose it only behind one.")
    String bind;
    @Option(names = "--k", defaultValue = "1.5", description = "Outlier factor. Default ${DEFAULT-VALUE}.")
    double k;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (FleetPage page = new FleetPage(where.database(), new InetSocketAddress(InetAddress.getByName(bind), port), k)) {
            page.start();
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "serve-stop"));
            spec.commandLine().getOut().println("fleet page: http://" + bind + ":" + page.port() + "/");
            spec.commandLine().getOut().flush();
            stop.await();
        }
        return 0;
    }
}
