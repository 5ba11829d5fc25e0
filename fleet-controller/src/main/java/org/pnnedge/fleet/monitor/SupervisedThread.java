package org.pnnedge.fleet.monitor;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import org.tinylog.Logger;

/**
 * A thread that is replaced when it dies: {@link #supervise()} (called every second by the owner's scheduler)
 * notices that the thread ended while it should run and starts a new one after a back-off (1 s, doubling to 30 s
 * while it keeps dying without {@link #progress() progress}); after {@code maxDeaths} deaths in a row it gives up
 * ({@link #gaveUp()}), so the process can exit and be restarted by its service manager.
 */
final class SupervisedThread {
    private final String name;
    private final Runnable body;
    private final int maxDeaths;
    private final IntSupplier held;
    private final AtomicLong restarts = new AtomicLong();
    private volatile Thread thread;
    private volatile Throwable died;
    private volatile int deathsInARow;
    private volatile long restartAtNanos;
    private volatile Throwable gaveUp;

    /**
     * @param body      the thread's work; it ends normally only when the owner stops, else by a throwable it
     *                  reports with {@link #died}
     * @param held      how much work a dead thread left behind (for the log line)
     */
    SupervisedThread(String name, Runnable body, int maxDeaths, IntSupplier held) {
        this.name = name;
        this.body = body;
        this.maxDeaths = maxDeaths;
        this.held = held;
        this.thread = new Thread(body, name + "-0");
    }

    void start() {
        thread.start();
    }

    /** The body reports its death (before it ends). */
    void died(Throwable t) {
        died = t;
    }

    /** The body did useful work: the count of deaths in a row starts again. */
    void progress() {
        deathsInARow = 0;
    }

    /** Replaces a dead thread when due; {@code running} false: the owner is stopping, nothing is replaced. */
    void supervise(boolean running) {
        Thread t = thread;
        if (!running || t.isAlive() || gaveUp != null) {
            return;
        }
        int n = deathsInARow;
        if (n >= maxDeaths) {
            gaveUp = died;
            Logger.error("{}: died {} times in a row without progress; not replaced again (last: {})", name, n,
                    String.valueOf(died));
            return;
        }
        long now = System.nanoTime();
        if (restartAtNanos == 0) {
            restartAtNanos = now + Math.min(30_000L, 1000L << Math.min(n, 5)) * 1_000_000;
            return;
        }
        if (now < restartAtNanos) {
            return;
        }
        restartAtNanos = 0;
        deathsInARow = n + 1;
        long k = restarts.incrementAndGet();
        Logger.error("{}: thread {} died ({}); started a new one ({} replaced so far), which first takes over the {} "
                + "unacknowledged messages it held", name, t.getName(), String.valueOf(died), k, held.getAsInt());
        Thread next = new Thread(body, name + "-" + k);
        thread = next;
        next.start();
    }

    Thread thread() {
        return thread;
    }

    long restarts() {
        return restarts.get();
    }

    Optional<Throwable> gaveUp() {
        return Optional.ofNullable(gaveUp);
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }
}
