package org.pnnedge.models.audio;

import java.io.ByteArrayOutputStream;

/** Test-only WAV writer: PCM 8/16/24/32, float 32/64, optional WAVE_FORMAT_EXTENSIBLE, any channel count. */
final class TestWavWriter {

    private TestWavWriter() {
    }

    /**
     * @param channels   samples per channel, all the same length, in [-1, 1]
     * @param floating   IEEE float instead of PCM
     * @param extensible write WAVE_FORMAT_EXTENSIBLE
     */
    static byte[] write(double[][] channels, int rate, int bits, boolean floating, boolean extensible) {
        int nch = channels.length;
        int frames = channels[0].length;
        int bytesPer = bits / 8;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int f = 0; f < frames; f++) {
            for (double[] ch : channels) {
                double v = Math.max(-1, Math.min(1, ch[f]));
                long word;
                if (floating) {
                    word = bits == 32 ? Float.floatToIntBits((float) v) & 0xFFFFFFFFL : Double.doubleToLongBits(v);
                } else if (bits == 8) {
                    word = Math.round(v * 127) + 128;
                } else {
                    long max = (1L << (bits - 1)) - 1;
                    word = Math.round(v * max);
                }
                for (int i = 0; i < bytesPer; i++) {
                    data.write((int) (word >>> (8 * i)) & 0xFF);
                }
            }
        }
        byte[] d = data.toByteArray();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int fmtSize = extensible ? 40 : 16;
        ascii(o, "RIFF");
        le(o, 4 + 8 + fmtSize + 8 + d.length + (d.length & 1), 4);
        ascii(o, "WAVE");
        ascii(o, "LIST"); // an extra chunk the reader must skip (odd size, padded)
        le(o, 3, 4);
        ascii(o, "abc");
        o.write(0);
        ascii(o, "fmt ");
        le(o, fmtSize, 4);
        int tag = floating ? 3 : 1;
        le(o, extensible ? 0xFFFE : tag, 2);
        le(o, nch, 2);
        le(o, rate, 4);
        le(o, (long) rate * nch * bytesPer, 4);
        le(o, nch * bytesPer, 2);
        le(o, bits, 2);
        if (extensible) {
            le(o, 22, 2);
            le(o, bits, 2);
            le(o, nch == 1 ? 4 : 3, 4);
            le(o, tag, 2);
            byte[] guidRest = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
                (byte) 0x9B, 0x71};
            o.write(guidRest, 0, guidRest.length);
        }
        ascii(o, "data");
        le(o, d.length, 4);
        o.write(d, 0, d.length);
        if ((d.length & 1) == 1) {
            o.write(0);
        }
        return o.toByteArray();
    }

    static byte[] mono16(double[] x, int rate) {
        return write(new double[][] {x}, rate, 16, false, false);
    }

    private static void ascii(ByteArrayOutputStream o, String s) {
        for (char c : s.toCharArray()) {
            o.write(c);
        }
    }

    private static void le(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) {
            o.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }
}
