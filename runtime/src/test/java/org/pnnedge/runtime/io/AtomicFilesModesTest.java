package org.pnnedge.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the service writes are its own only, whatever the umask or a leftover file's mode. */
class AtomicFilesModesTest {
    @Test
    void writtenFilesAndCreatedDirectoriesAreOwnerOnly(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("state/bundles/active.pnnb");
        // a leftover temporary file from a crash, world-writable
        Files.createDirectories(target.getParent());
        Path tmp = AtomicFiles.tempFor(target);
        Files.write(tmp, new byte[] {9});
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw-rw-"));
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));

        Path fresh = dir.resolve("fresh/state");
        AtomicFiles.createPrivateDirectories(fresh);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        AtomicFiles.write(fresh.resolve("x.json"), new byte[] {4});
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("x.json"))));
    }
}
