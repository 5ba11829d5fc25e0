package org.pnnedge.bridge.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.transport.Transport;
import org.tinylog.Logger;

/**
 * Exposes one device over TCP: relays request frames from clients to the device's {@link Transport} and the
 * device's response frames back, untouched (so wire faults reach the client as they happened). Answers the
 * bridge-only LINE_RESET itself by pulsing the device's RESET line. One request at a time reaches the device;
 * a client that sends a new request stops the wait for the previous answer.
 */
public final class DeviceServer implements AutoCloseable {
    /** Longest the bridge waits for one device answer (a 1024-shot batch on a slow device). */
    public static final long MAX_DEVICE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Resource bounds of a server (security.md): every client costs about two frame buffers plus a queue of at most
     * 16 frames, so {@code maxClients} bounds the memory; a client that sends nothing for {@code idleTimeout} is
     * dropped, so idle connections cannot pile up.
     */
    public record Limits(int maxClients, java.time.Duration idleTimeout) {
        public Limits {
            if (maxClients < 1 || idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("a device server needs maxClients >= 1 and a positive idle "
                        + "timeout, got " + maxClients + ", " + idleTimeout);
            }
        }

        /** 8 clients, 120 s idle. */
        public static Limits defaults() {
            return new Limits(8, java.time.Duration.ofSeconds(120));
        }
    }

    private final Transport device;
    private final ServerSocket server;
    private final Limits limits;
    private final ReentrantLock deviceLock = new ReentrantLock();
    private final java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final Thread acceptor;
    private long lastLog = System.nanoTime() - LOG_INTERVAL_NANOS;
    private long unloggedFailures;
    private volatile boolean closed;

    private DeviceServer(Transport device, ServerSocket server, Limits limits) {
        this.device = device;
        this.server = server;
        this.limits = limits;
        this.acceptor = Thread.ofPlatform().name("pnn-bridge-accept").daemon(true).start(this::acceptLoop);
    }

    /**
     * Starts serving on {@code bind:port} (port 0 picks a free one) with {@link Limits#defaults()}.
     *
     * @throws IOException when the port cannot be bound
     */
    public static DeviceServer start(Transport device, InetAddress bind, int port) throws IOException {
        return start(device, bind, port, Limits.defaults());
    }

    /** Starts serving with the given resource bounds. */
    public static DeviceServer start(Transport device, InetAddress bind, int port, Limits limits) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(bind, port));
        return new DeviceServer(device, s, limits);
    }

    /** Clients connected now. */
    public int clients() {
        return clients.get();
    }

    /** Connections closed at once because {@link Limits#maxClients()} were connected. */
    public long refusedConnections() {
        return refused.get();
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetAddress address() {
        return server.getInetAddress();
    }

    /**
     * Never dies: a failing accept (out of file descriptors, out of memory) backs off up to a second and is logged
     * at most once per 10 s with the count, instead of spinning and filling the disk with log lines.
     */
    private void acceptLoop() {
        long backoffMillis = 0;
        while (!closed) {
            try {
                Socket client = server.accept();
                backoffMillis = 0;
                if (clients.incrementAndGet() > limits.maxClients()) {
                    clients.decrementAndGet();
                    refused.incrementAndGet();
                    closeQuietly(client);
                    rateLimited("bridge: refused a connection, " + limits.maxClients() + " clients are connected");
                    continue;
                }
                client.setTcpNoDelay(true);
                client.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()));
                Thread.ofVirtual().name("pnn-bridge-" + client.getPort()).start(() -> {
                    try {
                        serve(client);
                    } finally {
                        clients.decrementAndGet();
                    }
                });
            } catch (IOException | RuntimeException | Error e) {
                if (closed) {
                    return;
                }
                rateLimited("bridge accept failed: " + e);
                backoffMillis = Math.min(1000, Math.max(10, backoffMillis * 2));
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    if (closed) {
                        return;
                    }
                }
            }
        }
    }

    private void rateLimited(String message) {
        long now = System.nanoTime();
        if (now - lastLog >= LOG_INTERVAL_NANOS) {
            Logger.warn("{}{}", message, unloggedFailures > 0 ? " (and " + unloggedFailures + " more since the last "
                    + "report)" : "");
            lastLog = now;
            unloggedFailures = 0;
        } else {
            unloggedFailures++;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // refused anyway
        }
    }

    private void serve(Socket client) {
        String who = client.getRemoteSocketAddress().toString();
        Logger.info("bridge: client {} connected", who);
        BlockingQueue<byte[]> requests = new ArrayBlockingQueue<>(16);
        Thread reader = Thread.ofVirtual().start(() -> readFrames(client, requests));
        byte[] response = new byte[FrameCodec.MAX_FRAME];
        try (client) {
            OutputStream out = client.getOutputStream();
            while (!closed) {
                byte[] req = requests.poll(100, TimeUnit.MILLISECONDS);
                if (req == null) {
                    if (!reader.isAlive() && requests.isEmpty()) {
                        break;
                    }
                    continue;
                }
                if (req.length == 0) {
                    break; // reader hit end of stream
                }
                int n = handle(req, response, requests);
                if (n > 0) {
                    out.write(response, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            Logger.info("bridge: client {} gone: {}", who, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Logger.error(e, "bridge: device failure while serving {}", who);
        } catch (OutOfMemoryError e) {
            Logger.error("bridge: out of memory while serving {}; dropping that client", who);
        } finally {
            reader.interrupt();
            Logger.info("bridge: client {} disconnected", who);
        }
    }

    /** Forwards one request; returns the number of response bytes to send back (0 = none). */
    private int handle(byte[] req, byte[] response, BlockingQueue<byte[]> pending) {
        deviceLock.lock();
        try {
            if (req.length >= FrameCodec.HEADER_BYTES && FrameCodec.opcodeByte(req) == Opcode.LINE_RESET.code()
                    && FrameCodec.check(req, req.length) == null) {
                int status = Status.OK.code();
                try {
                    device.pulseReset();
                } catch (RuntimeException e) {
                    Logger.warn("bridge: RESET pulse failed: {}", e.getMessage());
                    status = Status.HARDWARE_FAULT.code();
                }
                // answered in the request's version: a version-1 client reads only version-1 frames
                return FrameCodec.seal(response, FrameCodec.version(req),
                        Opcode.LINE_RESET.code() | Opcode.RESPONSE_BIT, FrameCodec.seq(req), status, 0);
            }
            device.send(req, req.length);
            long deadline = System.nanoTime() + MAX_DEVICE_WAIT_NANOS;
            while (System.nanoTime() < deadline) {
                int n = device.receive(response, SLICE_NANOS);
                if (n > 0) {
                    return n;
                }
                if (!pending.isEmpty() || closed) {
                    return 0; // the client gave up on this answer and sent another request
                }
            }
            return 0;
        } finally {
            deviceLock.unlock();
        }
    }

    /** Splits the client's byte stream into frames (resynchronising on the sync bytes). */
    private static void readFrames(Socket client, BlockingQueue<byte[]> sink) {
        try {
            InputStream in = client.getInputStream();
            byte[] head = new byte[FrameCodec.HEADER_BYTES];
            while (true) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (b != FrameCodec.SYNC0) {
                    continue;
                }
                head[0] = (byte) b;
                if (in.readNBytes(head, 1, FrameCodec.HEADER_BYTES - 1) < FrameCodec.HEADER_BYTES - 1) {
                    break;
                }
                if ((head[1] & 0xFF) != FrameCodec.SYNC1) {
                    continue;
                }
                int total = FrameCodec.frameLength(head);
                if (total > FrameCodec.MAX_FRAME) {
                    continue; // corrupted length: skip to the next sync byte
                }
                byte[] frame = new byte[total];
                System.arraycopy(head, 0, frame, 0, FrameCodec.HEADER_BYTES);
                if (in.readNBytes(frame, FrameCodec.HEADER_BYTES, total - FrameCodec.HEADER_BYTES)
                        < total - FrameCodec.HEADER_BYTES) {
                    break;
                }
                sink.put(frame);
            }
        } catch (java.net.SocketTimeoutException e) {
            Logger.info("bridge: client idle for longer than its timeout; dropping it");
        } catch (SocketException e) {
            // closed
        } catch (IOException e) {
            Logger.info("bridge: read failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        sink.offer(new byte[0]);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        acceptor.interrupt();
    }
}
