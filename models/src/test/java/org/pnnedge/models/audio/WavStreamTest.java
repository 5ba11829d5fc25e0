package org.pnnedge.models.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.pnnedge.bridge.fuzz.Fuzz;

/**
 * {@link WavStream}: the same samples and refusals as {@link WavReader} for the same bytes, whatever the pieces the
 * pipe delivers them in; a recorder's placeholder data size read to the end; a real size honoured.
 */
class WavStreamTest {

    /** Everything the stream yields, read in {@code chunk}-frame reads. */
    private static double[] drain(WavStream s, int chunk) throws AudioException {
        double[] all = new double[0];
        double[] buf = new double[chunk];
        int n;
        while ((n = s.read(buf)) >= 0) {
            assertTrue(n > 0, "a read before the end returns at least one frame");
            int at = all.length;
            all = Arrays.copyOf(all, at + n);
            System.arraycopy(buf, 0, all, at, n);
        }
        return all;
    }

    /** Delivers at most {@code piece} bytes per read, as a pipe does. */
    private static InputStream trickle(byte[] b, int piece) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, piece));
            }
        };
    }

    private static byte[] wav(long seed, int bits, boolean floating, boolean ext, int channels) {
        Random r = new Random(seed);
        double[][] x = new double[channels][1 + r.nextInt(500)];
        for (double[] ch : x) {
            for (int i = 0; i < ch.length; i++) {
                ch[i] = r.nextDouble() * 2 - 1;
            }
        }
        return TestWavWriter.write(x, 8000 + r.nextInt(40_000), bits, floating, ext);
    }

    @Property(tries = 200)
    void aPipeGivesTheSamplesOfTheFile(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5) int encoding,
            @ForAll @IntRange(min = 1, max = 3) int channels, @ForAll @IntRange(min = 1, max = 97) int piece,
            @ForAll @IntRange(min = 1, max = 700) int chunk) throws AudioException {
        int[] bits = {8, 16, 24, 32, 32, 64};
        byte[] b = wav(seed, bits[encoding], encoding >= 4, seed % 2 == 0, channels);
        Audio file = WavReader.read(b, "x.wav");
        WavStream s = WavStream.open(trickle(b, piece), "stdin");
        assertEquals(file.sampleRate(), s.sampleRate());
        assertFalse(s.unbounded());
        assertArrayEquals(file.samples(), drain(s, chunk));
        assertEquals(-1, s.read(new double[4]), "the end stays the end");
    }

    /** arecord writing to a pipe: data size 0x80000000; 0 and 0xFFFFFFFF are other writers' placeholders. */
    @Example
    void aPlaceholderSizeIsReadToTheEndOfTheStream() throws AudioException {
        double[] x = new double[1001];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i * 0.05) * 0.5;
        }
        byte[] b = TestWavWriter.mono16(x, 16000);
        int sizeAt = b.length - 2 * x.length - 4;
        for (long placeholder : new long[] {0x8000_0000L, 0, 0xFFFF_FFFFL, 0x7FFF_FFFFL}) {
            byte[] p = Arrays.copyOf(b, b.length + 1); // and a recorder stopped in the middle of a sample
            ByteBuffer.wrap(p, sizeAt, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) placeholder);
            WavStream s = WavStream.open(new ByteArrayInputStream(p), "stdin");
            assertTrue(s.unbounded());
            double[] got = drain(s, 160);
            assertEquals(x.length, got.length, "the stray byte is half a frame, not a sample");
            assertEquals(1, s.warnings().size(), s.warnings().toString());
        }
    }

    @Example
    void aRealSizeStopsBeforeTheChunksAfterTheData() throws AudioException {
        double[] x = new double[800];
        Arrays.fill(x, 0.25);
        byte[] b = TestWavWriter.mono16(x, 16000);
        byte[] withList = Arrays.copyOf(b, b.length + 12);
        System.arraycopy("LIST\4\0\0\0INFO".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, withList,
                b.length, 12);
        double[] got = drain(WavStream.open(new ByteArrayInputStream(withList), "stdin"), 333);
        assertArrayEquals(WavReader.read(b, "x").samples(), got);
    }

    @Example
    void aHeaderThatNeverReachesItsDataIsRefusedWithoutReadingIt() {
        ByteBuffer b = ByteBuffer.allocate(12 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(-1).put("WAVE".getBytes()).put("junk".getBytes()).putInt(64 << 20);
        // the stream goes on for ever: the size alone must refuse it
        InputStream endless = new java.io.SequenceInputStream(new ByteArrayInputStream(b.array()),
                new InputStream() {
                    @Override
                    public int read() {
                        return 0;
                    }
                });
        AudioException e = assertThrows(AudioException.class, () -> WavStream.open(endless, "stdin"));
        assertEquals(AudioException.Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().startsWith("stdin: chunk 'junk' of 67108864 bytes"), e.getMessage());
    }

    @Example
    void badStreamsGetTheFileReadersMessages() {
        byte[] ok = TestWavWriter.mono16(new double[100], 16000);
        for (byte[] bad : new byte[][] {new byte[0], "RIFF".getBytes(), "hello world, not a wav".getBytes(),
                Arrays.copyOf(ok, 30), Arrays.copyOf(ok, 50)}) {
            AudioException file = assertThrows(AudioException.class, () -> WavReader.read(bad, "stdin"));
            AudioException pipe = assertThrows(AudioException.class,
                    () -> WavStream.open(new ByteArrayInputStream(bad), "stdin"));
            assertEquals(file.reason(), pipe.reason(), pipe.getMessage());
            assertTrue(pipe.getMessage().startsWith("stdin: "), pipe.getMessage());
        }
    }

    @Property
    void mutatedStreamsAreReadOrRefused(@ForAll @Size(min = 1, max = 3) byte[] which, @ForAll long seed) {
        byte[] valid = wav(Math.abs(which[0]), 16, false, which.length > 1, 1 + (which.length % 2));
        Fuzz.accepted(() -> drain(WavStream.open(new ByteArrayInputStream(Fuzz.mutate(valid, seed)), "stdin"),
                64), AudioException.class);
    }
}
