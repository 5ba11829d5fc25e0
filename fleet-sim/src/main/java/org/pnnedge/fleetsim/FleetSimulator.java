package org.pnnedge.fleetsim;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;

import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.models.bundle.BundleManifest;
import org.pnnedge.models.bundle.Bundles;
import org.pnnedge.models.bundle.DeviceRequirements;
import org.pnnedge.models.bundle.TrustedKeys;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.pnnedge.runtime.mqtt.Backoff;
import org.pnnedge.runtime.ota.BundleStore;
import org.pnnedge.runtime.ota.OtaUpdater;

/**
 * Runs N {@link DeviceAgent}s of one fleet on one shared HiveMQ client executor (a few Netty threads for all),
 * spread round-robin over the cluster's nodes, with the accounts from {@code accounts.json}: connects them (at
 * most {@link Options#connectWindow} CONNECTs in flight), sends telemetry at a fixed total rate spread evenly over
 * the agents, answers OTA bundles through each agent's own bundle store (created on its first bundle under
 * {@link Options#workDir}) and inference requests on an emulated unit ({@link InferenceResponder}), and measures itself ({@link Report}).
 */
public final class FleetSimulator implements AutoCloseable {
    /**
     * The agents' reconnect back-off: the runtime's defaults with its full jitter, so a node kill here loads the
     * surviving nodes as a fleet of runtimes would.
     */
    static final Backoff RECONNECT = Backoff.DEFAULT;

    /**
     * What to simulate.
     *
     * @param devices       number of agents; the fleet's first N accounts named {@code prefix…} (sorted)
     * @param fleet         fleet id
     * @param prefix        account-name prefix of the simulated devices
     * @param badShare      share of bad units (self-test fails), 0..1, rounded to a count
     * @param seed          picks the bad units and each unit's gain/noise: same seed, same units
     * @param telemetryRate telemetry messages per second, all agents together (0 = none)
     * @param servers       the cluster's MQTT nodes
     * @param accountsFile  the cluster's {@code accounts.json}
     * @param workDir       where agents keep their bundle stores
     * @param trusted       keys whose bundles the agents accept
     * @param initialBundle the bundle every agent starts with (the shipped default)
     * @param nettyThreads  Netty event-loop threads shared by all agents
     * @param connectWindow CONNECTs in flight at once
     * @param degradedShare share of degraded units, 0..1 (besides the bad ones): their self-test passes, but once
     *                      they run an update their inference answers are bad ({@link InferenceResponder})
     */
    public record Options(int devices, String fleet, String prefix, double badShare, long seed, double telemetryRate,
                          List<InetSocketAddress> servers, Path accountsFile, Path workDir, TrustedKeys trusted,
                          byte[] initialBundle, int nettyThreads, int connectWindow, double degradedShare) {
        /** Options without degraded units. */
        public Options(int devices, String fleet, String prefix, double badShare, long seed, double telemetryRate,
                       List<InetSocketAddress> servers, Path accountsFile, Path workDir, TrustedKeys trusted,
                       byte[] initialBundle, int nettyThreads, int connectWindow) {
            this(devices, fleet, prefix, badShare, seed, telemetryRate, servers, accountsFile, workDir, trusted,
                    initialBundle, nettyThreads, connectWindow, 0);
        }

        public Options {
            List<String> p = new ArrayList<>();
            if (devices < 1) {
                p.add("--devices must be ≥ 1, got " + devices);
            }
            if (!(badShare >= 0 && badShare <= 1)) {
                p.add("--bad-share must be in 0..1, got " + badShare);
            }
            if (!(degradedShare >= 0 && badShare + degradedShare <= 1)) {
                p.add("--degraded-share must be ≥ 0 and --bad-share + --degraded-share ≤ 1, got " + degradedShare);
            }
            if (!(telemetryRate >= 0)) {
                p.add("--telemetry-rate must be ≥ 0, got " + telemetryRate);
            }
            if (servers.isEmpty()) {
                p.add("--servers: give at least one node");
            }
            if (nettyThreads < 1 || connectWindow < 1) {
                p.add("--netty-threads and --connect-window must be ≥ 1");
            }
            if (!p.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", p));
            }
        }
    }

    /** What a run measured; {@code -1} where not measured. */
    public record Report(int devices, int bad, int connected, double connectSeconds, long telemetrySent,
                         long telemetryDelivered, long p50Ms, long p95Ms, long p99Ms, double cpuSeconds,
                         double wallSeconds, long rssPeakKib, long otaDropped, long telemetrySkipped) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("devices", devices);
            m.put("bad_units", bad);
            m.put("connected", connected);
            m.put("connect_s", connectSeconds);
            m.put("telemetry_sent", telemetrySent);
            m.put("telemetry_delivered", telemetryDelivered);
            m.put("delivered_share", telemetrySent == 0 ? -1 : (double) telemetryDelivered / telemetrySent);
            m.put("latency_ms_p50", p50Ms);
            m.put("latency_ms_p95", p95Ms);
            m.put("latency_ms_p99", p99Ms);
            m.put("cpu_s", cpuSeconds);
            m.put("wall_s", wallSeconds);
            m.put("cpu_cores_avg", wallSeconds > 0 ? cpuSeconds / wallSeconds : -1);
            m.put("rss_peak_mib", rssPeakKib < 0 ? -1 : rssPeakKib / 1024.0);
            m.put("ota_dropped", otaDropped);
            m.put("telemetry_skipped_backpressure", telemetrySkipped);
            return m;
        }
    }

    private final Options o;
    private final List<DeviceAgent> agents = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sim-telemetry"));
    private final ThreadPoolExecutor ota;
    private final AtomicLong sent = new AtomicLong();
    private final DeviceInfo deviceInfo;
    private final BundleManifest initial;
    private final InferenceResponder inference;
    private double connectSeconds = -1;

    public FleetSimulator(Options o) throws IOException {
        this.o = o;
        try {
            this.initial = Bundles.load(o.initialBundle(), o.trusted()).manifest();
        } catch (Exception e) {
            throw new IOException("the initial bundle does not verify with the trusted keys: " + e.getMessage(), e);
        }
        DeviceRequirements r = initial.device();
        // the kind of device the fleet's bundles are made for: what an attached unit reports (link.info())
        this.deviceInfo = new DeviceInfo(1, PhysicsKind.fromId(r.physicsKind()), "sim-1.0.0", r.protocolVersion(),
                r.inputs(), r.params(), r.outputs(), r.dacBits(), r.adcBits(), 16, 64, 100, true);
        int workers = 2;
        this.ota = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1000, 2 * o.devices())), r2 -> daemon(r2, "sim-ota"));
        List<FleetAccounts.Account> accounts = FleetAccounts.load(o.accountsFile()).devicesOf(o.fleet()).stream()
                .filter(a -> a.name().startsWith(o.prefix())).toList();
        if (accounts.size() < o.devices()) {
            throw new IllegalArgumentException("fleet '" + o.fleet() + "' has " + accounts.size() + " device accounts named '"
                    + o.prefix() + "…' in " + o.accountsFile() + ", " + o.devices() + " needed: pnn fleet account add --count "
                    + o.devices() + " --prefix " + o.prefix() + " --fleet " + o.fleet());
        }
        BitSet bad = badUnits(o.devices(), o.badShare(), o.seed());
        this.inference = new InferenceResponder(o.workDir(), o.trusted(), o.initialBundle(), initial, o.seed(),
                degradedUnits(o.devices(), o.badShare(), o.degradedShare(), o.seed()));
        MqttClientExecutorConfig exec = MqttClientExecutorConfig.builder().nettyThreads(o.nettyThreads()).build();
        DeviceAgent.Wiring wiring = new DeviceAgent.Wiring(o.servers(), exec, ota, this::updaterFor, inference, RECONNECT);
        for (int i = 0; i < o.devices(); i++) {
            FleetAccounts.Account a = accounts.get(i);
            DeviceAgent agent = new DeviceAgent(a.name(), a.password(), o.fleet(), i, bad.get(i), wiring);
            agent.activeModel(initial.modelId(), initial.version().toString());
            agents.add(agent);
        }
    }

    /** The bad units among {@code n}: exactly round(n·share) indices, chosen by a seeded shuffle. */
    public static BitSet badUnits(int n, double share, long seed) {
        return units(n, seed, 0, (int) Math.round(n * share));
    }

    /**
     * The degraded units among {@code n}: the round(n·degradedShare) indices after the bad ones in the same seeded
     * shuffle, so none is also bad.
     */
    public static BitSet degradedUnits(int n, double badShare, double degradedShare, long seed) {
        int from = (int) Math.round(n * badShare);
        return units(n, seed, from, Math.min(n, from + (int) Math.round(n * degradedShare)));
    }

    private static BitSet units(int n, long seed, int from, int to) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        java.util.Collections.shuffle(idx, new Random(seed));
        BitSet b = new BitSet(n);
        idx.subList(from, to).forEach(b::set);
        return b;
    }

    /** Inference requests the agents answered with a prediction. */
    public long inferencesAnswered() {
        return inference.answered();
    }

    /** The simulated device ids, in agent order. */
    public List<String> deviceIds() {
        return agents.stream().map(DeviceAgent::id).toList();
    }

    /** Connects every agent; returns how many connected within the timeout. */
    public int connect(Duration timeout) throws InterruptedException {
        long t0 = System.nanoTime();
        Semaphore window = new Semaphore(o.connectWindow());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long end = t0 + timeout.toNanos();
        for (DeviceAgent a : agents) {
            if (!window.tryAcquire(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            all.add(a.start().whenComplete((x, e) -> window.release()));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            // counted below: agents keep reconnecting on their own
        }
        int n = (int) agents.stream().filter(DeviceAgent::connected).count();
        connectSeconds = (System.nanoTime() - t0) / 1e9;
        return n;
    }

    /** Starts telemetry: every 50 ms, rate·0.05 messages round-robin over the agents (fractions carried over). */
    public void startTelemetry() {
        if (o.telemetryRate() <= 0) {
            return;
        }
        SplittableRandom r = new SplittableRandom(o.seed());
        double[] carry = {0};
        int[] next = {0};
        ticker.scheduleAtFixedRate(() -> {
            carry[0] += o.telemetryRate() * 0.05;
            int n = (int) carry[0];
            carry[0] -= n;
            for (int k = 0; k < n; k++) {
                DeviceAgent a = agents.get(next[0]);
                next[0] = (next[0] + 1) % agents.size();
                if (a.publishTelemetry(r)) {
                    sent.incrementAndGet();
                }
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
    }

    public void stopTelemetry() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
    }

    public long telemetrySent() {
        return sent.get();
    }

    /** The report, with delivery and latency from {@code observer} (null: not measured). */
    public Report report(FleetObserver observer, double wallSeconds) {
        int bad = (int) agents.stream().filter(DeviceAgent::bad).count();
        int connected = (int) agents.stream().filter(DeviceAgent::connected).count();
        double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        long dropped = agents.stream().mapToLong(DeviceAgent::otaDropped).sum();
        return new Report(agents.size(), bad, connected, connectSeconds, sent.get(),
                observer == null ? -1 : observer.telemetryReceived(),
                observer == null ? -1 : observer.latencyPercentileMs(0.50),
                observer == null ? -1 : observer.latencyPercentileMs(0.95),
                observer == null ? -1 : observer.latencyPercentileMs(0.99), cpu, wallSeconds, rssPeakKib(), dropped,
                agents.stream().mapToLong(DeviceAgent::telemetrySkipped).sum());
    }

    private OtaUpdater updaterFor(DeviceAgent a) {
        try {
            BundleStore store = BundleStore.open(o.workDir().resolve(a.id()), o.trusted(), o.initialBundle());
            return OtaUpdater.builder(store, deviceInfo)
                    .selfTest(new EmulatedUnitSelfTest(a.bad(), o.seed() * 31 + a.index(), deviceInfo.maxAdcCode()))
                    .listener(a::publishOtaStatus).deviceId(a.id()).build();
        } catch (IOException | org.pnnedge.models.bundle.BundleException e) {
            throw new IllegalStateException("agent " + a.id() + ": cannot open its bundle store: " + e.getMessage(), e);
        }
    }

    /** Graceful stop (also on SIGTERM): every agent publishes "offline" (shutdown) and disconnects, 30 s at most. */
    public void stop() {
        try {
            stopTelemetry();
            List<CompletableFuture<Void>> all = agents.stream().map(DeviceAgent::stop).toList();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // some did not disconnect in time: their will tells the fleet
        }
        ota.shutdownNow();
        inference.shutdown();
    }

    @Override
    public void close() {
        stop();
    }

    private static long rssPeakKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
