package org.pnnedge.bridge.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.pnnedge.bridge.fuzz.Fuzz;

/**
 * The frame decoder's contract on hostile bytes: a {@link Frame} or a {@link FrameFormatException} naming the first
 * problem, in the order of protocol.md — nothing else, and nothing allocated beyond the bytes received.
 */
class FrameCodecFuzzTest {

    private static Object decode(byte[] b) {
        return Fuzz.accepted(() -> Frame.decode(b, b.length), FrameFormatException.class);
    }

    @Property
    void randomBytesDecodeOrAreRefused(@ForAll @Size(max = 64) byte[] bytes) {
        decode(bytes);
    }

    @Property
    void randomBytesBehindValidSyncDecodeOrAreRefused(@ForAll @Size(max = 40) byte[] tail) {
        decode(Fuzz.concat(new byte[] {(byte) FrameCodec.SYNC0, (byte) FrameCodec.SYNC1, 1}, tail));
    }

    @Property
    void mutatedValidFramesDecodeOrAreRefused(@ForAll("frames") Frame valid, @ForAll long seed) {
        byte[] m = Fuzz.mutate(valid.encode(), seed);
        if (decode(m) instanceof Frame f) {
            // a mutation the CRC did not catch must still be a self-consistent frame
            assertArrayEquals(m, f.encode());
        }
    }

    @Property
    void everyTruncationIsRefusedAsTruncated(@ForAll("frames") Frame valid, @ForAll @IntRange(min = 0, max = 100) int cut) {
        byte[] b = valid.encode();
        byte[] t = Arrays.copyOf(b, cut * (b.length - 1) / 100);
        FrameFormatException e = assertInstanceOf(FrameFormatException.class, decode(t));
        assertEquals(FrameProblem.TRUNCATED, e.problem());
    }

    @Property
    void absurdLengthFieldsAreRefusedWithoutAllocating(@ForAll("frames") Frame valid,
            @ForAll @IntRange(min = FrameCodec.MAX_PAYLOAD + 1, max = 0xFFFF) int claimed) {
        byte[] b = valid.encode();
        FrameCodec.putU16(b, 8, claimed);
        FrameFormatException e = assertInstanceOf(FrameFormatException.class, decode(b));
        assertEquals(FrameProblem.BAD_LENGTH, e.problem());
    }

    @Property
    void encodeThenDecodeIsTheIdentity(@ForAll("frames") Frame f) throws FrameFormatException {
        byte[] b = f.encode();
        assertEquals(f, Frame.decode(b, b.length));
    }

    @Example
    void regressionSeedsDecodeOrAreRefused() {
        Fuzz.corpus(FrameCodecFuzzTest.class, "frame").forEach(FrameCodecFuzzTest::decode);
    }

    @Provide
    Arbitrary<Frame> frames() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 0xFF),
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(0, 0xFF),
                Arbitraries.frequencyOf(
                        Tuple.of(20, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
                        Tuple.of(1, Arbitraries.bytes().array(byte[].class)
                                .ofMinSize(FrameCodec.MAX_PAYLOAD - 8).ofMaxSize(FrameCodec.MAX_PAYLOAD))))
                .as(Frame::new);
    }
}
