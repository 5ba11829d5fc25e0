package org.pnnedge.bridge.server;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request frames one client has sent and the bridge has not yet relayed, bounded in frames and in bytes. A full
 * queue blocks the client's reader, which stops reading its socket, so TCP flow control pushes back on the client
 * instead of the bridge buffering without bound. One frame is always admitted when the queue is empty, so a
 * largest frame fits whatever the byte bound.
 */
final class ClientQueue {
    /** Marks the end of the client's stream. */
    static final byte[] END = new byte[0];

    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private final int maxFrames;
    private final int maxBytes;
    private final AtomicLong serverBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private int bytes;
    private boolean closed;

    /** @param serverBytes the server-wide gauge of queued bytes, kept up to date by every queue */
    ClientQueue(int maxFrames, int maxBytes, AtomicLong serverBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.serverBytes = serverBytes;
    }

    /** Waits until the frame fits the bounds, then queues it. */
    void put(byte[] frame) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && !frames.isEmpty() && (frames.size() >= maxFrames || bytes + frame.length > maxBytes)) {
                notFull.await();
            }
            add(frame);
        } finally {
            lock.unlock();
        }
    }

    /** Queues the end-of-stream marker whatever the bounds (it costs no bytes). */
    void end() {
        lock.lock();
        try {
            add(END);
        } finally {
            lock.unlock();
        }
    }

    private void add(byte[] frame) {
        if (closed) {
            return; // the client is gone: nothing is queued, nothing counted
        }
        frames.addLast(frame);
        bytes += frame.length;
        serverBytes.addAndGet(frame.length);
        notEmpty.signal();
    }

    /** The oldest frame, or null when none arrived within {@code millis}. */
    byte[] poll(long millis) throws InterruptedException {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(millis);
            while (frames.isEmpty()) {
                if (left <= 0) {
                    return null;
                }
                left = notEmpty.awaitNanos(left);
            }
            byte[] f = frames.removeFirst();
            bytes -= f.length;
            serverBytes.addAndGet(-f.length);
            notFull.signal();
            return f;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return frames.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is left and refuses more (the client is gone), releasing its bytes from the server-wide gauge. */
    void clear() {
        lock.lock();
        try {
            closed = true;
            serverBytes.addAndGet(-bytes);
            bytes = 0;
            frames.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
