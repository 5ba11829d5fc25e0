package org.pnnedge.fleet.monitor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.pnnedge.bridge.net.RateLimitedLog;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.fleet.rollout.SoakProbes;

/**
 * The controller's web page ({@code pnn fleet serve}): {@code /} the fleet table (status, versions, outliers) and
 * rollout progress with the soak probes' accuracy per stage, {@code /device?id=D} one device's drift plot (inline
 * SVG) and its probe scores, {@code /status.json} the same as
 * {@code pnn fleet status --json}. Plain HTML drawn on the server: no script, nothing from the network. Read-only;
 * bound to 127.0.0.1 unless told otherwise; at most {@link #THREADS} requests at once and {@link #QUEUE} waiting
 * (more are refused by closing the connection), {@link #MAX_CONNECTIONS} connections, and a client that does not send
 * its request within {@link #REQUEST_SECONDS} or take its answer within {@link #RESPONSE_SECONDS} is disconnected.
 */
public final class FleetPage implements AutoCloseable {
    static final int THREADS = 4;
    static final int QUEUE = 32;
    private static final int MAX_TABLE_ROWS = 2000;
    /** Connections open at once (busy, waiting and idle keep-alive ones); one more is closed as it is accepted. */
    static final int MAX_CONNECTIONS = 64;
    /** How long a client may take to send its request's headers, and to take the whole answer (seconds). */
    static final int REQUEST_SECONDS = 10;
    static final int RESPONSE_SECONDS = 60;

    static {
        // The JDK's server waits for ever by default, for a request's headers (a client that sends one byte holds a
        // worker for good: THREADS such clients take the page away) and for a client to take its answer, and accepts
        // any number of connections. Its only knobs are these properties, read once per JVM when the first server is
        // made (nothing else in the controller makes one); a -D given by the operator wins.
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_SECONDS));
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Per request: a database that is down must not make every page view a log line. */
    private final RateLimitedLog failures = new RateLimitedLog(Duration.ofSeconds(10));
    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final FleetDatabase db;
    private final double k;

    public FleetPage(FleetDatabase db, InetSocketAddress bind, double k) throws IOException {
        this.db = db;
        this.k = k;
        this.server = HttpServer.create(bind, 64);
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "fleet-page");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!x.getRequestMethod().equals("GET")) {
                send(x, 405, "text/plain", "GET only");
                return;
            }
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            String path = x.getRequestURI().getPath();
            try (Connection c = db.connect()) {
                switch (path) {
                    case "/" -> send(x, 200, "text/html", index(c, Optional.ofNullable(q.get("fleet"))));
                    case "/device" -> {
                        String id = q.getOrDefault("id", "");
                        send(x, 200, "text/html", device(c, id));
                    }
                    case "/status.json" -> send(x, 200, "application/json", Ingested.JSON.writeValueAsString(
                            FleetStatus.read(c, Optional.ofNullable(q.get("fleet")), k)));
                    default -> send(x, 404, "text/plain", "not found: " + path);
                }
            } catch (Exception e) {
                failures.warn("fleet page: " + path + " failed: " + e.getMessage());
                send(x, 503, "text/plain", "the fleet database cannot answer: " + e.getMessage());
            }
        }
    }

    static String index(Connection c, Optional<String> fleet) throws Exception {
        FleetStatus s = FleetStatus.read(c, fleet, 1.5);
        StringBuilder h = head("PNN Edge fleet" + fleet.map(f -> " " + f).orElse(""));
        h.append("<h1>Fleet").append(fleet.map(f -> " " + Html.esc(f)).orElse("")).append("</h1>");
        h.append("<p id=\"summary\">").append(s.devices()).append(" devices, ").append(s.online()).append(" online, ")
                .append(s.devices() - s.online()).append(" offline; read ").append(Html.esc(s.at())).append("</p>");
        h.append("<h2>Model versions</h2><table id=\"versions\"><tr><th>model version</th><th>devices</th></tr>");
        s.versions().forEach((v, n) -> h.append("<tr><td>").append(Html.esc(v)).append("</td><td>").append(n).append("</td></tr>"));
        h.append("</table><h2>Outliers</h2>");
        if (s.outliers().isEmpty()) {
            h.append("<p id=\"outliers\">none (drift p95 ").append(fmt(s.driftP95())).append(", error rate p95 ")
                    .append(fmt(s.errorRateP95())).append(", factor ").append(s.k()).append(")</p>");
        } else {
            h.append("<table id=\"outliers\"><tr><th>device</th><th>metric</th><th>value</th><th>threshold</th></tr>");
            for (FleetStatus.Outlier o : s.outliers()) {
                h.append("<tr><td>").append(link(o.device())).append("</td><td>").append(Html.esc(o.metric()))
                        .append("</td><td>").append(fmt(o.value())).append("</td><td>").append(fmt(o.threshold())).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<h2>Rollouts</h2>");
        List<RolloutProgress> rollouts = RolloutProgress.read(c);
        if (rollouts.isEmpty()) {
            h.append("<p id=\"rollouts\">no rollouts</p>");
        }
        for (RolloutProgress r : rollouts) {
            h.append("<h3>rollout ").append(r.id()).append(": ").append(Html.esc(r.target())).append(" to fleet ")
                    .append(Html.esc(r.fleet())).append(", <span class=\"rollout-state\">").append(Html.esc(r.state()))
                    .append("</span>").append(r.halt().isEmpty() ? "" : " (" + Html.esc(r.halt()) + ")")
                    .append("</h3><table class=\"rollout\"><tr><th>stage</th><th>spec</th><th>devices</th>"
                            + "<th>state</th><th>switched</th><th>failed</th><th>no verdict yet</th></tr>");
            for (RolloutProgress.Stage st : r.stages()) {
                h.append("<tr class=\"stage\"><td>").append(st.no()).append("</td><td>").append(Html.esc(st.spec()))
                        .append("</td><td>").append(st.size()).append("</td><td>").append(Html.esc(st.state()))
                        .append("</td><td>").append(st.switched()).append("</td><td>").append(st.failed())
                        .append("</td><td>").append(st.waiting()).append("</td></tr>");
            }
            h.append("</table>");
            probes(h, SoakProbes.summaries(c, r.id()));
        }
        h.append("<h2>Devices</h2><table id=\"devices\"><tr><th>device</th><th>fleet</th><th>state</th><th>model</th>"
                + "<th>version</th><th>last seen</th><th>drift</th><th>accuracy</th><th>error rate</th></tr>");
        for (FleetStatus.Device d : s.table().subList(0, Math.min(MAX_TABLE_ROWS, s.table().size()))) {
            h.append("<tr class=\"device\"><td>").append(link(d.id())).append("</td><td>").append(Html.esc(d.fleet()))
                    .append("</td><td class=\"").append(d.online() ? "online\">online" : "offline\">offline")
                    .append("</td><td>").append(Html.esc(d.model())).append("</td><td>").append(Html.esc(d.modelVersion()))
                    .append("</td><td>").append(Html.esc(d.lastSeen())).append("</td><td>").append(fmt(d.drift()))
                    .append("</td><td>").append(fmt(d.accuracy())).append("</td><td>").append(fmt(d.errorRate()))
                    .append("</td></tr>");
        }
        h.append("</table>");
        if (s.table().size() > MAX_TABLE_ROWS) {
            h.append("<p>first ").append(MAX_TABLE_ROWS).append(" of ").append(s.table().size()).append(" devices</p>");
        }
        return h.append("</body></html>").toString();
    }

    static String device(Connection c, String id) throws Exception {
        StringBuilder h = head("PNN Edge device " + id);
        h.append("<p><a href=\"/\">fleet</a></p><h1>Device ").append(Html.esc(id)).append("</h1>");
        h.append("<h2>Drift, last 24 h</h2>");
        h.append(DriftPlot.svg(id, DriftPlot.read(c, id, Duration.ofHours(24))));
        List<SoakProbes.DeviceProbe> probes = SoakProbes.ofDevice(c, id, RolloutProgress.MAX_ROLLOUTS);
        h.append("<h2>Soak probes</h2>");
        if (probes.isEmpty()) {
            h.append("<p id=\"device-probes\">not probed in a rollout</p>");
        } else {
            h.append("<table id=\"device-probes\"><tr><th>rollout</th><th>version</th><th>stage</th><th>sent</th>"
                    + "<th>answered</th><th>correct</th><th>accuracy</th><th>passed</th><th>why not</th><th>measured</th></tr>");
            for (SoakProbes.DeviceProbe p : probes) {
                h.append("<tr class=\"device-probe\"><td>").append(p.rollout()).append("</td><td>").append(Html.esc(p.version()))
                        .append("</td><td>").append(p.stage()).append("</td><td>").append(p.sent()).append("</td><td>")
                        .append(p.answered()).append("</td><td>").append(p.correct()).append("</td><td>")
                        .append(fmt(p.accuracy())).append("</td><td>").append(p.passed() ? "yes" : "NO").append("</td><td>")
                        .append(Html.esc(p.reason())).append("</td><td>").append(Html.esc(p.measuredAt())).append("</td></tr>");
            }
            h.append("</table>");
        }
        return h.append("</body></html>").toString();
    }

    /** A rollout's soak-probe scores per stage (rollout_probe, migration V12), when it ran probes. */
    private static void probes(StringBuilder h, List<SoakProbes.StageSummary> stages) {
        if (stages.isEmpty()) {
            return;
        }
        h.append("<table class=\"probes\"><tr><th>stage</th><th>devices probed</th><th>failed</th><th>silent</th>"
                + "<th>probe accuracy min</th><th>mean</th><th>worst</th></tr>");
        for (SoakProbes.StageSummary p : stages) {
            h.append("<tr class=\"probe\"><td>").append(p.stage()).append("</td><td>").append(p.devices()).append("</td><td>")
                    .append(p.failed()).append("</td><td>").append(p.silent()).append("</td><td>").append(fmt(p.minAccuracy()))
                    .append("</td><td>").append(fmt(p.meanAccuracy())).append("</td><td>")
                    .append(p.worst() == null ? "–" : Html.esc(p.worst())).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.esc(title)).append("</title><style>body{font-family:sans-serif;margin:1.5em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}"
                        + "td.offline{color:#c0392b}td.online{color:#1e8449}</style></head><body>");
    }

    private static String link(String device) {
        return "<a href=\"/device?id=" + URLEncoder.encode(device, StandardCharsets.UTF_8) + "\">" + Html.esc(device) + "</a>";
    }

    private static String fmt(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0) {
                m.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static void send(HttpExchange x, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        x.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'");
        x.sendResponseHeaders(code, b.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        pool.shutdownNow();
    }
}
