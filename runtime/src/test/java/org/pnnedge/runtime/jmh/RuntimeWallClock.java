package org.pnnedge.runtime.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pnnedge.runtime.edge.ControlServer;
import org.pnnedge.runtime.edge.EdgeService;
import org.pnnedge.runtime.service.LatencyStats;

/**
 * Wall-clock harness of the runtime section of BENCHMARKS.md (a {@code main} in test sources; run by
 * {@code bench/run-runtime.sh --wallclock} from the project root).
 * <ol>
 * <li><b>Throughput at realistic device timing:</b> {@code EdgeService} in this JVM on
 * {@code emulator:shg?seed=1} (20 ms modelled SHG shot), {@code --warmup} inferences, then {@code --runs} runs
 * of {@code --inferences} back-to-back {@code EdgeService.classify} calls; inferences/s per run, compared with
 * the physical limit 1 / (layers × 20 ms).</li>
 * <li><b>The running service as a separate process</b>, once per JVM setting ({@code --jvm-opts NAME=OPTS},
 * repeatable; default: {@code default=} (no options) and
 * {@code pi=-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}): {@code --cold-runs} times, {@code ./pnn run
 * --config <temp>} with {@code PNN_JAVA_OPTS} set (device {@code emulator:shg?seed=1}, temporary state dir,
 * shipped bundle and dev key); cold start = wall time from launching {@code ./pnn} to the first successful
 * classify answer on the control socket (polled every 5 ms); then {@code --inferences} classify requests over
 * the control socket, one connection each as {@code pnn classify --socket} does (inferences/s through the
 * socket); then RSS ({@code VmRSS} and peak {@code VmHWM} from /proc/&lt;pid&gt;/status) and heap
 * ({@code jcmd <pid> GC.heap_info} before and after {@code jcmd <pid> GC.run}); in the first run also
 * {@code --cli-calls} timed {@code ./pnn classify --socket} invocations (a CLI JVM each). A launch during which
 * {@code ./pnn} rebuilt the jars (sources newer than the jar) is reported and repeated once.</li>
 * </ol>
 * Options: {@code --runs 5 --inferences 300 --warmup 50 --cold-runs 5 --cli-calls 5 --skip-inprocess
 * --skip-service --jvm-opts NAME=OPTS}.
 */
public final class RuntimeWallClock {
    private static final double SHOT_SECONDS = 0.020;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern HEAP_LINE = Pattern.compile(
            "^\\S.*?total (?:reserved \\d+K, committed (\\d+)K|(\\d+)K), used (\\d+)K");

    private RuntimeWallClock() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int inferences = 300;
        int warmup = 50;
        int coldRuns = 5;
        int cliCalls = 5;
        boolean inProcess = true;
        boolean serviceRuns = true;
        Map<String, String> jvmOpts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--inferences" -> inferences = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--cold-runs" -> coldRuns = Integer.parseInt(args[++i]);
                case "--cli-calls" -> cliCalls = Integer.parseInt(args[++i]);
                case "--skip-inprocess" -> inProcess = false;
                case "--skip-service" -> serviceRuns = false;
                case "--jvm-opts" -> {
                    String v = args[++i];
                    int eq = v.indexOf('=');
                    jvmOpts.put(v.substring(0, eq), v.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (jvmOpts.isEmpty()) {
            jvmOpts.put("default", "");
            jvmOpts.put("pi", "-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        }
        double[][] rows = RuntimeRigs.featureRows();
        System.out.printf(Locale.ROOT, "features: %d rows from %s; %s %s; %d CPUs%n", rows.length,
                RuntimeRigs.featureSource(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        if (inProcess) {
            inProcessThroughput(rows, runs, inferences, warmup);
        }
        if (serviceRuns) {
            for (Map.Entry<String, String> e : jvmOpts.entrySet()) {
                serviceProcess(e.getKey(), e.getValue(), rows, coldRuns, inferences, cliCalls);
            }
        }
    }

    // ---------------------------------------------------------------- 1. in-process throughput, realistic timing

    private static void inProcessThroughput(double[][] rows, int runs, int n, int warmup) throws Exception {
        System.out.printf(Locale.ROOT, "%n== EdgeService.classify on %s (in this JVM), %d runs x %d inferences "
                + "after %d warm-up ==%n", RuntimeRigs.DEVICE_REALISTIC, runs, n, warmup);
        Path state = Files.createTempDirectory("pnn-bench-wall");
        try (EdgeService s = EdgeService.start(RuntimeRigs.config(state, RuntimeRigs.DEVICE_REALISTIC))) {
            int layers = s.engine().model().architecture().layers();
            double limit = 1.0 / (layers * SHOT_SECONDS);
            int r = 0;
            for (int i = 0; i < warmup; i++) {
                s.classify(rows[r++ % rows.length]);
            }
            double[] rates = new double[runs];
            for (int run = 0; run < runs; run++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    s.classify(rows[r++ % rows.length]);
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                rates[run] = n / sec;
                LatencyStats.Snapshot snap = s.stats().snapshot();
                System.out.printf(Locale.ROOT, "run %d: %d inferences in %.3f s = %.2f inferences/s "
                        + "(%.2f ms each; service latency window p50 %.0f us, p99 %.0f us)%n", run + 1, n, sec,
                        rates[run], 1e3 * sec / n, snap.p50Micros(), snap.p99Micros());
            }
            System.out.printf(Locale.ROOT, "inferences/s: median %.2f [%.2f-%.2f]; physical limit for %d layer(s) "
                    + "at 20 ms/shot = %.1f/s (%.1f %% of it)%n", median(rates), min(rates), max(rates), layers,
                    limit, 100 * median(rates) / limit);
        } finally {
            RuntimeRigs.deleteTree(state);
        }
    }

    // ---------------------------------------------------------------- 2. the pnn run process

    private record ServiceRun(double coldStartSeconds, double cpuSeconds, double socketRate, long rssKb, long hwmKb,
                              long heapUsedKb,
                              long heapCommittedKb, long heapUsedAfterGcKb, long heapCommittedAfterGcKb) {
    }

    private static void serviceProcess(String name, String opts, double[][] rows, int coldRuns, int n, int cliCalls)
            throws Exception {
        System.out.printf(Locale.ROOT, "%n== ./pnn run on %s, PNN_JAVA_OPTS=\"%s\" (%s), %d runs ==%n",
                RuntimeRigs.DEVICE_REALISTIC, opts, name, coldRuns);
        List<ServiceRun> results = new ArrayList<>();
        for (int run = 0; run < coldRuns; run++) {
            ServiceRun r = oneServiceRun(opts, rows, n, run == 0 ? cliCalls : 0, run + 1);
            if (r == null) {
                System.out.println("  (the launcher rebuilt the jars during this run: repeated)");
                r = oneServiceRun(opts, rows, n, run == 0 ? cliCalls : 0, run + 1);
            }
            if (r == null) {
                throw new IllegalStateException("./pnn keeps rebuilding the jars (sources changing?); cannot time a "
                        + "cold start");
            }
            results.add(r);
        }
        System.out.printf(Locale.ROOT, "summary %s: cold start to first inference median %.3f s [%.3f-%.3f], CPU %.2f s "
                        + "[%.2f-%.2f]; "
                        + "socket inferences/s median %.2f [%.2f-%.2f]; RSS median %.1f MB [%.1f-%.1f] (peak %.1f MB); "
                        + "heap used %.1f MB of %.1f MB committed; after GC used %.1f MB [%.1f-%.1f] of %.1f MB "
                        + "committed%n", name,
                med(results, ServiceRun::coldStartSeconds), mn(results, ServiceRun::coldStartSeconds),
                mx(results, ServiceRun::coldStartSeconds), med(results, ServiceRun::cpuSeconds),
                mn(results, ServiceRun::cpuSeconds), mx(results, ServiceRun::cpuSeconds),
                med(results, ServiceRun::socketRate), mn(results, ServiceRun::socketRate),
                mx(results, ServiceRun::socketRate),
                med(results, r -> r.rssKb() / 1024.0), mn(results, r -> r.rssKb() / 1024.0),
                mx(results, r -> r.rssKb() / 1024.0), med(results, r -> r.hwmKb() / 1024.0),
                med(results, r -> r.heapUsedKb() / 1024.0), med(results, r -> r.heapCommittedKb() / 1024.0),
                med(results, r -> r.heapUsedAfterGcKb() / 1024.0), mn(results, r -> r.heapUsedAfterGcKb() / 1024.0),
                mx(results, r -> r.heapUsedAfterGcKb() / 1024.0),
                med(results, r -> r.heapCommittedAfterGcKb() / 1024.0));
    }

    /** One launch of ./pnn run; null when the launcher rebuilt the jars (the cold start would include a build). */
    private static ServiceRun oneServiceRun(String opts, double[][] rows, int n, int cliCalls, int runNo)
            throws Exception {
        Path root = RuntimeRigs.root();
        Path dir = Files.createTempDirectory("pnn-bench-run");
        Path state = dir.resolve("state");
        Path cfg = dir.resolve("pnn.properties");
        StringBuilder props = new StringBuilder();
        RuntimeRigs.settings(state, RuntimeRigs.DEVICE_REALISTIC).forEach((k, v) ->
                props.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(cfg, props.toString());
        Path sock = state.resolve("control.sock");
        Path errLog = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("pnn").toString(), "run", "--config", cfg.toString())
                .directory(root.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(errLog.toFile());
        pb.environment().put("PNN_JAVA_OPTS", opts);
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            JsonNode first = null;
            long deadline = t0 + TimeUnit.SECONDS.toNanos(180);
            while (first == null) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("./pnn run exited with " + p.exitValue() + ": "
                            + Files.readString(errLog));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no classify answer within 180 s: " + Files.readString(errLog));
                }
                if (Files.exists(sock)) {
                    try {
                        JsonNode a = ControlServer.request(sock, request(rows[0]), Duration.ofSeconds(5));
                        if (a.has("label")) {
                            first = a;
                            break;
                        }
                    } catch (IOException e) {
                        // not accepting yet
                    }
                }
                Thread.sleep(5);
            }
            double cold = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSeconds(p.pid());
            if (Files.readString(errLog).contains("pnn: building")) {
                return null;
            }
            long ts = System.nanoTime();
            for (int i = 0; i < n; i++) {
                JsonNode a = ControlServer.request(sock, request(rows[(i + 1) % rows.length]), Duration.ofSeconds(5));
                if (!a.has("label")) {
                    throw new IllegalStateException("service answered " + a);
                }
            }
            double rate = n / ((System.nanoTime() - ts) / 1e9);
            long pid = p.pid();
            Map<String, Long> status = procStatus(pid);
            long[] heap = heapInfo(pid);
            jcmd(pid, "GC.run");
            long[] heapGc = heapInfo(pid);
            System.out.printf(Locale.ROOT, "run %d: cold start to first inference %.3f s (CPU %.2f s); %d socket classifies at "
                            + "%.2f/s; VmRSS %.1f MB (VmHWM %.1f MB); heap used %.1f MB / committed %.1f MB; after "
                            + "GC.run used %.1f MB / committed %.1f MB%n", runNo, cold, cpu, n, rate,
                    status.get("VmRSS") / 1024.0, status.get("VmHWM") / 1024.0, heap[0] / 1024.0, heap[1] / 1024.0,
                    heapGc[0] / 1024.0, heapGc[1] / 1024.0);
            if (cliCalls > 0) {
                cliClassify(root, sock, opts, rows, cliCalls);
            }
            return new ServiceRun(cold, cpu, rate, status.get("VmRSS"), status.get("VmHWM"), heap[0], heap[1], heapGc[0],
                    heapGc[1]);
        } finally {
            p.destroy(); // SIGTERM: graceful stop
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            RuntimeRigs.deleteTree(dir);
        }
    }

    private static void cliClassify(Path root, Path sock, String opts, double[][] rows, int calls) throws Exception {
        double[] sec = new double[calls];
        for (int i = 0; i < calls; i++) {
            StringBuilder f = new StringBuilder();
            for (double v : rows[i % rows.length]) {
                f.append(f.isEmpty() ? "" : ",").append(v);
            }
            ProcessBuilder pb = new ProcessBuilder(root.resolve("pnn").toString(), "classify", "--socket",
                    sock.toString(), "--features", f.toString()).directory(root.toFile()).redirectErrorStream(true);
            pb.environment().put("PNN_JAVA_OPTS", opts);
            long t0 = System.nanoTime();
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            sec[i] = (System.nanoTime() - t0) / 1e9;
            if (rc != 0) {
                throw new IllegalStateException("./pnn classify failed (" + rc + "): " + out);
            }
        }
        System.out.printf(Locale.ROOT, "  ./pnn classify --socket (a CLI JVM per call), %d calls: median %.3f s "
                + "[%.3f-%.3f]%n", calls, median(sec), min(sec), max(sec));
    }

    private static JsonNode request(double[] features) {
        ObjectNode req = MAPPER.createObjectNode();
        req.put("op", "classify");
        ArrayNode a = req.putArray("features");
        for (double v : features) {
            a.add(v);
        }
        return req;
    }

    /** VmRSS, VmHWM, ... of /proc/&lt;pid&gt;/status in kB. */
    /**
     * CPU seconds (user + system) the launched process and its waited-for children (the launcher's JDK probe) have
     * used so far, from /proc/PID/stat: less sensitive to other load on the machine than the wall time.
     */
    static double cpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks / (double) clockTicks();
    }

    private static long clockTicks;

    private static synchronized long clockTicks() throws Exception {
        if (clockTicks == 0) {
            Process g = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(g.getInputStream().readAllBytes()).trim();
            if (!g.waitFor(10, TimeUnit.SECONDS) || g.exitValue() != 0) {
                throw new IllegalStateException("getconf CLK_TCK failed: " + out);
            }
            clockTicks = Long.parseLong(out);
        }
        return clockTicks;
    }

    private static Map<String, Long> procStatus(long pid) throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            Matcher x = Pattern.compile("^(Vm\\w+):\\s+(\\d+) kB").matcher(line);
            if (x.find()) {
                m.put(x.group(1), Long.parseLong(x.group(2)));
            }
        }
        return m;
    }

    /** {used, committed} kB of the Java heap, summed over the generations {@code jcmd GC.heap_info} lists. */
    static long[] heapInfo(long pid) throws Exception {
        String out = jcmd(pid, "GC.heap_info");
        long used = 0;
        long committed = 0;
        boolean any = false;
        for (String line : out.split("\n")) {
            Matcher m = HEAP_LINE.matcher(line);
            if (m.find()) {
                any = true;
                committed += Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
                used += Long.parseLong(m.group(3));
            }
        }
        if (!any) {
            throw new IllegalStateException("cannot parse jcmd GC.heap_info:\n" + out);
        }
        return new long[] {used, committed};
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }

    // ---------------------------------------------------------------- statistics

    private interface Field {
        double of(ServiceRun r);
    }

    private static double[] values(List<ServiceRun> rs, Field f) {
        return rs.stream().mapToDouble(f::of).toArray();
    }

    private static double med(List<ServiceRun> rs, Field f) {
        return median(values(rs, f));
    }

    private static double mn(List<ServiceRun> rs, Field f) {
        return min(values(rs, f));
    }

    private static double mx(List<ServiceRun> rs, Field f) {
        return max(values(rs, f));
    }

    static double median(double[] xs) {
        double[] a = xs.clone();
        Arrays.sort(a);
        int m = a.length / 2;
        return a.length % 2 == 1 ? a[m] : (a[m - 1] + a[m]) / 2;
    }

    private static double min(double[] xs) {
        return Arrays.stream(xs).min().orElse(Double.NaN);
    }

    private static double max(double[] xs) {
        return Arrays.stream(xs).max().orElse(Double.NaN);
    }
}
