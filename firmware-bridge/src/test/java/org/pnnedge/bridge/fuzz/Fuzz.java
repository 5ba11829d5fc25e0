package org.pnnedge.bridge.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shared contract checks of the fuzz/property tests of every module (models and runtime get it through the
 * firmware-bridge test-jar): a parser given hostile bytes either accepts them or refuses them with its own documented
 * exception and a message, within a time bound. Tries per property come from jqwik's {@code jqwik.tries.default},
 * set by the build from {@code -Dpnn.fuzz.tries} (300 in {@code mvn verify}; bench/run-fuzz.sh raises it).
 */
public final class Fuzz {
    /** Per-try time bound: far above any honest parse (they take micro- to milliseconds), far below a hang. */
    public static final long TIMEOUT_MS = Long.getLong("pnn.fuzz.timeout.ms", 5_000);

    private static ExecutorService worker = newWorker();

    private Fuzz() {
    }

    /** What the parser under test does; may throw anything, which is the point. */
    @FunctionalInterface
    public interface Parse {
        Object run() throws Throwable;
    }

    /**
     * Runs {@code parse} on a worker thread with the time bound and asserts the contract: it returns, or throws one
     * of {@code allowed} (or a subclass) with a non-empty message. Any other throwable (NullPointerException,
     * ArrayIndexOutOfBounds, OutOfMemoryError, StackOverflowError ...) or a hang fails the try.
     *
     * @return what parse returned, or the allowed exception it threw
     */
    @SafeVarargs
    public static Object accepted(Parse parse, Class<? extends Throwable>... allowed) {
        Callable<Object> c = () -> {
            try {
                return parse.run();
            } catch (Throwable t) {
                return new Thrown(t);
            }
        };
        Future<Object> f;
        synchronized (Fuzz.class) {
            f = worker.submit(c);
        }
        Object r;
        try {
            r = f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            synchronized (Fuzz.class) {
                worker.shutdownNow();
                worker = newWorker(); // the stuck thread is abandoned; the next try gets a fresh one
            }
            return fail("no answer within " + TIMEOUT_MS + " ms (a hang)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        } catch (ExecutionException e) {
            return fail("worker failed", e.getCause());
        }
        if (r instanceof Thrown(Throwable t)) {
            for (Class<? extends Throwable> a : allowed) {
                if (a.isInstance(t)) {
                    assertNotNull(t.getMessage(), () -> "refused without a message: " + t.getClass().getName());
                    assertFalse(t.getMessage().isBlank(), () -> "refused with a blank message: " + t.getClass().getName());
                    return t;
                }
            }
            return fail("undocumented failure " + t.getClass().getName() + " (allowed: "
                    + Arrays.stream(allowed).map(Class::getSimpleName).toList() + ")", t);
        }
        return r;
    }

    /** Holder so that a throwable travels back through the Future without being wrapped. */
    private record Thrown(Throwable t) {
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pnn-fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A mutation of {@code valid} driven by {@code seed}: 1–8 edits, each a bit flip, a byte set to an edge value,
     * a truncation, a duplicated or deleted range, or inserted random bytes. Deterministic per seed, so jqwik's
     * reported seed replays it.
     */
    public static byte[] mutate(byte[] valid, long seed) {
        Random r = new Random(seed);
        byte[] b = valid.clone();
        int edits = 1 + r.nextInt(8);
        for (int i = 0; i < edits; i++) {
            if (b.length == 0) {
                b = new byte[] {(byte) r.nextInt(256)};
                continue;
            }
            int at = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, '"', '{', '[', '\\', '-', '9'}[r.nextInt(10)];
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    b = concat(Arrays.copyOf(b, at + len), Arrays.copyOfRange(b, at, b.length));
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, b.length));
                }
                default -> {
                    byte[] ins = new byte[1 + r.nextInt(16)];
                    r.nextBytes(ins);
                    b = concat(concat(Arrays.copyOf(b, at), ins), Arrays.copyOfRange(b, at, b.length));
                }
            }
        }
        return b;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * The regression seeds of one parser: every line of {@code fuzz/<name>/index.txt} (a test resource next to
     * {@code anchor}'s classes) names a file in that folder; lines starting with # are comments. A seed file ending
     * in {@code .hex} holds hex digits (whitespace ignored), any other file its bytes as they are.
     */
    public static List<byte[]> corpus(Class<?> anchor, String name) {
        String dir = "/fuzz/" + name + "/";
        List<byte[]> seeds = new ArrayList<>();
        for (String line : new String(resource(anchor, dir + "index.txt"), StandardCharsets.UTF_8).split("\n")) {
            String file = line.strip();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            byte[] b = resource(anchor, dir + file);
            seeds.add(file.endsWith(".hex")
                    ? HexFormat.of().parseHex(new String(b, StandardCharsets.US_ASCII).replaceAll("\\s+", "")) : b);
        }
        return seeds;
    }

    private static byte[] resource(Class<?> anchor, String path) {
        try (InputStream in = anchor.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
