package org.pnnedge.runtime.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Why a file the user named could not be read or written, in words: "it is a directory", "no such folder …",
 * "not a text file", not the Java exception ({@code java.nio.file.FileSystemException: …}, a temporary file's name,
 * or {@code Input length = 1} for a binary file read as text).
 */
final class FileProblem {
    private FileProblem() {
    }

    static String why(Path file, IOException e) {
        Path folder = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            return "it is a directory";
        }
        if (folder != null && !Files.isDirectory(folder)) {
            return Files.exists(folder) ? folder + " is not a folder" : "no such folder " + folder;
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof CharacterCodingException) {
            return "not a text file (it holds bytes that are not UTF-8 text)";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** {@code OPTION: cannot read FILE: why}. */
    static CliException unreadable(String option, Path file, IOException e) {
        return new CliException(option + ": cannot read " + file + ": " + why(file, e), e);
    }

    /** {@code OPTION: cannot write FILE: why}. */
    static CliException unwritable(String option, Path file, IOException e) {
        return new CliException(option + ": cannot write " + file + ": " + why(file, e), e);
    }
}
