package org.pnnedge.bridge.net;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The accept loop of a server that serves at most {@code maxClients} connections at once: an admitted connection is
 * handed to the server's {@link Serve}, one beyond the bound to its refusal (which closes it) and counted. The loop
 * never dies: a failing accept (out of file descriptors, out of memory) or a client thread that cannot start backs
 * off up to a second and is logged through the server's {@link RateLimitedLog}, instead of spinning. The slot taken
 * for a connection is given back on every path: by the client's thread when it ends, or here when it did not start.
 *
 * @param <C> the connection (a {@code Socket}, a {@code SocketChannel})
 */
public final class BoundedAcceptor<C extends Closeable> implements Runnable {
    /** Waits for the next connection. */
    @FunctionalInterface
    public interface Accept<C> {
        C accept() throws IOException;
    }

    /**
     * Starts serving an admitted connection on a thread of its own, which must run {@code done} when it ends; when
     * this throws, nothing started: the connection is closed and its slot given back.
     */
    @FunctionalInterface
    public interface Serve<C> {
        void start(C connection, Runnable done) throws IOException;
    }

    private final String name;
    private final int maxClients;
    private final Accept<C> accept;
    private final Serve<C> serve;
    private final Consumer<C> refuse;
    private final BooleanSupplier closed;
    private final RateLimitedLog log;
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();

    /**
     * @param name       the server's name in log lines ("bridge", "control socket")
     * @param maxClients connections served at once, at least 1
     * @param accept     the server socket's accept
     * @param serve      starts a client's thread
     * @param refuse     tells a connection beyond the bound (or not) and closes it
     * @param closed     true once the server is closing: the loop ends at the next failure or connection
     * @param log        where refusals and failures are logged
     */
    public BoundedAcceptor(String name, int maxClients, Accept<C> accept, Serve<C> serve, Consumer<C> refuse,
                           BooleanSupplier closed, RateLimitedLog log) {
        if (maxClients < 1) {
            throw new IllegalArgumentException(name + " needs maxClients >= 1, got " + maxClients);
        }
        this.name = name;
        this.maxClients = maxClients;
        this.accept = accept;
        this.serve = serve;
        this.refuse = refuse;
        this.closed = closed;
        this.log = log;
    }

    /** Connections being served now. */
    public int clients() {
        return clients.get();
    }

    /** Connections refused because {@code maxClients} were connected. */
    public long refused() {
        return refused.get();
    }

    /**
     * Connections accepted since the start, served or refused: counted when the accept returns, just after
     * {@link #clients()} counts it, so a caller that sees a connection here sees it in {@link #clients()} until it
     * is reaped. A caller waiting for a connection to be reaped waits for both (a connection still in the listen
     * backlog is in neither).
     */
    public long accepted() {
        return accepted.get();
    }

    @Override
    public void run() {
        long backoffMillis = 0;
        while (!closed.getAsBoolean()) {
            try {
                C connection = accept.accept();
                backoffMillis = 0;
                boolean over = clients.incrementAndGet() > maxClients;
                accepted.incrementAndGet(); // after clients: accepted() never runs ahead of clients() (javadoc)
                if (over) {
                    clients.decrementAndGet();
                    long n = refused.incrementAndGet();
                    refuse.accept(connection);
                    log.warn(name + ": refused a connection, " + maxClients + " clients are connected (" + n
                            + " refused since the start)");
                    continue;
                }
                start(connection);
            } catch (IOException | RuntimeException | Error e) {
                if (closed.getAsBoolean()) {
                    return;
                }
                log.warn(name + " accept failed: " + e);
                backoffMillis = Math.min(1000, Math.max(10, backoffMillis * 2));
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    if (closed.getAsBoolean()) {
                        return;
                    }
                }
            }
        }
    }

    private void start(C connection) throws IOException {
        boolean started = false;
        try {
            serve.start(connection, clients::decrementAndGet);
            started = true;
        } finally {
            if (!started) {
                clients.decrementAndGet();
                closeQuietly(connection);
            }
        }
    }

    /** Closes a connection, ignoring a failure (it is being dropped anyway). */
    public static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // dropped anyway
        }
    }
}
