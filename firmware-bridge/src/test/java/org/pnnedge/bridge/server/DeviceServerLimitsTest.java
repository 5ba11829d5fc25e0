package org.pnnedge.bridge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pnnedge.bridge.DeviceInfo;
import org.pnnedge.bridge.DeviceLink;
import org.pnnedge.bridge.LinkOptions;
import org.pnnedge.bridge.emulator.EmulatedDevice;
import org.pnnedge.bridge.emulator.EmulatorConfig;
import org.pnnedge.bridge.transport.inprocess.InProcessTransport;
import org.pnnedge.bridge.transport.tcp.TcpTransport;

/**
 * A device server bounds what clients can take: connections beyond {@code maxClients} are closed at once, idle
 * ones are dropped after the idle timeout, and the server goes on serving a well-behaved client throughout.
 */
class DeviceServerLimitsTest {
    static boolean closedByServer(Socket s, int withinMillis) throws IOException {
        s.setSoTimeout(withinMillis);
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }

    static DeviceInfo identify(DeviceServer server) {
        TcpTransport tcp = new TcpTransport("127.0.0.1", server.port(), Duration.ofSeconds(2), Duration.ofSeconds(2));
        try (DeviceLink link = DeviceLink.over(tcp, LinkOptions.defaults())) {
            return link.identify();
        }
    }

    @Test
    void connectionsBeyondTheLimitAndIdleOnesAreDropped() throws Exception {
        EmulatedDevice device = new EmulatedDevice(EmulatorConfig.builder(org.pnnedge.bridge.PhysicsKind.SHG)
                .timing(org.pnnedge.bridge.emulator.Timing.ZERO).build());
        InProcessTransport direct = new InProcessTransport(device, "limits test device");
        try (DeviceServer server = DeviceServer.start(direct, InetAddress.getLoopbackAddress(), 0,
                new DeviceServer.Limits(3, Duration.ofMillis(400)))) {
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                idle.add(new Socket("127.0.0.1", server.port()));
            }
            long t0 = System.nanoTime();
            while (server.clients() < 3 && System.nanoTime() - t0 < 2_000_000_000L) {
                Thread.sleep(10);
            }
            assertEquals(3, server.clients());
            try (Socket fourth = new Socket("127.0.0.1", server.port())) {
                assertTrue(closedByServer(fourth, 2000), "a fourth connection is closed at once");
            }
            assertEquals(1, server.refusedConnections());
            // the idle ones are dropped after 400 ms, and the slots are free again
            for (Socket s : idle) {
                assertTrue(closedByServer(s, 3000), "an idle connection is dropped");
                s.close();
            }
            t0 = System.nanoTime();
            while (server.clients() > 0 && System.nanoTime() - t0 < 2_000_000_000L) {
                Thread.sleep(10);
            }
            assertEquals(0, server.clients());
            assertTrue(identify(server).inputs() > 0, "a well-behaved client is served afterwards");
        }
    }

    /** Issue 13: an OutOfMemoryError while serving killed the accept thread; now it drops one client only. */
    @Test
    void anOutOfMemoryErrorDropsOneClientNotTheServer() throws Exception {
        EmulatedDevice device = new EmulatedDevice(EmulatorConfig.builder(org.pnnedge.bridge.PhysicsKind.SHG)
                .timing(org.pnnedge.bridge.emulator.Timing.ZERO).build());
        InProcessTransport direct = new InProcessTransport(device, "oom test device");
        org.pnnedge.bridge.transport.Transport starving = new org.pnnedge.bridge.transport.ForwardingTransport(direct) {
            @Override
            public void send(byte[] frame, int length) {
                if (org.pnnedge.bridge.protocol.FrameCodec.opcodeByte(frame)
                        == org.pnnedge.bridge.protocol.Opcode.SELF_TEST.code()) {
                    throw new OutOfMemoryError("Java heap space (test)");
                }
                direct.send(frame, length);
            }
        };
        try (DeviceServer server = DeviceServer.start(starving, InetAddress.getLoopbackAddress(), 0)) {
            TcpTransport tcp = new TcpTransport("127.0.0.1", server.port(), Duration.ofSeconds(2),
                    Duration.ofSeconds(2));
            try (DeviceLink victim = DeviceLink.over(tcp, LinkOptions.defaults())) {
                org.junit.jupiter.api.Assertions.assertThrows(org.pnnedge.bridge.DeviceException.class,
                        victim::selfTest);
            }
            for (int i = 0; i < 3; i++) {
                assertTrue(identify(server).inputs() > 0, "the server goes on accepting and serving");
            }
        }
    }

    @Test
    void aHungUpClientIsReapedWhileEveryVirtualThreadCarrierIsBusy() throws Exception {
        // CPU-bound virtual threads on every carrier: a virtual client thread (or a JDK 25 poller) would not run
        // until they finish, and the hung-up client would stay counted (the CI failure of DeviceFuzzTest)
        EmulatedDevice device = new EmulatedDevice(EmulatorConfig.builder(org.pnnedge.bridge.PhysicsKind.SHG)
                .timing(org.pnnedge.bridge.emulator.Timing.ZERO).build());
        java.util.concurrent.atomic.AtomicBoolean spin = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> hogs = new ArrayList<>();
        try (DeviceServer server = DeviceServer.start(new InProcessTransport(device, "reap test device"),
                InetAddress.getLoopbackAddress(), 0)) {
            int carriers = Runtime.getRuntime().availableProcessors();
            java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < carriers + 1; i++) {
                hogs.add(Thread.ofVirtual().start(() -> {
                    running.incrementAndGet();
                    while (spin.get()) {
                        Thread.onSpinWait();
                    }
                }));
            }
            long mounted = System.nanoTime();
            while (running.get() < carriers && System.nanoTime() - mounted < 5_000_000_000L) {
                Thread.sleep(10);
            }
            assertTrue(running.get() >= carriers, "every carrier runs a hog");
            long acceptedBefore = server.acceptedConnections();
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(new byte[] {(byte) 0xA5, 0x5A, 1, 2, 3});
            }
            // accepted and reaped: a connection still in the listen backlog is not counted yet, so waiting for
            // clients() == 0 alone could pass before the server ever saw it
            long t0 = System.nanoTime();
            while ((server.acceptedConnections() == acceptedBefore || server.clients() > 0)
                    && System.nanoTime() - t0 < 5_000_000_000L) {
                Thread.sleep(10);
            }
            assertEquals(acceptedBefore + 1, server.acceptedConnections(), "the client was accepted");
            assertEquals(0, server.clients(), "the hung-up client is no longer counted");
        } finally {
            spin.set(false);
            for (Thread h : hogs) {
                h.join(5000);
            }
        }
    }

    @Test
    void moreClientsThanTheBoundAreRefusedByName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DeviceServer.Limits(DeviceServer.Limits.MAX_CLIENTS + 1, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("at most " + DeviceServer.Limits.MAX_CLIENTS), e.getMessage());
        assertEquals(DeviceServer.Limits.MAX_CLIENTS,
                new DeviceServer.Limits(DeviceServer.Limits.MAX_CLIENTS, Duration.ofSeconds(1)).maxClients());
    }
}
