package org.pnnedge.models.audio;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A WAV read as it arrives, from a pipe: {@code arecord -f S16_LE -r 16000 -c 1 | pnn listen --wav -}. Same
 * encodings, checks and messages as {@link WavReader} (one {@link WavFormat}), but nothing is read ahead: the
 * header is parsed up to the {@code data} chunk, then samples are handed out as they come.
 * <p>
 * The {@code data} chunk's size: a recorder writing to a pipe cannot know it, so it writes a placeholder
 * (arecord 0x80000000, others 0 or 0xFFFFFFFF). A size of 0 or at least 2³¹ − 1 bytes is therefore read to the
 * end of the stream; any other size is honoured, so the chunks that follow a whole file's data ({@code cat x.wav
 * |}) are not taken for sound. The chunks before {@code data} are bounded ({@link #MAX_HEADER_BYTES}), so a
 * stream that never reaches its data cannot fill memory.
 */
public final class WavStream implements AutoCloseable {
    /** Bytes of chunks before {@code data} a stream may carry (a LIST or fact chunk is tens of bytes). */
    public static final int MAX_HEADER_BYTES = 1 << 20;
    /** The smallest data size read as a placeholder for "until the end of the stream". */
    static final long STREAMING_SIZE = 0x7FFF_FFFFL;

    private final InputStream in;
    private final WavFormat fmt;
    private final String name;
    private final boolean unbounded;
    private final List<String> warnings = new ArrayList<>();
    private long remaining;
    private byte[] buf = new byte[0];
    private boolean ended;

    private WavStream(InputStream in, WavFormat fmt, String name, long dataSize) {
        this.in = in;
        this.fmt = fmt;
        this.name = name;
        this.unbounded = dataSize == 0 || dataSize >= STREAMING_SIZE;
        this.remaining = unbounded ? Long.MAX_VALUE : dataSize;
    }

    /**
     * Reads the header from {@code in} up to the first sample (blocking until it has arrived).
     *
     * @param name names the stream in messages ("stdin")
     * @throws AudioException what {@link WavReader} would say of the same bytes, or IO when reading fails
     */
    public static WavStream open(InputStream in, String name) throws AudioException {
        byte[] riff = readUpTo(in, 12, name);
        WavReader.checkRiffHeader(riff, name);
        WavFormat fmt = null;
        long header = 12;
        while (true) {
            byte[] h = readUpTo(in, 8, name);
            if (h.length < 8) {
                throw new AudioException(AudioException.Reason.MALFORMED, name + (fmt == null
                        ? ": truncated WAV header (stream ends before the 'fmt ' chunk)"
                        : ": truncated WAV stream (no 'data' chunk after the 'fmt ' chunk)"));
            }
            String id = new String(h, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = WavReader.u32(h, 4);
            if (id.equals("data")) {
                if (fmt == null) {
                    throw new AudioException(AudioException.Reason.MALFORMED,
                            name + ": malformed WAV ('data' chunk before the 'fmt ' chunk)");
                }
                return new WavStream(in, fmt, name, size);
            }
            long padded = size + (size & 1);
            header += 8 + padded;
            if (header > MAX_HEADER_BYTES) {
                throw new AudioException(AudioException.Reason.MALFORMED, name + ": chunk '"
                        + WavReader.printable(h, 0, 4) + "' of " + size + " bytes takes the header past "
                        + MAX_HEADER_BYTES + " bytes before any 'data' chunk (not a recording stream?)");
            }
            byte[] body = readUpTo(in, (int) padded, name);
            if (body.length < padded) {
                throw new AudioException(AudioException.Reason.MALFORMED, name + ": truncated WAV header (chunk '"
                        + WavReader.printable(h, 0, 4) + "' runs past the end of the stream)");
            }
            if (id.equals("fmt ")) {
                fmt = WavFormat.parse(body, 0, size, body.length, name);
            }
        }
    }

    public int sampleRate() {
        return fmt.sampleRate();
    }

    public int channels() {
        return fmt.channels();
    }

    /** True when the data size was a placeholder: samples come until the stream ends. */
    public boolean unbounded() {
        return unbounded;
    }

    /** What was odd about the stream so far (a partial frame at its end). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Reads up to {@code out.length} sample frames as mono values in [−1, 1], blocking until that many have
     * arrived or the data ends.
     *
     * @return the number read (fewer than asked only at the end), or −1 once the data has ended
     */
    public int read(double[] out) throws AudioException {
        if (ended) {
            return -1;
        }
        long want = Math.min((long) out.length * fmt.blockAlign(), remaining);
        if (buf.length < want) {
            buf = new byte[(int) want];
        }
        int n;
        try {
            n = in.readNBytes(buf, 0, (int) want);
        } catch (IOException e) {
            throw new AudioException(AudioException.Reason.IO, name + ": cannot read audio (" + e.getMessage() + ")",
                    e);
        }
        remaining -= n;
        int frames = n / fmt.blockAlign();
        if (n < want || remaining == 0) {
            ended = true;
            if (n % fmt.blockAlign() != 0) {
                warnings.add("data ends in a partial sample frame; ignored " + (n % fmt.blockAlign()) + " byte(s)");
            }
            if (frames == 0) {
                return -1;
            }
        }
        fmt.decode(buf, 0, frames, out, 0);
        return frames;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static byte[] readUpTo(InputStream in, int n, String name) throws AudioException {
        try {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new AudioException(AudioException.Reason.IO, name + ": cannot read audio (" + e.getMessage() + ")",
                    e);
        }
    }
}
