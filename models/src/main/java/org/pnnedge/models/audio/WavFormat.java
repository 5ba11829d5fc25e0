package org.pnnedge.models.audio;

/**
 * A WAV file's {@code fmt } chunk, as {@link WavReader} (whole files) and {@link WavStream} (pipes) both decode it:
 * one parser and one decoder, so a file and the same bytes through a pipe give the same samples.
 *
 * @param tag        PCM or IEEE float (the sub-format of WAVE_FORMAT_EXTENSIBLE already resolved)
 * @param blockAlign bytes per sample frame (all channels)
 */
record WavFormat(int tag, int channels, int sampleRate, int blockAlign, int bits) {

    static final int WAVE_FORMAT_PCM = 1;
    static final int WAVE_FORMAT_IEEE_FLOAT = 3;
    static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

    /**
     * Parses a {@code fmt } chunk whose body starts at {@code body}; {@code end} is where the readable bytes end.
     *
     * @param size the chunk's declared size
     */
    static WavFormat parse(byte[] b, int body, long size, int end, String name) throws AudioException {
        if (size < 16 || body + 16 > end) {
            throw new AudioException(AudioException.Reason.MALFORMED, name + ": truncated WAV header ('fmt ' chunk has "
                    + Math.min(size, end - body) + " bytes, need at least 16)");
        }
        int tag = WavReader.u16(b, body);
        int channels = WavReader.u16(b, body + 2);
        long rate = WavReader.u32(b, body + 4);
        int blockAlign = WavReader.u16(b, body + 12);
        int bits = WavReader.u16(b, body + 14);
        if (tag == WAVE_FORMAT_EXTENSIBLE) {
            if (size < 40 || body + 40 > end) {
                throw new AudioException(AudioException.Reason.MALFORMED,
                        name + ": truncated WAVE_FORMAT_EXTENSIBLE header ('fmt ' chunk needs 40 bytes)");
            }
            tag = WavReader.u16(b, body + 24); // first two bytes of the sub-format GUID
        }
        if (channels < 1) {
            throw new AudioException(AudioException.Reason.MALFORMED, name + ": WAV header declares 0 channels");
        }
        if (rate < 1 || rate > 1_000_000) {
            throw new AudioException(AudioException.Reason.MALFORMED,
                    name + ": implausible sample rate " + rate + " Hz in WAV header");
        }
        checkEncoding(name, tag, bits);
        if (blockAlign != channels * (bits / 8)) {
            throw new AudioException(AudioException.Reason.MALFORMED, name + ": inconsistent WAV header (block align "
                    + blockAlign + " but " + channels + " channel(s) of " + bits + " bits)");
        }
        return new WavFormat(tag, channels, (int) rate, blockAlign, bits);
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
            throw new AudioException(AudioException.Reason.UNSUPPORTED_FORMAT, name + ": unsupported WAV encoding "
                    + "(format tag 0x" + Integer.toHexString(tag) + "); supported are PCM (1) and IEEE float (3), also "
                    + "inside WAVE_FORMAT_EXTENSIBLE");
        }
    }

    /** Decodes {@code frames} sample frames at {@code b[off]} into {@code out[outOff..]}, channels averaged. */
    void decode(byte[] b, int off, int frames, double[] out, int outOff) {
        int bytesPer = bits / 8;
        int p = off;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                double v;
                if (tag == WAVE_FORMAT_IEEE_FLOAT) {
                    v = bits == 32 ? Float.intBitsToFloat((int) WavReader.u32(b, p))
                            : Double.longBitsToDouble(WavReader.u64(b, p));
                    if (!Double.isFinite(v)) {
                        v = 0;
                    }
                    v = Math.max(-1, Math.min(1, v));
                } else if (bits == 8) {
                    v = ((b[p] & 0xFF) - 128) / 128.0;
                } else if (bits == 16) {
                    v = (short) WavReader.u16(b, p) / 32768.0;
                } else if (bits == 24) {
                    int s = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | b[p + 2] << 16;
                    v = s / 8388608.0;
                } else {
                    v = (int) WavReader.u32(b, p) / 2147483648.0;
                }
                sum += v;
                p += bytesPer;
            }
            out[outOff + f] = sum / channels;
        }
    }
}
