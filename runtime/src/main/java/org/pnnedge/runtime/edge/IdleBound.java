package org.pnnedge.runtime.edge;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.pnnedge.bridge.net.RateLimitedLog;

/**
 * The control socket's idle bound ({@code control.idle_timeout}): a {@link Wait} is started whenever a client's
 * thread waits for the client (for its next request line, for it to take an answer) and ended when the wait is
 * over; a wait not ended within the bound runs its expiry action once (which unblocks the thread by shutting the
 * socket's input or closing it), is counted and logged at most once per 10 s. Time the service spends computing an
 * answer is never inside a wait, so a slow answer is never cut.
 *
 * <p>Why this shape: socket channels have no read timeout. One timer thread holds a deadline per waiting client
 * (no polling, no thread per check); a wait that ends in time cancels its deadline, which is then removed from the
 * queue at once ({@link ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}), so the queue never holds more than one
 * deadline per connection. A task that throws would not kill the thread (the executor replaces it). {@link #close()}
 * runs the expiry action of every wait still open (not counted), so no client thread outlives the server blocked.
 */
final class IdleBound implements AutoCloseable {
    private final Duration timeout;
    private final ScheduledThreadPoolExecutor timer;
    private final RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10));
    private final AtomicLong expired = new AtomicLong();
    private final Set<Wait> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param timeout how long a client may keep the service waiting; positive */
    IdleBound(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("control.idle_timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("pnn-control-idle").daemon(true)
                .factory());
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    Duration timeout() {
        return timeout;
    }

    /** Waits that ran out since the start (clients disconnected for idleness). */
    long expired() {
        return expired.get();
    }

    /**
     * Starts a wait for the client.
     *
     * @param what     what the client did not do in time, for the log ("sent no complete request line")
     * @param onExpiry run once, on the timer thread, when the wait is not ended within the bound; must not block
     * @throws IOException when the server is closing (no new waits: the connection ends)
     */
    Wait start(String what, Runnable onExpiry) throws IOException {
        Wait w = new Wait(what, onExpiry);
        open.add(w);
        try {
            w.deadline = timer.schedule(w::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            open.remove(w);
            throw new IOException("control socket closed");
        }
        if (closed) { // close() ran between add and schedule and may have missed it
            w.cut();
        }
        return w;
    }

    /** Stops the timer and ends every open wait at once (its expiry action runs; not counted as idleness). */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (Wait w : open) {
            w.cut();
        }
    }

    /** One wait for the client; {@link #close()} ends it too, so try-with-resources covers every path. */
    final class Wait implements AutoCloseable {
        private static final int WAITING = 0;
        private static final int ENDED = 1;
        private static final int EXPIRED = 2;
        private static final int CUT = 3;
        private final AtomicInteger state = new AtomicInteger(WAITING);
        private final String what;
        private final Runnable onExpiry;
        private volatile ScheduledFuture<?> deadline;

        private Wait(String what, Runnable onExpiry) {
            this.what = what;
            this.onExpiry = onExpiry;
        }

        private void expire() {
            open.remove(this);
            if (state.compareAndSet(WAITING, EXPIRED)) {
                long n = expired.incrementAndGet();
                try {
                    onExpiry.run();
                } finally {
                    log.warn("control socket: disconnected a client that " + what + " within " + timeout
                            + " (control.idle_timeout; " + n + " since the start)");
                }
            }
        }

        /** The server is closing: the expiry action runs, uncounted. */
        private void cut() {
            open.remove(this);
            if (state.compareAndSet(WAITING, CUT)) {
                onExpiry.run();
            }
        }

        /**
         * Ends the wait: true when it ended in time, false when it had run out or the server closed (the expiry
         * action has run or runs).
         */
        boolean end() {
            open.remove(this);
            boolean inTime = state.compareAndSet(WAITING, ENDED);
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            return inTime || state.get() == ENDED;
        }

        @Override
        public void close() {
            end();
        }
    }
}
