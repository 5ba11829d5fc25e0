package org.pnnedge.runtime.mqtt;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the link's threads share: whether the connection is ready (connected, subscribed and announced: the
 * outbox may drain) and whether the link is closing, and the one monitor they wait on and wake each other with.
 */
final class LinkState {
    private final Object signal = new Object();
    volatile boolean ready;
    volatile boolean closing;

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
