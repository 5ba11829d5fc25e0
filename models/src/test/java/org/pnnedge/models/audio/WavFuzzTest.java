package org.pnnedge.models.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.pnnedge.bridge.fuzz.Fuzz;

/**
 * The WAV reader's contract on hostile files: {@link Audio} or an {@link AudioException} with a message — for random
 * bytes behind a RIFF/WAVE header, mutations of valid files of every supported encoding, and chunk sizes that claim
 * up to 4 GiB (which must not be allocated).
 */
class WavFuzzTest {
    private static final double[][] TONE = tone();
    private static final byte[][] VALID = {
            TestWavWriter.write(TONE, 8000, 16, false, false),
            TestWavWriter.write(TONE, 16000, 24, false, true),
            TestWavWriter.write(TONE, 44100, 32, true, false),
            TestWavWriter.write(new double[][] {TONE[0]}, 22050, 8, false, false),
    };

    private static double[][] tone() {
        double[][] x = new double[2][400];
        for (int i = 0; i < 400; i++) {
            x[0][i] = Math.sin(i * 0.1);
            x[1][i] = 0.5 * Math.cos(i * 0.07);
        }
        return x;
    }

    private static void read(byte[] b) {
        Fuzz.accepted(() -> WavReader.read(b, "fuzz.wav"), AudioException.class);
    }

    @Property
    void randomBytesAreRefused(@ForAll @Size(max = 200) byte[] bytes) {
        read(bytes);
    }

    @Property
    void randomChunksBehindARiffHeaderAreReadOrRefused(@ForAll @Size(max = 200) byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocate(12 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + bytes.length)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII)).put(bytes);
        read(b.array());
    }

    @Property
    void mutatedValidFilesAreReadOrRefused(@ForAll @IntRange(min = 0, max = 3) int which, @ForAll long seed) {
        read(Fuzz.mutate(VALID[which], seed));
    }

    @Property
    void absurdChunkSizesAreNotAllocated(@ForAll @IntRange(min = 0, max = 3) int which,
            @ForAll @IntRange(min = 0, max = 2) int field, @ForAll int claimed) {
        byte[] b = VALID[which].clone();
        // the RIFF size, the fmt chunk's size, the size of the chunk after fmt (data or fact)
        int at = new int[] {4, 16, 20 + ByteBuffer.wrap(b, 16, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() + 4}[field];
        ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(claimed);
        read(b);
    }

    @Example
    void regressionSeedsAreRefused() {
        Fuzz.corpus(WavFuzzTest.class, "wav").forEach(WavFuzzTest::read);
    }
}
