package org.pnnedge.bridge.server;

import static org.pnnedge.bridge.protocol.FrameCodec.PAYLOAD_OFFSET;
import static org.pnnedge.bridge.protocol.FrameCodec.getU16;
import static org.pnnedge.bridge.protocol.FrameCodec.putU16;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.pnnedge.bridge.protocol.FrameCodec;
import org.pnnedge.bridge.protocol.Opcode;
import org.pnnedge.bridge.protocol.Payloads;
import org.pnnedge.bridge.protocol.Status;
import org.pnnedge.bridge.transport.Transport;
import org.tinylog.Logger;

/**
 * Shares the device between the clients of a server fairly: one request at a time reaches the device, in the order
 * the clients asked (a fair lock), and a SHOT_BATCH longer than one chunk goes to the device as several smaller
 * batches, each taking its turn. A chunk is at most {@code chunkShots} shots and at most {@link #TURN_MICROS} of the
 * device's typical shot time (from IDENTIFY: 2 shots of a 20 ms device, 32 of a 200 µs one). So a client looping
 * 511-shot batches delays another client's request by about one chunk, not by whole batches. The chunks' answers are put together into the one answer the client asked
 * for; a chunk the device refuses or garbles is relayed as it came, so the client sees the device's problem.
 */
final class DeviceScheduler {
    /** Longest the bridge waits for one device answer (a 1024-shot batch on a slow device). */
    static final long MAX_DEVICE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int IDENTIFY_TRIES = 3;
    private static final long IDENTIFY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Device time one chunk may take, by the device's typical shot time. */
    static final long TURN_MICROS = 50_000;

    private final Transport device;
    private final int chunkShots;
    private final BooleanSupplier closed;
    private final ReentrantLock turn = new ReentrantLock(true);
    private final ReentrantLock identifyLock = new ReentrantLock();
    /** The device's largest batch, from IDENTIFY (-1 until known); chunking is off while unknown. */
    private volatile int maxBatch = -1;
    /** Shots per chunk: chunkShots, fewer for a slow device (set with maxBatch). */
    private volatile int turnShots;
    private int identifyTries;

    DeviceScheduler(Transport device, int chunkShots, BooleanSupplier closed) {
        this.device = device;
        this.chunkShots = chunkShots;
        this.closed = closed;
    }

    /** A client's frame buffers: the answer, and one chunk's request and answer. */
    static final class Buffers {
        final byte[] response = new byte[FrameCodec.MAX_FRAME];
        final byte[] chunk = new byte[FrameCodec.MAX_FRAME];
        final byte[] chunkAnswer = new byte[FrameCodec.MAX_FRAME];
    }

    /** Relays one request; returns the number of answer bytes in {@code b.response} (0 = none to send). */
    int handle(byte[] req, Buffers b, ClientQueue pending) {
        if (isValid(req, Opcode.LINE_RESET)) {
            return lineReset(req, b.response);
        }
        if (isValid(req, Opcode.SHOT_BATCH) && chunkable(req, b)) {
            return chunked(req, b, pending);
        }
        return relay(req, req.length, b.response, pending);
    }

    private static boolean isValid(byte[] req, Opcode op) {
        return req.length >= FrameCodec.HEADER_BYTES && FrameCodec.opcodeByte(req) == op.code()
                && FrameCodec.check(req, req.length) == null;
    }

    private int lineReset(byte[] req, byte[] response) {
        int status = Status.OK.code();
        turn.lock();
        try {
            device.pulseReset();
        } catch (RuntimeException e) {
            Logger.warn("bridge: RESET pulse failed: {}", e.getMessage());
            status = Status.HARDWARE_FAULT.code();
        } finally {
            turn.unlock();
        }
        // answered in the request's version: a version-1 client reads only version-1 frames
        return FrameCodec.seal(response, FrameCodec.version(req), Opcode.LINE_RESET.code() | Opcode.RESPONSE_BIT,
                FrameCodec.seq(req), status, 0);
    }

    /** One frame to the device and its answer back, in one turn. */
    private int relay(byte[] frame, int length, byte[] answer, ClientQueue pending) {
        return relay(frame, length, answer, pending, MAX_DEVICE_WAIT_NANOS);
    }

    /** {@code pending} null: the bridge's own request, which no client can abandon. */
    private int relay(byte[] frame, int length, byte[] answer, ClientQueue pending, long waitNanos) {
        turn.lock();
        try {
            device.send(frame, length);
            long deadline = System.nanoTime() + waitNanos;
            while (System.nanoTime() < deadline) {
                int n = device.receive(answer, SLICE_NANOS);
                if (n > 0) {
                    return n;
                }
                if (pending != null && !pending.isEmpty() || closed.getAsBoolean()) {
                    return 0; // the client gave up on this answer and sent another request
                }
            }
            return 0;
        } finally {
            turn.unlock();
        }
    }

    /** A well-formed batch of more than one chunk that the device would accept as a whole. */
    private boolean chunkable(byte[] req, Buffers b) {
        int n = FrameCodec.payloadLength(req);
        if (n < Payloads.BATCH_HEADER) {
            return false;
        }
        int shots = getU16(req, PAYLOAD_OFFSET + 1);
        int width = getU16(req, PAYLOAD_OFFSET + 3);
        if (shots <= 1 || n != Payloads.BATCH_HEADER + 2 * shots * width) {
            return false;
        }
        int limit = maxBatch(b);
        // a batch the device refuses is relayed whole, to be refused whole
        return limit > 0 && shots <= limit && shots > turnShots;
    }

    private int maxBatch(Buffers b) {
        if (maxBatch < 0) {
            identifyLock.lock(); // not synchronized: a virtual thread waiting for the device would pin its carrier
            try {
                if (maxBatch < 0 && identifyTries < IDENTIFY_TRIES) {
                    identifyTries++;
                    // version 1: firmware of either version answers it, with the same layout
                    int len = FrameCodec.seal(b.chunk, FrameCodec.MIN_VERSION, Opcode.IDENTIFY.code(), 0, 0, 0);
                    int n = relay(b.chunk, len, b.chunkAnswer, null, IDENTIFY_WAIT_NANOS); // no client can cut it short
                    if (n > 0 && FrameCodec.check(b.chunkAnswer, n) == null
                            && FrameCodec.status(b.chunkAnswer) == Status.OK.code()
                            && FrameCodec.opcodeByte(b.chunkAnswer) == (Opcode.IDENTIFY.code() | Opcode.RESPONSE_BIT)
                            && FrameCodec.payloadLength(b.chunkAnswer) == Payloads.IDENTIFY_BYTES) {
                        long shotMicros = FrameCodec.getI32(b.chunkAnswer, PAYLOAD_OFFSET + Payloads.IDENTIFY_SHOT_MICROS)
                                & 0xFFFFFFFFL;
                        turnShots = (int) Math.max(1, Math.min(chunkShots, TURN_MICROS / Math.max(1, shotMicros)));
                        maxBatch = getU16(b.chunkAnswer, PAYLOAD_OFFSET + Payloads.IDENTIFY_MAX_BATCH);
                    } else if (identifyTries == IDENTIFY_TRIES) {
                        Logger.warn("bridge: the device did not IDENTIFY; batches go to it whole (no fair sharing)");
                    }
                }
            } finally {
                identifyLock.unlock();
            }
        }
        return maxBatch;
    }

    private int chunked(byte[] req, Buffers b, ClientQueue pending) {
        int p = PAYLOAD_OFFSET;
        int seq = FrameCodec.seq(req);
        int version = FrameCodec.version(req); // chunks and the joined answer keep the client's protocol version
        int shots = getU16(req, p + 1);
        int width = getU16(req, p + 3);
        int outputs = -1;
        int dst = p + 4;
        for (int done = 0; done < shots; ) {
            if (done > 0 && !pending.isEmpty()) {
                return 0; // the client sent another request or hung up: the rest of this batch is abandoned
            }
            int k = Math.min(turnShots, shots - done);
            b.chunk[p] = req[p];
            putU16(b.chunk, p + 1, k);
            putU16(b.chunk, p + 3, width);
            System.arraycopy(req, p + Payloads.BATCH_HEADER + 2 * done * width, b.chunk, p + Payloads.BATCH_HEADER,
                    2 * k * width);
            int len = FrameCodec.seal(b.chunk, version, Opcode.SHOT_BATCH.code(), seq, 0,
                    Payloads.BATCH_HEADER + 2 * k * width);
            int n = relay(b.chunk, len, b.chunkAnswer, pending);
            if (n <= 0) {
                return n;
            }
            byte[] a = b.chunkAnswer;
            int ro = getU16(a, p + 2);
            boolean fits = FrameCodec.check(a, n) == null && FrameCodec.status(a) == Status.OK.code()
                    && FrameCodec.seq(a) == seq
                    && FrameCodec.opcodeByte(a) == (Opcode.SHOT_BATCH.code() | Opcode.RESPONSE_BIT)
                    && getU16(a, p) == k && FrameCodec.payloadLength(a) == 4 + 2 * k * ro
                    && (outputs < 0 || ro == outputs) && 4 + 2L * shots * ro <= FrameCodec.MAX_PAYLOAD;
            if (!fits) {
                System.arraycopy(a, 0, b.response, 0, n); // the device's refusal or a garbled answer, as it came
                return n;
            }
            outputs = ro;
            System.arraycopy(a, p + 4, b.response, dst, 2 * k * ro);
            dst += 2 * k * ro;
            done += k;
        }
        putU16(b.response, p, shots);
        putU16(b.response, p + 2, outputs);
        return FrameCodec.seal(b.response, version, Opcode.SHOT_BATCH.code() | Opcode.RESPONSE_BIT, seq,
                Status.OK.code(), dst - p);
    }
}
