package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a file a command was asked to write, before the work that fills it: an output that is a directory, or
 * that would land in a missing or read-only folder, is refused at once (exit 2), not after a measurement or a
 * training; an output that is one of the command's own inputs is refused, so bad arguments never destroy the input.
 */
final class OutputFile {
    private OutputFile() {
    }

    /** Refuses a directory, a missing folder and a folder that cannot be written (for writers that create none). */
    static void check(String option, Path file) {
        checkNotDirectory(option, file);
        checkFolder(option, file);
    }

    /** Refuses a missing or read-only folder for {@code file} (a prefix such as train's --curves may name a folder). */
    static void checkFolder(String option, Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new CliException(option + " " + file + ": no such folder: " + folder);
        }
        if (!Files.isWritable(folder)) {
            throw new CliException(option + " " + file + ": cannot write in " + folder);
        }
    }

    /** Refuses a directory: the chart writer (ImageIO) would delete an empty one and fail on a full one. */
    static void checkNotDirectory(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new CliException(option + " " + file + ": it is a directory; give a file name");
        }
    }

    /** Refuses an output that is the same file as the input {@code inputOption} (null input: nothing to check). */
    static void notInput(String option, Path file, String inputOption, Path input) {
        if (input == null || !Files.exists(file) || !Files.exists(input)) {
            return;
        }
        boolean same;
        try {
            same = Files.isSameFile(file, input);
        } catch (IOException e) {
            same = false; // cannot tell: writing it will report its own error
        }
        if (same) {
            throw new CliException(option + " " + file + " is the " + inputOption + " file: writing it would "
                    + "overwrite that input; give another file name");
        }
    }
}
