package org.pnnedge.fleet.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pnnedge.fleet.db.PgBinaries;
import org.pnnedge.runtime.fleet.FleetCluster;

/**
 * The dispatcher's cost, measured (not asserted): a documented harness, skipped unless
 * {@code -Dpnn.bench.dispatch=true}. Three runtimes ({@code pnn run}, one per node) on a throwaway cluster; 1,000
 * requests straight to the devices' own topics (round robin by the requester) against 1,000 through
 * {@code pnn/fleet/inf/infer/request} and an in-process dispatcher; one at a time (latency) and 16 in flight
 * (throughput); three rounds each. Results in BENCHMARKS.md ("Fleet inference dispatcher").
 *
 * <pre>nice -n 10 mvn -B -pl fleet-controller -am test -Dtest=DispatchBenchTest -Dsurefire.failIfNoSpecifiedTests=false -Dpnn.bench.dispatch=true</pre>
 */
class DispatchBenchTest {
    private static final List<String> DEVICES = List.of("b-1", "b-2", "b-3");
    private static final int N = Integer.getInteger("pnn.bench.dispatch.requests", 1000);

    @Test
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("pnn.bench.dispatch"), "benchmark: run with -Dpnn.bench.dispatch=true");
        Assumptions.assumeTrue(FleetCluster.unavailable().isEmpty(), "" + FleetCluster.unavailable().orElse(""));
        Assumptions.assumeTrue(PgBinaries.find().isPresent(), PgBinaries.missing());
        try (DispatchRig rig = new DispatchRig("b", DEVICES, List.of())) {
            for (int i = 0; i < DEVICES.size(); i++) {
                rig.startDevice(DEVICES.get(i), i + 1);
            }
            try (Dispatcher d = new Dispatcher(rig.options(Duration.ofSeconds(10)), rig.db, System.out::println);
                 DispatchRig.Requester direct = rig.new Requester(1, "pnn/+/infer/response/bench");
                 DispatchRig.Requester fleet = rig.new Requester(1, "bench/replies")) {
                d.start();
                assertTrue(DispatchRig.await(Duration.ofSeconds(120), () -> d.active() && d.stats().online().size() == 3),
                        "dispatcher active with 3 devices: " + d.stats());
                IntFunction<CompletableFuture<Mqtt5Publish>> viaDevice = i -> {
                    String dev = DEVICES.get(i % DEVICES.size());
                    return direct.send("pnn/" + dev + "/infer/request", "d" + i, "pnn/" + dev + "/infer/response/bench");
                };
                IntFunction<CompletableFuture<Mqtt5Publish>> viaDispatcher = i -> fleet.fleet("f" + i);
                run("warm-up direct", viaDevice, 200, 1);
                run("warm-up dispatcher", viaDispatcher, 200, 1);
                for (int round = 1; round <= 3; round++) {
                    run("round " + round + " direct     1 in flight", viaDevice, N, 1);
                    run("round " + round + " dispatcher 1 in flight", viaDispatcher, N, 1);
                    run("round " + round + " direct     16 in flight", viaDevice, N, 16);
                    run("round " + round + " dispatcher 16 in flight", viaDispatcher, N, 16);
                }
                System.out.println("dispatcher: " + d.stats());
                assertEquals(0, d.stats().errors().size(), d.stats().toString());
            }
        }
    }

    /** {@code n} requests, {@code window} in flight; prints p50/p95/p99/max and the rate. Every one must be answered. */
    private static void run(String what, IntFunction<CompletableFuture<Mqtt5Publish>> send, int n, int window)
            throws Exception {
        long[] lat = new long[n];
        ArrayDeque<Object[]> inFlight = new ArrayDeque<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (inFlight.size() == window) {
                finish(inFlight.poll(), lat);
            }
            inFlight.add(new Object[] {i, System.nanoTime(), send.apply(i)});
        }
        while (!inFlight.isEmpty()) {
            finish(inFlight.poll(), lat);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(lat);
        System.out.println(String.format(Locale.ROOT, "%-36s n=%d  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.1f ms  "
                + "%.0f req/s", what, n, ms(lat, 0.50), ms(lat, 0.95), ms(lat, 0.99), lat[n - 1] / 1e6, n / secs));
    }

    @SuppressWarnings("unchecked")
    private static void finish(Object[] f, long[] lat) throws Exception {
        Mqtt5Publish p = ((CompletableFuture<Mqtt5Publish>) f[2]).get(30, TimeUnit.SECONDS);
        lat[(int) f[0]] = System.nanoTime() - (long) f[1];
        DispatchRig.Answer a = DispatchRig.Answer.of(p);
        assertNull(a.errorKind(), a.toString());
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
