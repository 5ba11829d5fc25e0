package org.pnnedge.bridge.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.pnnedge.bridge.net.BoundedAcceptor;
import org.pnnedge.bridge.net.RateLimitedLog;
import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.tls.DeviceTls;
import org.pnnedge.bridge.transport.Transport;
import org.tinylog.Logger;

/**
 * Exposes one device over TCP: relays request frames from clients to the device's {@link Transport} and the
 * device's response frames back, untouched (so wire faults reach the client as they happened). Answers the
 * bridge-only LINE_RESET itself by pulsing the device's RESET line. One request at a time reaches the device, and
 * clients take turns fairly ({@link DeviceScheduler}); a client that sends a new request stops the wait for the
 * previous answer. Who may connect is {@link ServerSecurity}: mutual TLS, or loopback only.
 */
public final class DeviceServer implements AutoCloseable {
    /** Longest the bridge waits for one device answer (a 1024-shot batch on a slow device). */
    public static final long MAX_DEVICE_WAIT_NANOS = DeviceScheduler.MAX_DEVICE_WAIT_NANOS;
    private static final java.time.Duration LOG_INTERVAL = java.time.Duration.ofSeconds(10);
    /** Longest a TLS handshake may take; a client that stalls it is dropped. */
    private static final int HANDSHAKE_MILLIS = 10_000;
    private static final int MAX_QUEUED_FRAMES = 16;
    /** Stack of a client's two threads: they run the relay loop and frame splitting, nothing deep. */
    private static final long CLIENT_STACK_BYTES = 256 * 1024;

    /**
     * Resource bounds of a server (SECURITY.md): every client costs three frame buffers plus at most
     * {@code maxQueuedBytes} of queued requests, so {@code maxClients} bounds the memory; a client that sends nothing
     * for {@code idleTimeout} is dropped, so idle connections cannot pile up; a SHOT_BATCH reaches the device in
     * chunks of at most {@code chunkShots} shots, so one client's batches delay another's request by one chunk. Every
     * client is served by two platform threads, so {@code maxClients} is at most {@link #MAX_CLIENTS}.
     */
    public record Limits(int maxClients, java.time.Duration idleTimeout, int maxQueuedBytes, int chunkShots) {
        /** Most clients one server admits: one device answers one request at a time, so more would only wait. */
        public static final int MAX_CLIENTS = 1024;
        /** Default queued bytes per client: four largest frames. */
        public static final int DEFAULT_QUEUED_BYTES = 4 * FrameCodec.MAX_FRAME;
        /** Default chunk of a shared SHOT_BATCH. */
        public static final int DEFAULT_CHUNK_SHOTS = 32;

        public Limits {
            if (maxClients < 1 || idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("a device server needs maxClients >= 1 and a positive idle "
                        + "timeout, got " + maxClients + ", " + idleTimeout);
            }
            if (maxClients > MAX_CLIENTS) {
                throw new IllegalArgumentException("a device server admits at most " + MAX_CLIENTS + " clients (one "
                        + "device answers one request at a time), got maxClients " + maxClients);
            }
            if (maxQueuedBytes < FrameCodec.MAX_FRAME || chunkShots < 1) {
                throw new IllegalArgumentException("a device server needs maxQueuedBytes >= " + FrameCodec.MAX_FRAME
                        + " (one largest frame) and chunkShots >= 1, got " + maxQueuedBytes + ", " + chunkShots);
            }
        }

        /** The given client and idle bounds with the default queue and chunk. */
        public Limits(int maxClients, java.time.Duration idleTimeout) {
            this(maxClients, idleTimeout, DEFAULT_QUEUED_BYTES, DEFAULT_CHUNK_SHOTS);
        }

        /** 8 clients, 120 s idle, 64 KiB queued per client, 32-shot chunks. */
        public static Limits defaults() {
            return new Limits(8, java.time.Duration.ofSeconds(120));
        }
    }

    private final ServerSocket server;
    private final Limits limits;
    private final DeviceScheduler scheduler;
    private final AtomicLong authFailures = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final RateLimitedLog log = new RateLimitedLog(LOG_INTERVAL);
    private final BoundedAcceptor<Socket> accepting;
    private final Thread acceptor;
    private volatile boolean closed;

    private DeviceServer(Transport device, ServerSocket server, Limits limits) {
        this.server = server;
        this.limits = limits;
        this.scheduler = new DeviceScheduler(device, limits.chunkShots(), () -> closed);
        this.accepting = new BoundedAcceptor<>("bridge", limits.maxClients(), server::accept, this::startServing,
                BoundedAcceptor::closeQuietly, () -> closed, log);
        this.acceptor = Thread.ofPlatform().name("pnn-bridge-accept").daemon(true).start(accepting);
    }

    /**
     * Starts serving on {@code bind:port} (port 0 picks a free one) with {@link Limits#defaults()}.
     *
     * @throws IOException when the port cannot be bound
     */
    public static DeviceServer start(Transport device, InetAddress bind, int port) throws IOException {
        return start(device, bind, port, Limits.defaults());
    }

    /** Starts serving with the given resource bounds, on loopback only ({@link ServerSecurity#loopbackOnly()}). */
    public static DeviceServer start(Transport device, InetAddress bind, int port, Limits limits) throws IOException {
        return start(device, bind, port, limits, ServerSecurity.loopbackOnly());
    }

    /**
     * Starts serving with the given resource bounds and authentication.
     *
     * @throws IllegalArgumentException for a non-loopback {@code bind} without TLS or the explicit insecure flag
     * @throws IOException              when the port cannot be bound or a TLS file is missing, not private or unusable
     */
    public static DeviceServer start(Transport device, InetAddress bind, int port, Limits limits,
                                     ServerSecurity security) throws IOException {
        security.check(bind);
        ServerSocket s;
        if (security.tls().isPresent()) {
            SSLContext ctx = DeviceTls.context(security.tls().get());
            SSLServerSocket tls = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
            DeviceTls.configureServer(tls);
            s = tls;
        } else {
            s = new ServerSocket();
        }
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(bind, port));
        if (security.insecureNoAuth() && !bind.isLoopbackAddress()) {
            Logger.warn("bridge: serving {} WITHOUT AUTHENTICATION (--insecure-no-auth): anyone who reaches port {} "
                    + "can load parameters, run shots and reset the device", bind.getHostAddress(), s.getLocalPort());
        } else {
            Logger.info("bridge: clients are admitted by {}", security.describe());
        }
        return new DeviceServer(device, s, limits);
    }

    /** Clients connected now. */
    public int clients() {
        return accepting.clients();
    }

    /** Connections accepted since the start (served or refused); see {@link BoundedAcceptor#accepted()}. */
    public long acceptedConnections() {
        return accepting.accepted();
    }

    /** Connections closed at once because {@link Limits#maxClients()} were connected. */
    public long refusedConnections() {
        return accepting.refused();
    }

    /** Connections dropped because their TLS handshake failed (no, untrusted or expired client certificate). */
    public long authFailures() {
        return authFailures.get();
    }

    /** Request bytes queued by all clients and not yet relayed (each client at most {@link Limits#maxQueuedBytes}). */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetAddress address() {
        return server.getInetAddress();
    }

    /**
     * Hands an admitted client to its own thread ({@link BoundedAcceptor}: the slot taken for it is given back on
     * every path, including a client that reset the connection before its options were set, so hung-up clients never
     * fill the {@link Limits#maxClients()} slots). Platform threads, not virtual ones: the clients are few and
     * bounded, and a virtual thread (and, from JDK 25, the poller that wakes it on socket input) runs only when a
     * carrier is free, which CPU-bound or pinned work elsewhere in the process can deny for seconds; a hung-up client
     * then stayed counted (seen in CI, DeviceFuzzTest).
     */
    private void startServing(Socket client, Runnable done) throws IOException {
        client.setTcpNoDelay(true);
        client.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()));
        clientThread("pnn-bridge-" + client.getPort()).start(() -> {
            try {
                serve(client);
            } finally {
                done.run();
            }
        });
    }

    private static Thread.Builder clientThread(String name) {
        return Thread.ofPlatform().name(name).daemon(true).stackSize(CLIENT_STACK_BYTES);
    }

    private void serve(Socket client) {
        String who = client.getRemoteSocketAddress().toString();
        if (client instanceof SSLSocket tls && !handshake(tls, who)) {
            BoundedAcceptor.closeQuietly(client);
            return;
        }
        Logger.info("bridge: client {} connected", who);
        ClientQueue requests = new ClientQueue(MAX_QUEUED_FRAMES, limits.maxQueuedBytes(), queuedBytes);
        Thread reader = clientThread("pnn-bridge-read-" + client.getPort()).start(() -> readFrames(client, requests));
        try (client) {
            DeviceScheduler.Buffers buffers = new DeviceScheduler.Buffers();
            OutputStream out = client.getOutputStream();
            while (!closed) {
                byte[] req = requests.poll(100);
                if (req == null) {
                    if (!reader.isAlive() && requests.isEmpty()) {
                        break;
                    }
                    continue;
                }
                if (req == ClientQueue.END) {
                    break; // reader hit end of stream
                }
                int n = scheduler.handle(req, buffers, requests);
                if (n > 0) {
                    out.write(buffers.response, 0, n);
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
            requests.clear(); // and refuses whatever the reader still tries to queue
            Logger.info("bridge: client {} disconnected", who);
        }
    }

    /** Completes the TLS handshake (client certificate required) within a bound; false = refused and counted. */
    private boolean handshake(SSLSocket tls, String who) {
        try {
            int idle = tls.getSoTimeout();
            tls.setSoTimeout(Math.min(idle, HANDSHAKE_MILLIS));
            tls.startHandshake();
            tls.setSoTimeout(idle);
            Logger.info("bridge: client {} authenticated as {}", who, tls.getSession().getPeerPrincipal().getName());
            return true;
        } catch (IOException | RuntimeException e) {
            authFailures.incrementAndGet();
            log.warn("bridge: refused " + who + ": TLS handshake failed (" + e.getMessage() + ")");
            return false;
        }
    }

    /** Splits the client's byte stream into frames (resynchronising on the sync bytes). */
    private static void readFrames(Socket client, ClientQueue sink) {
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
        } catch (OutOfMemoryError e) {
            Logger.error("bridge: out of memory reading a client's frame; dropping that client");
        }
        sink.end();
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
