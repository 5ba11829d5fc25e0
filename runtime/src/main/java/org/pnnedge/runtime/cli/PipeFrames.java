package org.pnnedge.runtime.cli;

import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.pnnedge.models.audio.Audio;
import org.pnnedge.models.audio.AudioException;
import org.pnnedge.models.audio.WavStream;

/**
 * {@code pnn listen --wav -}: a WAV arriving on a pipe ({@code arecord … | pnn listen --wav -}), cut into the
 * listener's 20 ms frames. A reader thread does the blocking reads, so that every wait of the listener has a
 * timeout: a recorder that dies or hangs without closing the pipe is reported after {@code stall} instead of
 * holding {@code pnn listen} for ever. The queue between them is bounded ({@link #QUEUE_FRAMES}): when the
 * classifier falls behind, the pipe fills and the recorder is held back, not our memory.
 */
final class PipeFrames implements AutoCloseable {
    /** 5 s of 20 ms frames. */
    static final int QUEUE_FRAMES = 250;

    /** One thing from the reader: the header's rate first, then frames, then the end or an error. */
    private record Item(int rate, double[] frame, AudioException error) {
        static final Item END = new Item(0, null, null);
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final String name;
    private final Duration stall;
    private final Thread reader;
    private volatile boolean closed;
    private boolean ended;
    private long samples;

    /** Starts reading {@code in}; {@code name} ("stdin") names it in messages. */
    PipeFrames(InputStream in, String name, Duration stall) {
        this.name = name;
        this.stall = stall;
        this.reader = Thread.ofPlatform().daemon().name("pnn-listen-" + name).unstarted(() -> pump(in));
        reader.start();
    }

    /** The most a whole recording from a pipe may hold: 30 s, and at most 2²¹ samples (44 s at 48 kHz). */
    static final double MAX_RECORDING_SECONDS = 30;
    static final int MAX_RECORDING_SAMPLES = 1 << 21;

    /**
     * A whole short recording from a pipe, {@code arecord -d 2 … | pnn classify --wav -}: read to its end, each wait
     * bounded by {@code stall}, its length by {@link #MAX_RECORDING_SECONDS} (a word, not a stream).
     */
    static Audio recording(InputStream in, String name, Duration stall) throws InterruptedException {
        try (PipeFrames p = new PipeFrames(in, name, stall)) {
            int rate = p.awaitRate();
            long max = Math.min(Math.round(MAX_RECORDING_SECONDS * rate), MAX_RECORDING_SAMPLES);
            double[] all = new double[Math.min(rate, MAX_RECORDING_SAMPLES)];
            int n = 0;
            for (double[] f = p.next(Long.MAX_VALUE); f != null; f = p.next(Long.MAX_VALUE)) {
                if (n + f.length > max) {
                    throw new CliException(String.format(Locale.ROOT, "%s: more than %.1f s of audio: classify takes "
                            + "one recorded vowel (pnn listen --wav - classifies a stream)", name, max / (double) rate));
                }
                if (n + f.length > all.length) {
                    all = Arrays.copyOf(all, (int) Math.min(max, 2L * all.length + f.length));
                }
                System.arraycopy(f, 0, all, n, f.length);
                n += f.length;
            }
            return new Audio(Arrays.copyOf(all, n), rate, name, List.of());
        }
    }

    /** Waits (at most the stall time) for the header; returns the stream's sample rate. */
    int awaitRate() throws InterruptedException {
        Item first = take(Long.MAX_VALUE);
        if (first == null || first.rate() == 0) {
            throw new CliException(name + ": the stream ended before its WAV header");
        }
        return first.rate();
    }

    /** The next frame (shorter only at the end); null at the end of the stream or once {@code endNanos} passed. */
    double[] next(long endNanos) throws InterruptedException {
        if (ended) {
            return null;
        }
        Item i = take(endNanos);
        if (i == null || i.frame() == null) {
            ended = i != null;
            return null;
        }
        samples += i.frame().length;
        return i.frame();
    }

    /** Samples handed out so far. */
    long samples() {
        return samples;
    }

    private Item take(long endNanos) throws InterruptedException {
        long left = endNanos == Long.MAX_VALUE ? Long.MAX_VALUE : endNanos - System.nanoTime();
        Item i = queue.poll(Math.max(0, Math.min(stall.toNanos(), left)), TimeUnit.NANOSECONDS);
        if (i == null) {
            if (left <= stall.toNanos()) {
                return null; // --seconds is over
            }
            throw new CliException(String.format(Locale.ROOT, "%s: no audio for %.1f s (is the recorder still "
                    + "running? --stall-seconds sets how long to wait)", name, stall.toMillis() / 1000.0));
        }
        if (i.error() != null) {
            throw new CliException(i.error().getMessage(), i.error());
        }
        return i;
    }

    private void pump(InputStream in) {
        Item last = Item.END;
        try (WavStream wav = WavStream.open(in, name)) {
            put(new Item(wav.sampleRate(), null, null));
            int frame = ListenSegmenter.frameSamples(wav.sampleRate());
            while (!closed) {
                double[] f = new double[frame];
                int n = wav.read(f);
                if (n < 0) {
                    break;
                }
                put(new Item(0, n < frame ? Arrays.copyOf(f, n) : f, null));
            }
        } catch (AudioException e) {
            last = new Item(0, null, e);
        } catch (Exception | Error e) { // whatever kills the reader is reported, not a silent stall
            last = new Item(0, null, new AudioException(AudioException.Reason.IO, name + ": reading failed (" + e
                    + ")", e));
        }
        put(last);
    }

    private void put(Item i) {
        try {
            while (!closed && !queue.offer(i, 200, TimeUnit.MILLISECONDS)) {
                Thread.onSpinWait(); // the listener is busy classifying: keep the pipe waiting
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
    }
}
