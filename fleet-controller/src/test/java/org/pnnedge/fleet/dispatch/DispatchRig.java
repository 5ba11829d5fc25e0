package org.pnnedge.fleet.dispatch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.pnnedge.fleet.TestDirs;
import org.pnnedge.fleet.db.DbLayout;
import org.pnnedge.fleet.db.FleetDatabase;
import org.pnnedge.models.data.Checkout;
import org.pnnedge.runtime.fleet.ClusterLayout;
import org.pnnedge.runtime.fleet.FleetAccounts;
import org.pnnedge.runtime.fleet.FleetCluster;
import org.pnnedge.runtime.fleet.TestCluster;

/**
 * Real parts for the dispatcher's tests and benchmark: a throwaway 3-node cluster with device accounts of fleet
 * {@code inf}, a private PostgreSQL, real runtime services ({@code pnn run} in child processes on an emulated
 * device with the shipped bundle) and an operator that sends fleet requests and collects the answers.
 */
final class DispatchRig implements AutoCloseable {
    static final String FLEET = "inf";
    static final String FEATURES = "[0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5]";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path state;
    final ClusterLayout layout;
    final FleetCluster cluster;
    final FleetDatabase db;
    final List<InetSocketAddress> nodes;
    private final Map<String, Process> devices = new LinkedHashMap<>();

    private final TestCluster throwaway;

    DispatchRig(String name, List<String> deviceIds, List<String> otherAccounts) throws Exception {
        throwaway = TestCluster.create("pnn-dispatch-" + name + "-", "pnn" + name);
        FleetDatabase started = null;
        try {
            state = throwaway.state();
            layout = throwaway.layout();
            cluster = throwaway.cluster();
            cluster.addAccounts(Stream.concat(deviceIds.stream(), otherAccounts.stream()).toList(),
                    FleetAccounts.Role.DEVICE, FLEET);
            FleetCluster.UpReport r = throwaway.up(Duration.ofSeconds(120));
            System.out.printf("cluster up in %.1f s%n", r.elapsed().toMillis() / 1000.0);
            started = FleetDatabase.of(DbLayout.under(layout.stateDir(), TestDirs.freePort()));
            started.up(Duration.ofSeconds(120));
        } catch (Exception | AssertionError e) {
            try {
                if (started != null) {
                    started.down(Duration.ofSeconds(60));
                }
            } finally {
                throwaway.close();
            }
            throw e;
        }
        db = started;
        nodes = Stream.of(1, 2, 3).map(i -> new InetSocketAddress("127.0.0.1", layout.mqttPort(i))).toList();
    }

    String servers() {
        return String.join(",", Stream.of(1, 2, 3).map(i -> layout.mqttUri(i).toString()).toList());
    }

    String password(String account) {
        try {
            return cluster.accounts().find(account).orElseThrow().password();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Dispatcher.Options options(Duration timeout) {
        return new Dispatcher.Options(FLEET, nodes, layout.accountsFile(), FleetAccounts.OPERATOR, timeout, 8, 1000,
                Duration.ofSeconds(30), 10_000, Duration.ofMillis(500));
    }

    /** Starts {@code pnn run} for {@code id} in a child process on node {@code node} (the others as failover). */
    Process startDevice(String id, int node) throws IOException {
        Path root = Checkout.requireRoot();
        Path dir = state.resolve("dev-" + id);
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("device.uri", "emulator:shg?seed=1&timing=zero");
        p.setProperty("state.dir", dir.resolve("state").toString());
        p.setProperty("bundle.initial", root.resolve("src/dist/models/vowels7.pnnb").toString());
        p.setProperty("bundle.trusted_keys", root.resolve("src/dist/keys/pnn-release.pub").toString());
        p.setProperty("device.id", id);
        p.setProperty("mqtt.fleet", FLEET);
        p.setProperty("mqtt.username", id);
        p.setProperty("mqtt.password", password(id));
        p.setProperty("telemetry.interval", "PT2S");
        p.setProperty("mqtt.broker", layout.mqttUri(node).toString());
        p.setProperty("mqtt.servers", String.join(",", Stream.of(1, 2, 3).filter(i -> i != node)
                .map(i -> layout.mqttUri(i).toString()).toList()));
        Path config = dir.resolve("pnn-edge.conf");
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, "dispatch test device " + id);
        }
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "-Dpnn.home=" + root,
                "-Dtinylog.writer.level=info", "org.pnnedge.runtime.cli.Main", "run", "--config", config.toString());
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile());
        Process proc = pb.start();
        devices.put(id, proc);
        return proc;
    }

    /** The last lines a device's {@code pnn run} wrote, for failure messages. */
    String deviceLog(String id) {
        try {
            List<String> l = Files.readAllLines(state.resolve("dev-" + id).resolve("run.log"));
            return String.join("\n", l.subList(Math.max(0, l.size() - 15), l.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL: no goodbye, the broker sends the device's will. */
    void killDevice(String id) throws InterruptedException {
        Process p = devices.remove(id);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** An operator that publishes fleet requests (or to any topic) and matches answers by correlation data. */
    final class Requester implements AutoCloseable {
        final Mqtt5AsyncClient client;
        final String replies;
        private final Map<Long, CompletableFuture<Mqtt5Publish>> waiting = new ConcurrentHashMap<>();
        private final AtomicLong next = new AtomicLong();

        Requester(int node, String replies) throws Exception {
            this.replies = replies;
            client = MqttClient.builder().useMqttVersion5().identifier("requester-" + System.nanoTime())
                    .serverAddress(nodes.get(node - 1)).simpleAuth().username(FleetAccounts.OPERATOR)
                    .password(password(FleetAccounts.OPERATOR).getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .buildAsync();
            client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, p -> p.getCorrelationData().ifPresent(c -> {
                if (c.remaining() == 8) {
                    CompletableFuture<Mqtt5Publish> f = waiting.remove(c.duplicate().getLong());
                    if (f != null) {
                        f.complete(p);
                    }
                }
            }));
            client.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
            client.subscribeWith().topicFilter(replies).qos(MqttQos.AT_MOST_ONCE).send().get(30, TimeUnit.SECONDS);
        }

        /** Sends one request to {@code topic}; the future completes with the answer (or never: time it out). */
        CompletableFuture<Mqtt5Publish> send(String topic, String id) {
            return send(topic, id, replies);
        }

        /** As {@link #send(String, String)}, answered on {@code responseTopic} (which the subscription must cover). */
        CompletableFuture<Mqtt5Publish> send(String topic, String id, String responseTopic) {
            return publish(topic, "{\"id\":\"" + id + "\",\"features\":" + FEATURES + "}", responseTopic);
        }

        /**
         * A measurement request (a man's "had": formants in Hz, F0) of {@code talker} to the fleet: the service
         * computes the features and keeps the talker (mqtt.md, "Measurement requests").
         */
        CompletableFuture<Mqtt5Publish> talker(String id, String talker) {
            return publish("pnn/fleet/" + FLEET + "/infer/request", "{\"id\":\"" + id + "\",\"talker\":\""
                    + talker + "\",\"f0Hz\":120,\"formantsHz\":[588,1952,2601,580,1980,2610,600,1940,2590,620,"
                    + "1800,2580]}", replies);
        }

        private CompletableFuture<Mqtt5Publish> publish(String topic, String payload, String responseTopic) {
            long c = next.incrementAndGet();
            CompletableFuture<Mqtt5Publish> f = new CompletableFuture<>();
            waiting.put(c, f);
            f.whenComplete((x, e) -> waiting.remove(c));
            client.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8))
                    .responseTopic(responseTopic).correlationData(ByteBuffer.allocate(8).putLong(c).array()).send();
            return f;
        }

        CompletableFuture<Mqtt5Publish> fleet(String id) {
            return send("pnn/fleet/" + FLEET + "/infer/request", id);
        }

        /** One fleet request, waited for (at most {@code seconds}). */
        Answer ask(String id, int seconds) throws Exception {
            return Answer.of(fleet(id).get(seconds, TimeUnit.SECONDS));
        }

        @Override
        public void close() {
            client.disconnect();
        }
    }

    /** An answer as the requester sees it: the body and the {@code device}/{@code status} user properties. */
    record Answer(JsonNode body, String device, String status) {
        static Answer of(Mqtt5Publish p) throws IOException {
            String device = null;
            String status = null;
            for (var u : p.getUserProperties().asList()) {
                if (u.getName().toString().equals("device")) {
                    device = u.getValue().toString();
                } else if (u.getName().toString().equals("status")) {
                    status = u.getValue().toString();
                }
            }
            return new Answer(JSON.readTree(p.getPayloadAsBytes()), device, status);
        }

        String errorKind() {
            return body.path("error").path("kind").asText(null);
        }
    }

    /** Waits (polling every 200 ms) for {@code condition}; false after {@code timeout}. */
    static boolean await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }

    /** Collects a child's output lines (the dispatcher command's announcements). */
    static Thread pump(Process p, List<String> lines, Consumer<String> echo) {
        Thread t = new Thread(() -> {
            try (var r = p.inputReader()) {
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                    echo.accept(l);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws Exception {
        for (Process p : new ArrayList<>(devices.values())) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            db.down(Duration.ofSeconds(60));
        } finally {
            throwaway.close(); // the nodes, then the directory the database lived in
        }
    }
}
