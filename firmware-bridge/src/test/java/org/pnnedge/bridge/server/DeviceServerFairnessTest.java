package org.pnnedge.bridge.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Payloads;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import org.pnnedge.bridge.transport.tcp.TcpTransport;

/**
 * Clients share the device fairly and none can make the bridge buffer without bound (issue 13): while one client
 * loops full SHOT_BATCHes, another client's single shots wait about one chunk, not whole batches; a batch answered
 * in chunks is the batch answered whole; a client that pipelines frames without reading answers holds at most its
 * queued-bytes bound.
 */
class DeviceServerFairnessTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    static EmulatorConfig.Builder shg() {
        return EmulatorConfig.builder(PhysicsKind.SHG).noise(false).drift(false);
    }

    static DeviceLink link(DeviceServer server) {
        return DeviceLink.over(new TcpTransport("127.0.0.1", server.port(), PATIENCE, PATIENCE),
                LinkOptions.defaults());
    }

    static int[][] inputs(int shots, int width, long seed) {
        Random r = new Random(seed);
        int[][] in = new int[shots][width];
        for (int[] row : in) {
            for (int i = 0; i < width; i++) {
                row[i] = r.nextInt(4096);
            }
        }
        return in;
    }

    static int[] params(DeviceLink link) {
        int[] p = new int[link.info().params()];
        Arrays.fill(p, 2000);
        return p;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    /**
     * The property: with a flooding client, another client's request waits a fraction of one full batch (one
     * chunk), where a device given whole batches in turn would make it wait half a batch on average and a device
     * taken by whoever grabs it first, many batches. 200 µs a shot by default, so the test is quick; the system
     * property {@code pnn.fairness.shotMicros=20000} runs it at the emulated SHG device's real 20 ms a shot (issue
     * 13's 10 s batches; about a minute), {@code pnn.fairness.samples} sets the other client's number of shots.
     */
    @Test
    void aFloodOfFullBatchesDelaysAnotherClientByAboutOneChunk() throws Exception {
        long shotMicros = Long.getLong("pnn.fairness.shotMicros", 200);
        int samples = Integer.getInteger("pnn.fairness.samples", 25);
        EmulatedDevice dev = new EmulatedDevice(shg().timing(Timing.REALISTIC).shotMicros(shotMicros).build());
        try (DeviceServer server = DeviceServer.start(new InProcessTransport(dev, "fair"),
                InetAddress.getLoopbackAddress(), 0, DeviceServer.Limits.defaults());
             DeviceLink flooder = link(server); DeviceLink other = link(server)) {
            int max = flooder.info().maxBatch();
            int[][] batch = inputs(max, flooder.info().inputs(), 1);
            flooder.loadParams(0, params(flooder));
            other.loadParams(1, params(other));
            List<Double> alone = new ArrayList<>();
            for (int i = 0; i < (shotMicros > 1000 ? 2 : 5); i++) {
                long t0 = System.nanoTime();
                flooder.shotBatch(0, batch);
                alone.add((System.nanoTime() - t0) / 1e6);
            }
            double batchMs = median(alone);

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong floodBatches = new AtomicLong();
            Thread flood = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    flooder.shotBatch(0, batch);
                    floodBatches.incrementAndGet();
                }
            });
            List<Double> waits = new ArrayList<>();
            Random phase = new Random(7);
            int[] in = new int[other.info().inputs()];
            try {
                Thread.sleep(50);
                for (int i = 0; i < samples; i++) {
                    // land anywhere in the flooder's batch (within a second: a 10 s batch is sampled by its start)
                    Thread.sleep(phase.nextInt((int) Math.max(1, Math.min(1000, batchMs))));
                    long t0 = System.nanoTime();
                    other.shot(1, in);
                    waits.add((System.nanoTime() - t0) / 1e6);
                }
            } finally {
                stop.set(true);
                flood.join(60_000); // the flooder finishes the batch it is in
            }
            long turn = Math.max(1, Math.min(DeviceServer.Limits.DEFAULT_CHUNK_SHOTS,
                    DeviceScheduler.TURN_MICROS / flooder.info().typicalShotMicros()));
            double chunkMs = batchMs * turn / max;
            String report = String.format("one %d-shot batch alone %.1f ms (one %d-shot chunk ≈ %.1f ms); the other "
                            + "client's shot under the flood: median %.1f ms, all %s; flooder batches meanwhile %d", max,
                    batchMs, turn, chunkMs, median(waits), waits.stream().map(w -> String.format("%.1f", w)).toList(),
                    floodBatches.get());
            System.out.println(report);
            assertTrue(median(waits) < batchMs / 4, report);
            assertTrue(floodBatches.get() >= 1 && !flood.isAlive(), "the flooder kept being served: " + report);
            assertTrue(other.stats().timeouts() == 0, "no request of the other client timed out: " + report);
        }
    }

    @Test
    void aBatchAnsweredInChunksIsTheBatchAnsweredWhole() throws Exception {
        EmulatorConfig c = shg().timing(Timing.ZERO).build();
        try (DeviceServer server = DeviceServer.start(new InProcessTransport(new EmulatedDevice(c), "chunked"),
                InetAddress.getLoopbackAddress(), 0, new DeviceServer.Limits(2, Duration.ofSeconds(30),
                        DeviceServer.Limits.DEFAULT_QUEUED_BYTES, 7));
             DeviceLink viaBridge = link(server);
             DeviceLink direct = DeviceLink.over(new InProcessTransport(new EmulatedDevice(c), "whole"),
                     LinkOptions.defaults())) {
            int[][] in = inputs(viaBridge.info().maxBatch(), viaBridge.info().inputs(), 3);
            viaBridge.loadParams(2, params(viaBridge));
            direct.loadParams(2, params(direct));
            int[][] chunked = viaBridge.shotBatch(2, in);
            int[][] whole = direct.shotBatch(2, in);
            for (int s = 0; s < in.length; s++) {
                assertArrayEquals(whole[s], chunked[s], "shot " + s);
            }
        }
    }

    @Test
    void aClientThatNeverReadsHoldsAtMostItsQueuedBytes() throws Exception {
        EmulatedDevice dev = new EmulatedDevice(shg().timing(Timing.REALISTIC).shotMicros(500).build());
        DeviceServer.Limits limits = DeviceServer.Limits.defaults();
        try (DeviceServer server = DeviceServer.start(new InProcessTransport(dev, "queue"),
                InetAddress.getLoopbackAddress(), 0, limits)) {
            byte[] f = new byte[FrameCodec.MAX_FRAME];
            int shots = 511;
            f[FrameCodec.PAYLOAD_OFFSET] = 0;
            FrameCodec.putU16(f, FrameCodec.PAYLOAD_OFFSET + 1, shots);
            FrameCodec.putU16(f, FrameCodec.PAYLOAD_OFFSET + 3, 16);
            int len = FrameCodec.seal(f, Opcode.SHOT_BATCH.code(), 1, 0, Payloads.BATCH_HEADER + 2 * shots * 16);
            long peak = 0;
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSendBufferSize(FrameCodec.MAX_FRAME);
                Thread writer = Thread.ofPlatform().daemon(true).start(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        for (int i = 0; i < 1000; i++) { // 16 MB of requests, answers never read
                            out.write(f, 0, len);
                        }
                    } catch (IOException e) {
                        // closed at the end of the test
                    }
                });
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 1_500_000_000L) {
                    peak = Math.max(peak, server.queuedBytes());
                    Thread.sleep(5);
                }
                assertTrue(peak > 0, "the flood was queued at all");
                assertTrue(peak <= limits.maxQueuedBytes(), "queued " + peak + " > " + limits.maxQueuedBytes());
                writer.interrupt();
            }
            long t0 = System.nanoTime();
            while (server.queuedBytes() > 0 && System.nanoTime() - t0 < 5_000_000_000L) {
                Thread.sleep(10);
            }
            assertTrue(server.queuedBytes() == 0, "a gone client's queue is released");
            try (DeviceLink link = link(server)) {
                assertTrue(link.identify().inputs() > 0, "and the next client is served");
            }
        }
    }
}
