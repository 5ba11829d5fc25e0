package org.pnnedge.runtime.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.pnnedge.models.bundle.BundleException;
import org.pnnedge.models.bundle.BundleReader;
import org.pnnedge.models.bundle.ModelBundle;
import org.pnnedge.models.bundle.TrustedKeys;

/**
 * Reads the file a user gave with {@code --bundle}. A file that cannot be read (missing, a directory, no
 * permission) is bad input, exit 2 like every other unreadable file (cli.md); a bundle that was read and then
 * rejected (hash, signature, key, size) stays a {@link BundleException}, exit 4.
 */
final class BundleFile {
    private BundleFile() {
    }

    /** The bytes of {@code file}, at most {@code reader.maxBytes()} of them. */
    static byte[] read(BundleReader reader, Path file) throws BundleException {
        try {
            return reader.readFile(file);
        } catch (BundleException e) {
            if (e.reason() != BundleException.Reason.IO) {
                throw e;
            }
            throw unreadable(file, e);
        }
    }

    /** Verified load with the default size limit. */
    static ModelBundle load(Path file, TrustedKeys trusted) throws BundleException {
        BundleReader reader = BundleReader.withDefaults();
        return reader.load(read(reader, file), trusted);
    }

    /** Refuses a path that is not a readable regular file, for commands that hand the path on unread. */
    static void requireReadable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw unreadable(file, null);
        }
    }

    private static CliException unreadable(Path file, Exception e) {
        String why;
        if (Files.isDirectory(file)) {
            why = "it is a directory";
        } else if (!Files.exists(file) || e != null && e.getCause() instanceof NoSuchFileException) {
            why = "no such file";
        } else if (!Files.isReadable(file) || e != null && e.getCause() instanceof AccessDeniedException) {
            why = "permission denied";
        } else {
            why = e == null || e.getCause() == null ? "not a regular file" : e.getCause().toString();
        }
        return new CliException("--bundle: cannot read " + file + ": " + why, e);
    }
}
