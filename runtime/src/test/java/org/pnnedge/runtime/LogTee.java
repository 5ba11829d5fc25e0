package org.pnnedge.runtime;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Tees System.err, where tinylog's console writer puts warnings and errors (it looks the stream up on every entry), so
 * a test can count the lines a flood leaves in the log.
 */
public final class LogTee implements AutoCloseable {
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    private LogTee() {
    }

    public static LogTee start() {
        LogTee t = new LogTee();
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (t.buf) {
                    t.buf.write(b);
                }
                t.err.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (t.buf) {
                    t.buf.write(b, off, len);
                }
                t.err.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        return t;
    }

    public String text() {
        synchronized (buf) {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    /** Lines logged so far that contain {@code s}. */
    public long count(String s) {
        return text().lines().filter(l -> l.contains(s)).count();
    }

    @Override
    public void close() {
        System.setErr(err);
    }
}
