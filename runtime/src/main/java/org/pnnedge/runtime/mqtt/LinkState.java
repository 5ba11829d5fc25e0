package org.pnnedge.runtime.mqtt;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.tinylog.Logger;

/**
 * What the link's threads share: whether the connection is ready (connected, subscribed and announced: the
 * outbox may drain) and whether the link is closing, and the one monitor they wait on and wake each other with.
 */
final class LinkState {
    private final Object signal = new Object();
    private final AtomicLong restarts = new AtomicLong();
    volatile boolean ready;
    volatile boolean closing;

    /**
     * {@code body}, a link thread's loop (it returns only once the link closes), run again whenever it dies of a
     * throwable while the link is open: an {@code OutOfMemoryError} or a bug must not leave a link that never
     * reconnects or never drains its outbox. Each death is logged and counted ({@link #restarts()}); the next run
     * waits 1 s, doubling up to a minute, so a loop that dies at once can neither spin nor flood the log.
     */
    Runnable restarting(String what, Runnable body) {
        return () -> {
            int deaths = 0;
            while (!closing) {
                try {
                    body.run();
                    return;
                } catch (Throwable t) {
                    if (closing) {
                        return;
                    }
                    long n = restarts.incrementAndGet();
                    Logger.error("MQTT: the {} died ({}); running it again ({} link thread restarts so far)", what,
                            t.toString(), n);
                    pause(Math.min(60_000L, 1000L << Math.min(deaths++, 6)));
                }
            }
        };
    }

    /** Link threads (connection supervisor, outbox drainer) run again after dying ({@link #restarting}). */
    long restarts() {
        return restarts.get();
    }

    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Waits until woken or {@code millis} pass; an interrupt closes the link (the thread is being stopped). */
    void waitSignal(long millis) {
        synchronized (signal) {
            try {
                signal.wait(Math.max(1, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closing = true;
            }
        }
    }

    /**
     * Waits {@code millis} unless the link closes first: a back-off wait, which the wakes of the outbox (every
     * message queued or acknowledged) must not cut short.
     */
    void pause(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
        synchronized (signal) {
            long left;
            while (!closing && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closing = true;
                }
            }
        }
    }

    /** Waits until ready or closing; true when ready. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (!ready && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
        }
        return ready;
    }
}
