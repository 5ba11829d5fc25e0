package org.pnnedge.runtime.edge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pnnedge.bridge.net.BoundedAcceptor;
import org.pnnedge.bridge.net.RateLimitedLog;
import org.pnnedge.runtime.mqtt.RequestError;
import org.tinylog.Logger;

/**
 * The local control socket of a running service (a UNIX domain socket in the state directory, reachable only
 * by users who may open that file): one JSON request per line, one JSON answer per line. Used by
 * {@code pnn classify} and {@code pnn status} against a running service, without a broker.
 * Requests: {@code {"op":"classify","features":[...]}}, {@code {"op":"status"}}, {@code {"op":"recalibrate"}}.
 * At most {@link #MAX_CLIENTS} clients at once: a connection beyond that gets one {@code busy} error line and is
 * closed at once, counted ({@link #refusedConnections()}) and logged at most once per 10 s ({@link BoundedAcceptor}).
 * A client that keeps the service waiting longer than {@code control.idle_timeout} (no complete request line, or an
 * answer it does not take) is sent one {@code timeout} error line and disconnected, so idle clients cannot hold the
 * slots for ever; counted ({@link #idleDisconnects()}) and logged the same way ({@link IdleBound}).
 */
public final class ControlServer implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_LINE = 64 * 1024;
    /** Clients served at once (the CLI opens one per command; a script with more than this is refused, not queued). */
    public static final int MAX_CLIENTS = 16;

    private final Path socket;
    private final ServerSocketChannel server;
    private final Function<JsonNode, JsonNode> handler;
    private final BoundedAcceptor<SocketChannel> accepting;
    private final IdleBound idle;
    private volatile boolean closed;

    private ControlServer(Path socket, ServerSocketChannel server, IdleBound idle,
                          Function<JsonNode, JsonNode> handler) {
        this.socket = socket;
        this.server = server;
        this.idle = idle;
        this.handler = handler;
        this.accepting = new BoundedAcceptor<>("control socket", MAX_CLIENTS, server::accept, this::startServing,
                ControlServer::refuse, () -> closed, new RateLimitedLog(Duration.ofSeconds(10)));
        Thread.ofPlatform().name("pnn-control").daemon(true).start(accepting);
    }

    /**
     * Binds the socket (mode 0600) and serves up to {@link #MAX_CLIENTS} clients at once, each disconnected when it
     * keeps the service waiting longer than {@code idleTimeout} (positive; {@code control.idle_timeout}).
     */
    public static ControlServer start(Path socket, Duration idleTimeout, Function<JsonNode, JsonNode> handler)
            throws IOException {
        IdleBound idle = new IdleBound(idleTimeout); // checked first; its timer thread starts with the first client
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket); // a stale socket file from a crashed run
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        // the socket can classify and recalibrate: only the service's own user may connect, whatever the umask
        try {
            Files.setPosixFilePermissions(socket, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            Logger.warn("control socket {}: the file system has no POSIX permissions; protect its directory", socket);
        }
        return new ControlServer(socket, s, idle, handler);
    }

    public Path socket() {
        return socket;
    }

    /** Connections refused because {@link #MAX_CLIENTS} clients were connected, since the start. */
    public long refusedConnections() {
        return accepting.refused();
    }

    /**
     * Clients disconnected since the start because they kept the service waiting longer than
     * {@code control.idle_timeout}.
     */
    public long idleDisconnects() {
        return idle.expired();
    }

    /** Clients being served now. */
    int clients() {
        return accepting.clients();
    }

    /**
     * Starts a client's thread; the slot is the acceptor's. Virtual threads (cheap per connection, measured in
     * BENCHMARKS.md, ServiceBenchmark.controlSocket): the device bridge moved its clients to platform threads because
     * a virtual thread starved of a carrier kept a gone client's slot; here such a starved handler could not answer
     * anyway, so the slot it holds for a while changes nothing a platform thread would fix.
     */
    private void startServing(SocketChannel c, Runnable done) {
        Thread.ofVirtual().name("pnn-control-client").start(() -> {
            try {
                serve(c);
            } finally {
                done.run();
            }
        });
    }

    /** One {@code busy} line (a fresh socket's buffer takes it without blocking), then closed. */
    private static void refuse(SocketChannel c) {
        try (c) {
            c.write(ByteBuffer.wrap((MAPPER.writeValueAsString(RequestError.of("busy", MAX_CLIENTS
                    + " control clients are connected; try again", null)) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // refused anyway
        }
    }

    @SuppressWarnings("try") // the write's wait is only its bound: nothing in its body refers to it
    private void serve(SocketChannel c) {
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                StandardCharsets.UTF_8)); OutputStream out = Channels.newOutputStream(c)) {
            StringBuilder buf = new StringBuilder(256);
            while (true) {
                int state;
                // only time spent waiting for the client's bytes counts: the wait ends before the answer is computed
                try (IdleBound.Wait w = idle.start("sent no complete request line", () -> shutdownInput(c))) {
                    state = readLine(in, buf); // the expiry's shutdownInput makes it return end-of-stream
                    if (!w.end()) {
                        if (!closed) { // closing cuts every waiting client, without a word
                            sayTimedOut(c);
                        }
                        return;
                    }
                }
                if (state == EOF) {
                    return;
                }
                String line = buf.toString();
                JsonNode answer;
                if (state == TOO_LONG) {
                    answer = error("request longer than " + MAX_LINE + " characters");
                } else {
                    try {
                        answer = handler.apply(MAPPER.readTree(line));
                    } catch (JsonProcessingException e) {
                        answer = error("request is not JSON: " + e.getOriginalMessage());
                    } catch (IllegalArgumentException e) {
                        answer = error(e.getMessage() == null ? "bad request" : e.getMessage());
                    } catch (RuntimeException e) {
                        answer = RequestError.of("internal", e.getMessage() == null ? e.getClass().getSimpleName()
                                : e.getMessage(), null);
                    }
                }
                byte[] bytes = (MAPPER.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8);
                // a client that does not read its answers would block this write for ever: closing ends it
                try (IdleBound.Wait w = idle.start("did not read its answer", () -> BoundedAcceptor.closeQuietly(c))) {
                    out.write(bytes);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // client went away (or was disconnected for idleness while it did not read)
        }
    }

    /** Wakes the client's thread blocked in a read: the read returns end-of-stream (runs on the idle timer). */
    private static void shutdownInput(SocketChannel c) {
        try {
            c.shutdownInput();
        } catch (IOException e) {
            BoundedAcceptor.closeQuietly(c); // already gone, or the read must end anyway
        }
    }

    /**
     * One {@code timeout} error line to a client that kept the service waiting, written without blocking (the line
     * is lost if the client's socket buffer is full: it is not reading anyway); the caller then closes.
     */
    private void sayTimedOut(SocketChannel c) {
        try {
            c.configureBlocking(false);
            c.write(ByteBuffer.wrap((MAPPER.writeValueAsString(RequestError.of("timeout", "no complete request line "
                    + "within " + idle.timeout() + " (control.idle_timeout); disconnected", null)) + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            // disconnected anyway
        }
    }

    private static final int EOF = -1;
    private static final int LINE = 0;
    private static final int TOO_LONG = 1;

    /**
     * Reads one line into {@code buf}, keeping at most {@link #MAX_LINE} characters: the rest of an over-long line is
     * read and dropped, so a client cannot make the service hold a 600 MB line in memory before it is refused.
     */
    static int readLine(java.io.Reader in, StringBuilder buf) throws IOException {
        buf.setLength(0);
        boolean tooLong = false;
        int ch;
        while ((ch = in.read()) != -1) {
            if (ch == '\n') {
                return tooLong ? TOO_LONG : LINE;
            }
            if (buf.length() < MAX_LINE) {
                buf.append((char) ch);
            } else {
                tooLong = true;
            }
        }
        return buf.length() == 0 && !tooLong ? EOF : tooLong ? TOO_LONG : LINE;
    }

    /** A {@code bad_request} answer in the one error format MQTT replies use too ({@link RequestError}). */
    static ObjectNode error(String message) {
        return RequestError.badRequest(message);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        idle.close(); // clients waited for (a line, or to take an answer) are cut; one being answered, at its next wait
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // leave it
        }
    }

    /** A client for one request/answer exchange (the CLI side). */
    @SuppressWarnings("try") // closing the channel early is how the bounded wait unblocks the reader
    public static JsonNode request(Path socket, JsonNode request, Duration timeout) throws IOException {
        if (!Files.exists(socket)) {
            throw new IOException("no service is running (control socket " + socket + " does not exist)");
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(c);
            out.write((MAPPER.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            // bound the wait: a reader thread with a join timeout (socket channels have no read timeout)
            String[] line = new String[1];
            IOException[] failure = new IOException[1];
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    line[0] = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                            StandardCharsets.UTF_8)).readLine();
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            t.join(timeout);
            if (t.isAlive()) {
                c.close();
                // its own type, so a caller can tell "no answer yet" (exit 3) from "no service" (exit 2)
                throw new java.net.SocketTimeoutException("service did not answer within " + timeout.toMillis()
                        + " ms");
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            if (line[0] == null) {
                throw new IOException("service closed the connection without answering");
            }
            return MAPPER.readTree(line[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
