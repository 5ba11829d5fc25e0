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

    static final int WAVE_FORMAT_PCM = 1;
    static final int WAVE_FORMAT_IEEE_FLOAT = 3;
    static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

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
        List<String> warnings = new ArrayList<>();
        int pos = 12;
        int formatTag = -1, channels = 0, sampleRate = 0, blockAlign = 0, bits = 0;
        boolean haveFmt = false;
        while (true) {
            if (pos + 8 > b.length) {
                if (!haveFmt) {
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
                if (size < 16 || body + 16 > b.length) {
                    throw new AudioException(AudioException.Reason.MALFORMED, name + ": truncated WAV header ('fmt ' chunk has "
                            + Math.min(size, b.length - body) + " bytes, need at least 16)");
                }
                formatTag = u16(b, body);
                channels = u16(b, body + 2);
                long rate = u32(b, body + 4);
                blockAlign = u16(b, body + 12);
                bits = u16(b, body + 14);
                if (formatTag == WAVE_FORMAT_EXTENSIBLE) {
                    if (size < 40 || body + 40 > b.length) {
                        throw new AudioException(AudioException.Reason.MALFORMED,
                                name + ": truncated WAVE_FORMAT_EXTENSIBLE header ('fmt ' chunk needs 40 bytes)");
                    }
                    formatTag = u16(b, body + 24); // first two bytes of the sub-format GUID
                }
                if (channels < 1) {
                    throw new AudioException(AudioException.Reason.MALFORMED, name + ": WAV header declares 0 channels");
                }
                if (rate < 1 || rate > 1_000_000) {
                    throw new AudioException(AudioException.Reason.MALFORMED,
                            name + ": implausible sample rate " + rate + " Hz in WAV header");
                }
                sampleRate = (int) rate;
                checkEncoding(name, formatTag, bits);
                if (blockAlign != channels * (bits / 8)) {
                    throw new AudioException(AudioException.Reason.MALFORMED, name + ": inconsistent WAV header (block align "
                            + blockAlign + " but " + channels + " channel(s) of " + bits + " bits)");
                }
                haveFmt = true;
            } else if (id.equals("data")) {
                if (!haveFmt) {
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
                int frames = (int) Math.min(Integer.MAX_VALUE, len / blockAlign);
                if (len % blockAlign != 0) {
                    warnings.add("data ends in a partial sample frame; ignored " + (len % blockAlign) + " byte(s)");
                }
                double[] mono = decode(b, body, frames, channels, bits, formatTag);
                return new Audio(mono, sampleRate, name, warnings);
            }
            long next = body + size + (size & 1);
            if (next > b.length) {
                if (!haveFmt) {
                    throw new AudioException(AudioException.Reason.MALFORMED,
                            name + ": truncated WAV header (chunk '" + printable(b, pos, 4) + "' runs past the end of the file)");
                }
                throw new AudioException(AudioException.Reason.MALFORMED,
                        name + ": truncated WAV file (no 'data' chunk; chunk '" + printable(b, pos, 4) + "' runs past the end)");
            }
            pos = (int) next;
        }
    }

    private static void checkEncoding(String name, int tag, int bits) throws AudioException {
        if (tag == WAVE_FORMAT_PCM) {
            if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
                throw new AudioException(AudioException.Reason.UNSUPPORTED_FORMAT,
                        name + ": unsupported PCM sample size " + bits + " bits (supported: 8, 16, 24, 32)");
            }
        } else if (tag == WAVE_FORMAT_IEEE_FLOAT) {
            if (bits != 32 && bits != 64) {
                throw new AudioException(AudioException.Reason.UNSUPPORTED_FORMAT,
                        name + ": unsupported float sample size " + bits + " bits (supported: 32, 64)");
            }
        } else {
            throw new AudioException(AudioException.Reason.UNSUPPORTED_FORMAT, name + ": unsupported WAV encoding (format tag 0x"
                    + Integer.toHexString(tag) + "); supported are PCM (1) and IEEE float (3), also inside WAVE_FORMAT_EXTENSIBLE");
        }
    }

    private static double[] decode(byte[] b, int off, int frames, int channels, int bits, int tag) {
        double[] out = new double[frames];
        int bytesPer = bits / 8;
        int p = off;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                double v;
                if (tag == WAVE_FORMAT_IEEE_FLOAT) {
                    v = bits == 32 ? Float.intBitsToFloat((int) u32(b, p)) : Double.longBitsToDouble(u64(b, p));
                    if (!Double.isFinite(v)) {
                        v = 0;
                    }
                    v = Math.max(-1, Math.min(1, v));
                } else if (bits == 8) {
                    v = ((b[p] & 0xFF) - 128) / 128.0;
                } else if (bits == 16) {
                    v = (short) u16(b, p) / 32768.0;
                } else if (bits == 24) {
                    int s = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | b[p + 2] << 16;
                    v = s / 8388608.0;
                } else {
                    v = (int) u32(b, p) / 2147483648.0;
                }
                sum += v;
                p += bytesPer;
            }
            out[f] = sum / channels;
        }
        return out;
    }

    private static boolean startsWith(byte[] b, int off, String s) {
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

    private static String printable(byte[] b, int off, int n) {
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
