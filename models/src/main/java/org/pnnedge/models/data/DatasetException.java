package org.pnnedge.models.data;

import java.nio.file.Path;

/**
 * A data file that cannot be used: unreadable, malformed, or inconsistent with what the caller asked for.
 * Unchecked, like the bridge's exceptions: the CLI maps it to "bad input" (exit code 2) with its message.
 * The message starts with {@code <file>, line <n>:} when a line is known.
 */
public class DatasetException extends RuntimeException {
    private final transient Path file;
    private final int line;

    public DatasetException(Path file, int line, String message) {
        this(file, line, message, null);
    }

    public DatasetException(Path file, int line, String message, Throwable cause) {
        super(prefix(file, line) + message, cause);
        this.file = file;
        this.line = line;
    }

    public DatasetException(String message) {
        this(null, 0, message, null);
    }

    private static String prefix(Path file, int line) {
        if (file == null) {
            return line > 0 ? "line " + line + ": " : "";
        }
        return line > 0 ? file + ", line " + line + ": " : file + ": ";
    }

    /** The file concerned, or null when the data did not come from a file. */
    public Path file() {
        return file;
    }

    /** 1-based line number, or 0 when the problem is not tied to one line. */
    public int line() {
        return line;
    }
}
