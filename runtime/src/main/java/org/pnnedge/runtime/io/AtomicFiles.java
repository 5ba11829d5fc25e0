package org.pnnedge.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Crash-safe file operations: a file is replaced by writing a temporary file next to it, forcing it to disk,
 * renaming it over the target in one atomic step and forcing the directory, so after a crash the target holds
 * either its old or its new content, never a mix, and a completed rename survives a power cut.
 */
public final class AtomicFiles {
    /** Suffix of temporary files; the OTA bundle store deletes leftovers on open. */
    public static final String TMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /**
     * Writes {@code data} to {@code target} atomically: {@code target.tmp}, write, fsync, rename, fsync of the
     * directory. {@code halfway} runs when half of the bytes are written (a test hook; a crash there leaves a
     * partial temporary file, as a power cut would).
     */
    public static void write(Path target, byte[] data, Runnable halfway) throws IOException {
        Path tmp = tempFor(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), ownerOnly(tmp, FILE))) {
                restrict(tmp, FILE); // a leftover temporary file keeps its old mode on open: set it anyway
                int half = data.length / 2;
                writeFully(ch, ByteBuffer.wrap(data, 0, half));
                if (halfway != null) {
                    halfway.run();
                }
                writeFully(ch, ByteBuffer.wrap(data, half, data.length - half));
                ch.force(true);
            }
            move(tmp, target);
        } catch (IOException | RuntimeException e) {
            // an ordinary failure: tidy up. A simulated crash (an Error) passes through and leaves the tmp file.
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    public static void write(Path target, byte[] data) throws IOException {
        write(target, data, null);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** The temporary file {@link #write} uses for {@code target}: beside it, so the rename is atomic. */
    public static Path tempFor(Path target) throws IOException {
        createPrivateDirectories(target.toAbsolutePath().getParent());
        return target.resolveSibling(target.getFileName() + TMP_SUFFIX);
    }

    private static final String FILE = "rw-------";
    private static final String DIRECTORY = "rwx------";

    /**
     * Creates {@code dir} (and missing parents) readable by the owner only, whatever the umask: the state directory
     * holds bundles, recalibration state and the outbox. An existing directory keeps its mode.
     */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir, ownerOnly(dir, DIRECTORY));
        restrict(dir, DIRECTORY); // createDirectories applies the umask on top of the attribute
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly(Path p, String mode) {
        return posix(p) ? new java.nio.file.attribute.FileAttribute<?>[] {
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString(mode))} : new java.nio.file.attribute.FileAttribute<?>[0];
    }

    private static void restrict(Path p, String mode) throws IOException {
        if (posix(p)) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** For a temporary file the caller wrote itself: forces it to disk and renames it over {@code target}. */
    public static void commit(Path tmp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        move(tmp, target);
    }

    /** Atomic rename (replacing {@code target}), then both directories are forced to disk. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename " + source + " to " + target
                    + " atomically; the bundle store needs one that can (same file system for store and staging)", e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
        Path from = source.toAbsolutePath().getParent();
        if (!from.equals(target.toAbsolutePath().getParent())) {
            syncDirectory(from);
        }
    }

    /** Deletes a file if present and forces the directory, so the deletion survives a power cut. */
    public static boolean delete(Path file) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        if (deleted) {
            syncDirectory(file.toAbsolutePath().getParent());
        }
        return deleted;
    }

    /**
     * Forces a directory's entries (renames, creations, deletions) to disk. Opening a directory for reading
     * and calling {@code force} works on Linux and macOS; where it is not supported (Windows) it is skipped.
     */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform / file system: the rename is still atomic, only its durability
            // across a power cut depends on the file system's own ordering
        }
    }

    /** Deletes leftover temporary files in {@code dir}; returns how many. */
    public static int deleteTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(TMP_SUFFIX)).toList()) {
                Files.deleteIfExists(p);
                n++;
            }
        }
        if (n > 0) {
            syncDirectory(dir);
        }
        return n;
    }
}
