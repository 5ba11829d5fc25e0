package org.pnnedge.bridge.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.pnnedge.bridge.AnswerCodec;
import org.pnnedge.bridge.PhysicsKind;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.emulator.Timing;
import org.pnnedge.bridge.fuzz.Fuzz;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.server.DeviceServer;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;

/**
 * The device side of the wire on hostile requests: the emulated firmware (the reference for real firmware) answers
 * every request frame with a well-formed frame, whatever the payload says, and keeps serving; the TCP device server
 * survives any byte stream from a client; the host's answer readers refuse malformed payloads with
 * IllegalArgumentException only.
 */
class DeviceFuzzTest {
    private static EmulatedDevice device;
    private static InProcessTransport wire;
    private static DeviceServer server;
    private static final byte[] RX = new byte[FrameCodec.MAX_FRAME];

    @BeforeContainer
    static void start() throws IOException {
        device = new EmulatedDevice(EmulatorConfig.builder(PhysicsKind.SHG).seed(5).noise(false).timing(Timing.ZERO)
                .build());
        wire = new InProcessTransport(device, "fuzzed device");
        server = DeviceServer.start(new InProcessTransport(
                new EmulatedDevice(EmulatorConfig.builder(PhysicsKind.CIRCUIT).seed(6).timing(Timing.ZERO).build()),
                "served fuzzed device"), InetAddress.getLoopbackAddress(), 0);
    }

    @AfterContainer
    static void stop() {
        server.close();
        wire.close();
    }

    /** Well-formed requests of every opcode (payloads sized for the SHG device: 16 inputs, 32 parameters). */
    private static final List<byte[]> VALID = List.of(
            request(Opcode.IDENTIFY, new byte[0]),
            request(Opcode.LOAD_PARAMS, vector(0, 32)),
            request(Opcode.SHOT, vector(0, 16)),
            request(Opcode.SHOT_BATCH, batch(3, 16)),
            request(Opcode.READ_SENSORS, new byte[0]),
            request(Opcode.SELF_TEST, new byte[0]),
            request(Opcode.RESET, new byte[0]),
            request(Opcode.LAB_ENVIRONMENT, new byte[17]));

    private static byte[] request(Opcode op, byte[] payload) {
        byte[] f = new byte[payload.length + FrameCodec.OVERHEAD];
        System.arraycopy(payload, 0, f, FrameCodec.PAYLOAD_OFFSET, payload.length);
        FrameCodec.seal(f, op.code(), 1, 0, payload.length);
        return f;
    }

    private static byte[] vector(int slot, int count) {
        byte[] p = new byte[3 + 2 * count];
        p[0] = (byte) slot;
        FrameCodec.putU16(p, 1, count);
        for (int i = 0; i < count; i++) {
            FrameCodec.putU16(p, 3 + 2 * i, 1000 + i);
        }
        return p;
    }

    private static byte[] batch(int shots, int width) {
        byte[] p = new byte[5 + 2 * shots * width];
        FrameCodec.putU16(p, 1, shots);
        FrameCodec.putU16(p, 3, width);
        return p;
    }

    /**
     * A request for the firmware: a mutated valid request, re-sealed (CRC and length made right) in half the cases so
     * that the mutation reaches the payload checks instead of stopping at the CRC.
     */
    private static byte[] hostile(int which, long seed) {
        byte[] m = Fuzz.mutate(VALID.get(which), seed);
        if (m.length == 0) {
            m = new byte[1];
        }
        if (m.length > FrameCodec.MAX_FRAME) {
            m = Arrays.copyOf(m, FrameCodec.MAX_FRAME);
        }
        if ((seed & 1) == 0 && m.length >= FrameCodec.OVERHEAD) {
            m[0] = (byte) FrameCodec.SYNC0;
            m[1] = (byte) FrameCodec.SYNC1;
            FrameCodec.seal(m, FrameCodec.opcodeByte(m) & 0x7F, FrameCodec.seq(m), 0, m.length - FrameCodec.OVERHEAD);
        }
        m[0] = (byte) FrameCodec.SYNC0; // on SPI only a transfer starting with the sync byte is a request
        return m;
    }

    /** Sends one transfer; an answer, if any, must be a whole valid frame. */
    private static void exchange(byte[] request) {
        Fuzz.accepted(() -> {
            wire.send(request, request.length);
            int n = wire.receive(RX, 50_000_000L);
            if (n > 0) {
                assertNull(FrameCodec.check(RX, n), "the firmware answered a malformed frame");
                assertTrue((FrameCodec.opcodeByte(RX) & Opcode.RESPONSE_BIT) != 0);
            }
            return null;
        });
    }

    /** The firmware still serves: IDENTIFY gets OK. */
    private static void stillServes() {
        byte[] id = request(Opcode.IDENTIFY, new byte[0]);
        wire.send(id, id.length);
        int n = wire.receive(RX, 1_000_000_000L);
        assertTrue(n > 0, "no answer to IDENTIFY after a hostile request");
        assertEquals(Status.OK.code(), FrameCodec.status(RX));
    }

    @Property
    void firmwareAnswersMutatedRequestsWithWellFormedFrames(@ForAll @IntRange(min = 0, max = 7) int which,
            @ForAll long seed) {
        exchange(hostile(which, seed));
        stillServes();
    }

    @Property
    void firmwareAnswersRandomTransfersWithWellFormedFramesOrNothing(@ForAll @Size(max = 200) byte[] bytes) {
        // a request on SPI starts with the sync byte (anything else is a read, which never gets an answer)
        byte[] b = Fuzz.concat(new byte[] {(byte) FrameCodec.SYNC0}, bytes);
        if (b.length > 1 && b.length % 2 == 0) {
            b[1] = (byte) FrameCodec.SYNC1;
        }
        exchange(b);
        stillServes();
    }

    @Property
    void answerReadersRefuseMalformedPayloadsWithIllegalArgument(@ForAll @Size(max = 300) byte[] payload) {
        Fuzz.accepted(() -> AnswerCodec.readIdentity(payload, 0, payload.length), IllegalArgumentException.class);
        Fuzz.accepted(() -> AnswerCodec.readSensors(payload, 0, payload.length), IllegalArgumentException.class);
        Fuzz.accepted(() -> AnswerCodec.readSelfTest(payload, 0, payload.length), IllegalArgumentException.class);
        Fuzz.accepted(() -> AnswerCodec.readEnergy(payload, 0, payload.length), IllegalArgumentException.class);
    }

    /** The connection made after {@code acceptedBefore} was accepted and its client's thread has ended. */
    private boolean reaped(long acceptedBefore) {
        return server.acceptedConnections() > acceptedBefore && server.clients() == 0;
    }

    @Property
    void deviceServerSurvivesAnyClientStream(@ForAll @Size(max = 400) byte[] noise, @ForAll long seed)
            throws IOException {
        Random r = new Random(seed);
        long acceptedBefore = server.acceptedConnections();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(noise);
            byte[] head = hostile(r.nextInt(VALID.size()), seed); // a frame-shaped header, maybe an absurd length
            out.write(head, 0, Math.min(head.length, r.nextInt(head.length + 1)));
            out.flush();
        }
        // the hostile client has hung up; the server accepts it and notices the hang-up on its own thread, which a
        // loaded machine may run late: wait (bounded) until it was accepted AND reaped, so the check below is not
        // refused as a ninth client. Waiting for clients() == 0 alone raced with the accept: a connection still in
        // the listen backlog is not counted yet (seen in CI: the loop ended at once, then the accept counted it)
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!reaped(acceptedBefore) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        if (!reaped(acceptedBefore)) {
            fail("the client that hung up was not accepted and reaped within 30 s: accepted "
                    + (server.acceptedConnections() - acceptedBefore) + ", still counted " + server.clients()
                    + "; threads:\n" + bridgeThreads());
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout((int) Fuzz.TIMEOUT_MS);
            byte[] id = request(Opcode.IDENTIFY, new byte[0]);
            s.getOutputStream().write(id);
            InputStream in = s.getInputStream();
            byte[] answer = in.readNBytes(FrameCodec.OVERHEAD + 30);
            assertNull(FrameCodec.check(answer, answer.length), "the server's answer after a hostile client");
            assertEquals(Status.OK.code(), FrameCodec.status(answer));
        }
    }

    /**
     * The server's threads, the virtual threads and their carriers, with their stacks, to tell why a client was not
     * reaped.
     */
    private static String bridgeThreads() throws IOException {
        java.nio.file.Path dump = java.nio.file.Files.createTempFile("bridge-threads", ".txt");
        java.nio.file.Files.delete(dump);
        java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
        String all = java.nio.file.Files.readString(dump);
        java.nio.file.Files.delete(dump);
        StringBuilder out = new StringBuilder();
        for (String thread : all.split("\n\n")) {
            // the server's own, and what runs virtual threads (carriers, pollers), in case they were held elsewhere
            if (thread.contains("pnnedge.bridge.server") || thread.contains("ForkJoinPool")
                    || thread.contains("Poller") || thread.lines().findFirst().orElse("").contains(" virtual ")) {
                out.append(thread).append("\n\n");
            }
        }
        return out.isEmpty() ? "(no thread is in the bridge server)" : out.toString();
    }

    @Example
    void regressionSeedsGetWellFormedAnswers() {
        Fuzz.corpus(DeviceFuzzTest.class, "frame").forEach(b -> {
            if (b.length > 0) {
                exchange(b);
            }
            stillServes();
        });
    }
}
