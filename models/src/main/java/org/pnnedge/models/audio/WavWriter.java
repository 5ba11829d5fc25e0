package org.pnnedge.models.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes mono 16-bit PCM WAV files (the format every recorder and player reads). */
public final class WavWriter {

    private WavWriter() {
    }

    /** Encode samples in [-1, 1] (clamped) as a mono 16-bit PCM WAV. */
    public static byte[] mono16(double[] samples, int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
        int data = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data);
        for (double s : samples) {
            double v = Double.isFinite(s) ? Math.max(-1, Math.min(1, s)) : 0;
            b.putShort((short) Math.round(v * 32767));
        }
        return b.array();
    }

    /** Write {@code audio} to {@code file} as mono 16-bit PCM. */
    public static void write(Path file, Audio audio) throws IOException {
        Files.write(file, mono16(audio.samples(), audio.sampleRate()));
    }
}
