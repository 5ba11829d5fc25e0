package org.pnnedge.models.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RIFF/WAVE parser of our own (rather than {@code javax.sound.sampled}) so that every malformed input gets
 * a precise message. Decodes:
 * <ul>
 *   <li>PCM (format tag 1): 8-bit unsigned, 16/24/32-bit signed little-endian;</li>
 *   <li>IEEE float (tag 3): 32 and 64 bit;</li>
 *   <li>WAVE_FORMAT_EXTENSIBLE (tag 0xFFFE) whose sub-format is PCM or IEEE float (container size is used for
 *       decoding; samples with fewer valid bits are left-justified, so scaling by the container is exact);</li>
 *   <li>any number of channels, averaged to mono; any sample rate.</li>
 * </ul>
 * Chunks other than {@code fmt } and {@code data} are skipped (odd sizes padded). A data chunk declared longer
 * than the file (a recording that was cut off, or a streaming writer's 0 / 0xFFFFFFFF size) is read up to the
 * last whole frame with a warning in {@link Audio#warnings()}. Everything else that is wrong throws an
 * {@link AudioException} naming the file and the problem.
 */
public final class WavReader {

    private WavReader() {
    }

    /** Read a WAV file. */
    public static Audio read(Path file) throws AudioException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AudioException(AudioException.Reason.IO, file + ": file not found");
        } catch (IOException | OutOfMemoryError e) {
            throw new AudioException(AudioException.Reason.IO, file + ": cannot read file (" + e.getMessage() + ")", e);
        }
        return read(bytes, file.toString());
    }

    /** Parse WAV bytes; {@code name} is used in messages. */
    public static Audio read(byte[] b, String name) throws AudioException {
        checkRiffHeader(b, name);
        List<String> warnings = new ArrayList<>();
        int pos = 12;
        WavFormat fmt = null;
        while (true) {
            if (pos + 8 > b.length) {
                if (fmt == null) {
                    throw new AudioException(AudioException.Reason.MALFORMED,
                            name + ": truncated WAV header (file ends before the 'fmt ' chunk)");
                }
                throw new AudioException(AudioException.Reason.MALFORMED,
                        name + ": truncated WAV file (no 'data' chunk after the 'fmt ' chunk)");
            }
            String id = new String(b, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = u32(b, pos + 4);
            int body = pos + 8;
            if (id.equals("fmt ")) {
                fmt = WavFormat.parse(b, body, size, b.length, name);
            } else if (id.equals("data")) {
                if (fmt == null) {
                    throw new AudioException(AudioException.Reason.MALFORMED,
                            name + ": malformed WAV ('data' chunk before the 'fmt ' chunk)");
                }
                long available = b.length - body;
                long len = size;
                if (size > available) {
                    if (size != 0xFFFFFFFFL) {
                        warnings.add("data chunk declares " + size + " bytes but the file holds " + available
                                + " (truncated recording); read what is there");
                    }
                    len = available;
                } else if (size == 0 && available > 0) {
                    warnings.add("data chunk size is 0 (streaming writer?); read to end of file");
                    len = available;
                }
                int frames = (int) Math.min(Integer.MAX_VALUE, len / fmt.blockAlign());
                if (len % fmt.blockAlign() != 0) {
                    warnings.add("data ends in a partial sample frame; ignored " + (len % fmt.blockAlign())
                            + " byte(s)");
                }
                double[] mono = new double[frames];
                fmt.decode(b, body, frames, mono, 0);
                return new Audio(mono, fmt.sampleRate(), name, warnings);
            }
            long next = body + size + (size & 1);
            if (next > b.length) {
                if (fmt == null) {
                    throw new AudioException(AudioException.Reason.MALFORMED,
                            name + ": truncated WAV header (chunk '" + printable(b, pos, 4) + "' runs past the end of the file)");
                }
                throw new AudioException(AudioException.Reason.MALFORMED,
                        name + ": truncated WAV file (no 'data' chunk; chunk '" + printable(b, pos, 4) + "' runs past the end)");
            }
            pos = (int) next;
        }
    }

    /** The checks of a WAV's first 12 bytes ("RIFF", size, "WAVE"); {@code b} may be only those bytes. */
    static void checkRiffHeader(byte[] b, String name) throws AudioException {
        if (b.length == 0) {
            throw new AudioException(AudioException.Reason.EMPTY, name + ": file is empty (0 bytes), not a WAV file");
        }
        if (b.length < 12) {
            if (startsWith(b, 0, "RIFF")) {
                throw new AudioException(AudioException.Reason.MALFORMED,
                        name + ": truncated WAV header (" + b.length + " bytes, need at least 12 for RIFF/WAVE)");
            }
            throw new AudioException(AudioException.Reason.NOT_WAV,
                    name + ": not a WAV file (only " + b.length + " bytes, no RIFF header)");
        }
        if (startsWith(b, 0, "RIFX") || startsWith(b, 0, "RF64")) {
            throw new AudioException(AudioException.Reason.UNSUPPORTED_FORMAT, name + ": "
                    + new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)
                    + " WAV variant is not supported (use a standard little-endian RIFF WAV)");
        }
        if (!startsWith(b, 0, "RIFF") || !startsWith(b, 8, "WAVE")) {
            throw new AudioException(AudioException.Reason.NOT_WAV,
                    name + ": not a WAV file (expected 'RIFF....WAVE' at the start, found '" + printable(b, 0, 12) + "')");
        }
    }

    static boolean startsWith(byte[] b, int off, String s) {
        if (b.length < off + s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static String printable(byte[] b, int off, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < Math.min(b.length, off + n); i++) {
            int c = b[i] & 0xFF;
            sb.append(c >= 32 && c < 127 ? (char) c : '.');
        }
        return sb.toString();
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF)) | (long) (b[p + 1] & 0xFF) << 8 | (long) (b[p + 2] & 0xFF) << 16
                | (long) (b[p + 3] & 0xFF) << 24;
    }

    static long u64(byte[] b, int p) {
        return u32(b, p) | u32(b, p + 4) << 32;
    }
}
