package org.pnnedge.runtime.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.pnnedge.runtime.edge.ControlServer;
import org.pnnedge.runtime.edge.EdgeService;

/**
 * One inference through the service on {@code emulator:shg?seed=1&timing=zero}: {@link #serviceClassify} is
 * {@code EdgeService.classify} (device lock with the watchdog timeout, engine, latency statistics, the
 * {@code Answer} copy); {@link #controlSocket} is one classify request through the local control socket as
 * {@code pnn classify --socket} sends it ({@code ControlServer.request}: connect, JSON request line, server
 * virtual thread, JSON parse, classify, JSON answer, close), client and server in this JVM — everything but the
 * CLI's own JVM start. B/op ({@code -prof gc}) counts all threads, i.e. client and server together.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ServiceBenchmark {
    private Path state;
    private EdgeService service;
    private Path socket;
    private double[][] rows;
    private JsonNode[] requests;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        state = Files.createTempDirectory("pnn-bench-service");
        service = EdgeService.start(RuntimeRigs.config(state, RuntimeRigs.DEVICE_ZERO));
        socket = state.resolve("control.sock");
        rows = RuntimeRigs.featureRows();
        ObjectMapper mapper = new ObjectMapper();
        requests = new JsonNode[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ObjectNode req = mapper.createObjectNode();
            req.put("op", "classify");
            ArrayNode a = req.putArray("features");
            for (double v : rows[i]) {
                a.add(v);
            }
            requests[i] = req;
        }
        JsonNode answer = ControlServer.request(socket, requests[0], Duration.ofSeconds(5));
        if (!answer.has("label")) {
            throw new IllegalStateException("control socket answered " + answer);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        service.close();
        RuntimeRigs.deleteTree(state);
    }

    private int row() {
        int i = next;
        next = i + 1 == rows.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public org.pnnedge.runtime.service.Answer serviceClassify() {
        return service.classify(rows[row()]);
    }

    @Benchmark
    public JsonNode controlSocket() throws Exception {
        return ControlServer.request(socket, requests[row()], Duration.ofSeconds(5));
    }
}
