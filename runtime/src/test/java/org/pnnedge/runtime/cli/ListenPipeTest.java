package org.pnnedge.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pnnedge.models.audio.WavWriter;
import org.pnnedge.models.data.TalkerGroup;
import org.pnnedge.models.data.Vowel;
import org.pnnedge.runtime.cli.CliTest.Result;
import org.pnnedge.runtime.cli.ListenCommandTest.Session;

/**
 * {@code pnn listen --wav -}: a WAV stream on standard input, as a recorder writes it into a pipe. The same
 * segments and answers as the file; a recorder's placeholder data size; a pipe that goes quiet is given up after
 * {@code --stall-seconds}; and a real {@code arecord} (alsa-utils) capturing through ALSA into the pipe.
 */
class ListenPipeTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void checkout() {
        ListenCommandTest.checkout();
    }

    static Path wav(String name, double[] samples) throws Exception {
        return Files.write(dir.resolve(name), WavWriter.mono16(samples, 16_000));
    }

    /** {@code pnn listen --wav -} with {@code stdin} as standard input. */
    static Result pipe(InputStream stdin, String... extra) {
        return withStdin(stdin, () -> ListenCommandTest.listen(Path.of("-"), extra));
    }

    static Result withStdin(InputStream stdin, java.util.function.Supplier<Result> run) {
        InputStream old = System.in;
        try {
            System.setIn(stdin);
            return run.get();
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void aPipeGivesTheSameSegmentsAndAnswersAsTheFile() throws Exception {
        Path w = wav("pipe-session.wav", ListenCommandTest.fourteenWords(16_000).samples());
        for (String[] mode : new String[][] {{"--json"}, {}}) {
            Result file = ListenCommandTest.listen(w, mode);
            Result piped = pipe(new ByteArrayInputStream(Files.readAllBytes(w)), mode);
            assertEquals(0, piped.exit(), piped.out() + piped.err());
            ClassifyWavCliTest.assertNoStackTrace(piped);
            assertEquals(16, piped.out().strip().split("\n").length, piped.out());
            assertEquals(asFromStdin(file, w), timeless(piped.out()), "the pipe and the file give the same lines");
        }
    }

    /** 48 kHz float stereo with arecord's placeholder size, kept at its own rate (no conversion to 16 kHz). */
    @Test
    void aRecordersStreamAtItsOwnRateIsHeard() throws Exception {
        Session s = Session.words(48_000, TalkerGroup.MEN, 11, Vowel.AH, Vowel.IY, Vowel.UW);
        double[] x = s.samples();
        ByteBuffer b = ByteBuffer.allocate(44 + 8 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(-1).put(ascii("WAVEfmt ")).putInt(16).putShort((short) 3).putShort((short) 2)
                .putInt(48_000).putInt(48_000 * 8).putShort((short) 8).putShort((short) 32)
                .put(ascii("data")).putInt(0x8000_0000);
        for (double v : x) {
            b.putFloat((float) v).putFloat((float) (0.9 * v));
        }
        Result r = pipe(new ByteArrayInputStream(b.array()), "--json");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(ListenCommandTest.check(ListenCommandTest.jsonLines(r), s.events, "48 kHz float pipe") >= 2,
                r.out());
    }

    @Test
    void aPipeThatGoesQuietIsGivenUpAfterTheStallTime() throws Exception {
        byte[] header = Arrays.copyOf(ListenCommandTest.stereo16(new double[0], new double[0], 16_000), 44);
        for (byte[] sent : new byte[][] {new byte[0], header}) {
            // the writer (this thread) stays alive and never closes: a recorder that hangs
            PipedInputStream in = new PipedInputStream();
            PipedOutputStream feed = new PipedOutputStream(in);
            feed.write(sent);
            long t0 = System.nanoTime();
            Result r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> pipe(in, "--json", "--stall-seconds", "0.5"));
            double took = (System.nanoTime() - t0) / 1e9;
            assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.out() + r.err());
            assertTrue(r.err().startsWith("pnn: stdin: no audio for 0.5 s"), r.err());
            assertTrue(r.out().isEmpty(), r.out());
            assertTrue(took >= 0.5, "gave up after " + took + " s");
            ClassifyWavCliTest.assertNoStackTrace(r);
            feed.close();
        }
        // --seconds ends a quiet pipe first, as it ends the microphone
        PipedInputStream in = new PipedInputStream();
        PipedOutputStream feed = new PipedOutputStream(in);
        feed.write(header);
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> pipe(in, "--seconds", "1"));
        assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("stdin: no vowel found: nothing louder than -40 dBFS in 0.00 s"), r.err());
        feed.close();
    }

    @Test
    void badStreamsAndOptionsAreRefusedByName() {
        for (Object[] c : new Object[][] {
                {"these are my notes, not a recording\n".getBytes(StandardCharsets.UTF_8), "stdin: not a WAV file"},
                {new byte[0], "stdin: file is empty"},
                {Arrays.copyOf(ListenCommandTest.stereo16(new double[0], new double[0], 4_000), 44),
                 "stdin: sample rate 4000 Hz is too low"}}) {
            Result r = pipe(new ByteArrayInputStream((byte[]) c[0]), "--json");
            assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.out() + r.err());
            assertTrue(r.err().startsWith("pnn: " + c[1]), r.err());
            ClassifyWavCliTest.assertNoStackTrace(r);
        }
        Result r = pipe(new ByteArrayInputStream(new byte[0]), "--stall-seconds", "0");
        assertEquals(ErrorHandler.EXIT_USAGE, r.exit(), r.err());
        assertTrue(r.err().contains("--stall-seconds must be in (0, 3600], got 0.0"), r.err());
    }

    /** {@code arecord -d 2 … | pnn classify --wav -}: one recorded vowel from a pipe, the file's answer. */
    @Test
    void classifyTakesOneRecordingFromAPipe() throws Exception {
        Session s = Session.words(16_000, TalkerGroup.WOMEN, 5, Vowel.IY);
        Path w = wav("one-word.wav", s.samples());
        Result file = ClassifyWavCliTest.onDevice(w, "--json");
        Result piped = classifyPiped(new ByteArrayInputStream(Files.readAllBytes(w)), "--json");
        assertEquals(0, piped.exit(), piped.out() + piped.err());
        assertEquals(timeless(file.out()), timeless(piped.out()), "the pipe and the file give the same answer");
        // a stream is not a word: refused by name once past 30 s, before it is all in memory
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * 16_000 * 31).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(-1).put(ascii("WAVEfmt ")).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(16_000).putInt(32_000).putShort((short) 2).putShort((short) 16)
                .put(ascii("data")).putInt(0x8000_0000);
        Result long31 = classifyPiped(new ByteArrayInputStream(b.array()), "--json");
        assertEquals(ErrorHandler.EXIT_USAGE, long31.exit(), long31.err());
        assertTrue(long31.err().startsWith("pnn: stdin: more than 30.0 s of audio"), long31.err());
        Result empty = classifyPiped(new ByteArrayInputStream(new byte[0]));
        assertTrue(empty.err().startsWith("pnn: stdin: file is empty"), empty.err());
        ClassifyWavCliTest.assertNoStackTrace(empty);
    }

    static Result classifyPiped(InputStream stdin, String... extra) {
        return withStdin(stdin, () -> ClassifyWavCliTest.onDevice(Path.of("-"), extra));
    }

    /**
     * The real thing: alsa-utils' {@code arecord} captures through ALSA (the {@code file} plugin's {@code infile}
     * plays the session's samples as the capture device, the {@code null} plugin stands in for a sound card) and
     * writes its WAV into a pipe with its placeholder size; a separate {@code pnn listen --wav -} process reads it.
     * The stream is cut after the session and one second of the plugin's silence, so it ends.
     */
    @Test
    void arecordIntoAPipe() throws Exception {
        assumeTrue(onPath("arecord"), "arecord (alsa-utils) is not installed: apt-get install alsa-utils");
        Path w = wav("arecord-session.wav", ListenCommandTest.fourteenWords(16_000).samples());
        byte[] bytes = Files.readAllBytes(w);
        Path home = Files.createDirectories(dir.resolve("alsa-home"));
        Path raw = Files.write(home.resolve("capture.raw"), Arrays.copyOfRange(bytes, 44, bytes.length));
        Files.writeString(home.resolve(".asoundrc"), "pcm.pnnin {\n  type file\n  slave.pcm \"null\"\n"
                + "  file \"/dev/null\"\n  infile \"" + raw + "\"\n  format \"raw\"\n}\n");
        long cut = 44 + raw.toFile().length() + 2 * 16_000;
        List<String> pnn = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "org.pnnedge.runtime.cli.Main", "listen", "--wav",
                "-", "--json", "--device", ListenCommandTest.DEVICE, "--bundle", ListenCommandTest.bundle.toString(),
                "--trust", ListenCommandTest.trust.toString());
        // HOME only for arecord: alsa-lib reads ~/.asoundrc
        String cmd = "HOME=" + quote(home.toString()) + " arecord -q -D pnnin -f S16_LE -r 16000 -c 1 -t wav"
                + " | head -c " + cut + " | " + String.join(" ", pnn.stream().map(ListenPipeTest::quote).toList());
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "arecord | pnn listen did not end");
        assertEquals(0, p.exitValue(), "pnn listen's exit code");
        String got = new String(out, StandardCharsets.UTF_8);
        Result file = ListenCommandTest.listen(w, "--json");
        assertEquals(asFromStdin(file, w), timeless(got), "arecord's stream and the file give the same JSON lines");
    }

    /** Output without the one field that differs from run to run: how long the device took. */
    static String timeless(String out) {
        return out.replaceAll("\"latencyMicros\"\\s*:\\s*[-0-9.eE]+,", "");
    }

    /** What the file's run said, as a pipe's run would say it: its messages name the file where a pipe's say stdin. */
    static String asFromStdin(Result file, Path wav) {
        return timeless(file.out().replace(wav.getFileName() + " at ", "stdin at "));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
